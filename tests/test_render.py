"""The three report formats, asserted exactly."""

import json

from natodata.findings import Finding, Report, Severity
from natodata.render import render

REPORT = Report([
    Finding("unused-actor", Severity.WARNING, "actor 'x' is not used", table="actors", path="data/actors.csv", line=3, field="id", value="x"),
    Finding("pattern-constraint", Severity.ERROR, "'xyz' does not match the pattern [0-9a-f]{64}", table="sources",
            path="data/sources.csv", line=2, field="sha256", value="xyz"),
    Finding("descriptor-error", Severity.ERROR, "bad: a, b\nsecond line 100%", path="datapackage.json"),
])


def test_text():
    assert render(REPORT, "text") == (
        "data/actors.csv:3: warning unused-actor [id]: actor 'x' is not used\n"
        "data/sources.csv:2: error pattern-constraint [sha256]: 'xyz' does not match the pattern [0-9a-f]{64}\n"
        "datapackage.json: error descriptor-error: bad: a, b\nsecond line 100%\n"
        "invalid: 2 errors, 1 warning\n")


def test_text_valid():
    assert render(Report(), "text") == "valid: 0 errors, 0 warnings\n"


def test_json():
    doc = json.loads(render(REPORT, "json"))
    assert doc["version"] == 1
    assert (doc["valid"], doc["errors"], doc["warnings"]) == (False, 2, 1)
    assert doc["findings"][1] == {"type": "pattern-constraint", "severity": "error",
                                  "message": "'xyz' does not match the pattern [0-9a-f]{64}", "table": "sources",
                                  "path": "data/sources.csv", "line": 2, "field": "sha256", "value": "xyz"}


def test_github_annotations_are_escaped():
    assert render(REPORT, "github").splitlines() == [
        "::warning file=data/actors.csv,line=3,title=unused-actor::id: actor 'x' is not used",
        "::error file=data/sources.csv,line=2,title=pattern-constraint::sha256: 'xyz' does not match the pattern [0-9a-f]{64}",
        "::error file=datapackage.json,title=descriptor-error::bad: a, b%0Asecond line 100%25",
        "invalid: 2 errors, 1 warning",
    ]
