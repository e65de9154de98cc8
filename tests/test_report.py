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
                                  "path": "data/sources.csv", "line": 2, "field": "sha256", "value": "xyz"}


def test_github_annotations_are_escaped():
    assert render_report(REPORT, "github").splitlines() == [
        "::warning file=data/actors.csv,line=3,title=unused-actor::id: actor 'x' is not used",
        "::error file=data/sources.csv,line=2,title=pattern-constraint::sha256: 'xyz' does not match the pattern [0-9a-f]{64}",
        "::error file=datapackage.json,title=descriptor-error::bad: a, b%0Asecond line 100%25",
        "invalid: 2 errors, 1 warning",
    ]


def _many(n_actors: int, n_sources: int) -> Report:
    return Report([Finding("unused-actor", f"actor 'a{i:05d}' is not used", table="actors", path="data/actors.csv",
                           line=i + 2, field="id", value=f"a{i:05d}") for i in range(n_actors)]
                  + [Finding("pattern-constraint", "bad", table="sources", path="data/sources.csv", line=i + 2, field="sha256")
                     for i in range(n_sources)])


def test_text_and_github_list_a_thousand_findings_per_type_and_table_and_count_the_rest():
    report = _many(1003, 1001)
    lines = render_report(report, "text").splitlines()
    assert len(lines) == 1000 + 1000 + 2 + 1
    assert lines[-3:] == ["… and 1 more pattern-constraint finding in sources",
                          "… and 3 more unused-actor findings in actors",
                          "invalid: 1001 errors, 1003 warnings"]
    assert lines[999] == "data/actors.csv:1001: warning unused-actor [id]: actor 'a00999' is not used"
    lines = render_report(report, "github").splitlines()
    assert lines[-3:] == ["::error title=pattern-constraint::… and 1 more pattern-constraint finding in sources",
                          "::warning title=unused-actor::… and 3 more unused-actor findings in actors",
                          "invalid: 1001 errors, 1003 warnings"]


def test_json_lists_every_finding_and_is_written_finding_by_finding():
    import io

    from natodata.report import write_report

    class Recorder(io.StringIO):
        biggest = 0

        def write(self, s):
            Recorder.biggest = max(Recorder.biggest, len(s))
            return super().write(s)

    out = Recorder()
    write_report(_many(1500, 0), "json", out)
    doc = json.loads(out.getvalue())
    assert len(doc["findings"]) == 1500 and doc["warnings"] == 1500
    assert Recorder.biggest < 400  # one finding at a time, never the whole document
