"""The three report formats, asserted exactly."""

import json

from natodata.findings import Finding, Report
from natodata.report import render_report

REPORT = Report([
    Finding("unused-actor", "actor 'x' is not used", table="actors", path="data/actors.csv", line=3, field="id", value="x"),
    Finding("pattern-constraint", "'xyz' does not match the pattern [0-9a-f]{64}", table="sources",
            path="data/sources.csv", line=2, field="sha256", value="xyz"),
    Finding("descriptor-error", "bad: a, b\nsecond line 100%", path="datapackage.json"),
])


def test_text():
    assert render_report(REPORT, "text") == (
        "data/actors.csv:3: warning unused-actor [id]: actor 'x' is not used\n"
        "data/sources.csv:2: error pattern-constraint [sha256]: 'xyz' does not match the pattern [0-9a-f]{64}\n"
        "datapackage.json: error descriptor-error: bad: a, b\nsecond line 100%\n"
        "invalid: 2 errors, 1 warning\n")


def test_text_valid():
    assert render_report(Report(), "text") == "valid: 0 errors, 0 warnings\n"


def test_json():
    doc = json.loads(render_report(REPORT, "json"))
    assert doc["version"] == 1
    assert (doc["valid"], doc["errors"], doc["warnings"]) == (False, 2, 1)
    assert doc["findings"][1] == {"type": "pattern-constraint", "severity": "error",
                                  "message": "'xyz' does not match the pattern [0-9a-f]{64}", "table": "sources",
                                  "path": "data/sources.csv", "line": 2, "field": "sha256", "value": "xyz",
                                  "pointer": None}


def test_github_annotations_are_escaped():
    assert render_report(REPORT, "github").splitlines() == [
        "::warning file=data/actors.csv,line=3,title=unused-actor::id: actor 'x' is not used",
        "::error file=data/sources.csv,line=2,title=pattern-constraint::sha256: 'xyz' does not match the pattern [0-9a-f]{64}",
        "::error file=datapackage.json,title=descriptor-error::bad: a, b%0Asecond line 100%25",
        "invalid: 2 errors, 1 warning",
    ]
