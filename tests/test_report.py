"""The three report formats, asserted exactly."""

import json

from natodata.findings import Finding, Report
from natodata.report import render_report

REPORT = Report(
    [
        Finding(
            "unused-actor",
            "actor 'x' is not used",
            table="actors",
            path="data/actors.csv",
            line=3,
            field="id",
            value="x",
        ),
        Finding(
            "pattern-constraint",
            "'xyz' does not match the pattern [0-9a-f]{64}",
            table="sources",
            path="data/sources.csv",
            line=2,
            field="sha256",
            value="xyz",
        ),
        Finding("descriptor-error", "bad: a, b\nsecond line 100%", path="datapackage.json"),
    ]
)


def test_text():
    assert render_report(REPORT, "text") == (
        "data/actors.csv:3: warning unused-actor [id]: actor 'x' is not used\n"
        "data/sources.csv:2: error pattern-constraint [sha256]: 'xyz' does not match the pattern [0-9a-f]{64}\n"
        "datapackage.json: error descriptor-error: bad: a, b\\nsecond line 100%\n"
        "invalid: 2 errors, 1 warning\n"
    )


def test_text_valid():
    assert render_report(Report(), "text") == "valid: 0 errors, 0 warnings\n"


def test_json():
    doc = json.loads(render_report(REPORT, "json"))
    assert doc["version"] == 1
    assert (doc["valid"], doc["errors"], doc["warnings"]) == (False, 2, 1)
    assert doc["findings"][1] == {
        "type": "pattern-constraint",
        "severity": "error",
        "message": "'xyz' does not match the pattern [0-9a-f]{64}",
        "table": "sources",
        "path": "data/sources.csv",
        "line": 2,
        "field": "sha256",
        "value": "xyz",
        "pointer": None,
        "stopped": 0,
    }


def test_github_annotations_are_escaped():
    assert render_report(REPORT, "github").splitlines() == [
        "::warning file=data/actors.csv,line=3,title=unused-actor::id: actor 'x' is not used",
        "::error file=data/sources.csv,line=2,title=pattern-constraint::sha256: 'xyz' does not match the pattern [0-9a-f]{64}",
        "::error file=datapackage.json,title=descriptor-error::bad: a, b\\nsecond line 100%25",
        "invalid: 2 errors, 1 warning",
    ]


def test_verdict_counts_ignored_findings_and_strict_warnings():
    warnings_only = Report([REPORT.findings[0]])
    assert render_report(warnings_only, "text", ignored=3).splitlines()[-1] == "valid: 0 errors, 1 warning, 3 ignored"
    assert render_report(warnings_only, "text", strict=True).splitlines()[-1] == (
        "invalid: 0 errors, 1 warning (strict: warnings fail)"
    )
    assert render_report(warnings_only, "github", strict=True).splitlines()[-1] == (
        "invalid: 0 errors, 1 warning (strict: warnings fail)"
    )
    doc = json.loads(render_report(warnings_only, "json", strict=True, ignored=3))
    assert (doc["valid"], doc["strict"], doc["ignored"], doc["error"]) == (False, True, 3, None)


def test_json_error_document_has_the_report_keys():
    from natodata.report import render_json_error

    doc = json.loads(render_json_error("corpus directory not found: x", 2))
    assert doc == {
        "version": 1,
        "valid": False,
        "strict": False,
        "errors": 0,
        "warnings": 0,
        "ignored": 0,
        "left_out": {},
        "configuration": None,
        "error": {"message": "corpus directory not found: x", "exit_code": 2},
        "findings": [],
    }
    assert set(doc) == set(json.loads(render_report(REPORT, "json")))


# --- the CI formats: paths relative to the workspace -------------------------------


def test_ci_paths_are_relative_to_the_workspace(tmp_path, monkeypatch):
    from natodata.formats import ReportFormat
    from natodata.report_ci import relocate

    descriptor = tmp_path / "sub" / "pkg" / "datapackage.json"
    descriptor.parent.mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "sub")
    paths = lambda fmt, env: [f.path for f in relocate(REPORT, descriptor, fmt, env).findings]  # noqa: E731
    expected = ["pkg/data/actors.csv", "pkg/data/sources.csv", "pkg/datapackage.json"]
    assert paths(ReportFormat.GITHUB, {}) == expected
    assert paths(ReportFormat.JUNIT, {"GITHUB_WORKSPACE": str(tmp_path)}) == expected
    assert paths(ReportFormat.GITHUB, {"GITHUB_WORKSPACE": str(tmp_path)}) == ["sub/" + p for p in expected]
    assert paths(ReportFormat.GITLAB, {"CI_PROJECT_DIR": str(tmp_path)}) == ["sub/" + p for p in expected]
    assert paths(ReportFormat.GITHUB, {"GITHUB_WORKSPACE": str(descriptor.parent)}) == [
        "data/actors.csv",
        "data/sources.csv",
        "datapackage.json",
    ]
    # outside the workspace no relative path can name it: the absolute one does
    assert paths(ReportFormat.GITHUB, {"GITHUB_WORKSPACE": str(tmp_path / "elsewhere")})[0] == (
        f"{descriptor.parent.resolve().as_posix()}/data/actors.csv"
    )


def test_a_finding_without_a_file_is_attached_to_the_descriptor(tmp_path, monkeypatch):
    from natodata.findings import Finding
    from natodata.formats import ReportFormat
    from natodata.report_ci import relocate

    monkeypatch.chdir(tmp_path)
    report = Report([Finding("schema-error", "the table has no primaryKey", table="t")])
    assert [
        f.path for f in relocate(report, tmp_path / "p" / "datapackage.json", ReportFormat.GITLAB, {}).findings
    ] == ["p/datapackage.json"]


# --- GitLab Code Quality -----------------------------------------------------------


def gitlab_schema():
    from tests.helpers import ROOT

    return json.loads((ROOT / "tests" / "schemas" / "gitlab-code-quality.schema.json").read_text())


def test_gitlab_code_quality_report():
    import jsonschema

    issues = json.loads(render_report(REPORT, "gitlab"))
    jsonschema.validate(issues, gitlab_schema(), cls=jsonschema.Draft202012Validator)
    assert issues[1] == {
        "description": "sha256: 'xyz' does not match the pattern [0-9a-f]{64}",
        "check_name": "pattern-constraint",
        "fingerprint": issues[1]["fingerprint"],
        "severity": "major",
        "location": {"path": "data/sources.csv", "lines": {"begin": 2}},
    }
    assert [(i["severity"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("minor", 3),
        ("major", 2),
        ("major", 1),
    ]
    assert len({i["fingerprint"] for i in issues}) == 3
    assert json.loads(render_report(Report(), "gitlab")) == []


def test_gitlab_fingerprints_are_unique_and_survive_a_moved_row():
    from natodata.findings import Finding
    from natodata.report_ci import fingerprints

    blank = lambda line: Finding(
        "required-constraint",
        "name is required but blank",
        table="actors",  # noqa: E731
        path="data/actors.csv",
        line=line,
        field="name",
    )
    twice = fingerprints([blank(3), blank(7)])
    assert len(set(twice)) == 2  # GitLab drops issues with the same fingerprint
    assert fingerprints([blank(4), blank(9)]) == twice  # rows added above: the same issues
    assert fingerprints([blank(3)]) == twice[:1]


# --- JUnit XML ---------------------------------------------------------------------


def junit_cases(xml_text: str, tmp_path):
    """(suite, case, result) of each test case, read by junitparser from a file."""
    from junitparser import Failure, JUnitXml

    path = tmp_path / "report.xml"
    path.write_text(xml_text, encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    out = []
    for suite in xml:
        for case in suite:
            kinds = [type(r).__name__ for r in case.result]
            out.append(
                (
                    suite.name,
                    case.name,
                    kinds,
                    [r.message for r in case.result if isinstance(r, Failure)],
                    case.system_out,
                )
            )
    declared = (xml.tests, xml.failures, xml.errors, xml.skipped)
    xml.update_statistics()
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == declared, "the declared counts are wrong"
    return out


def test_junit_errors_fail_and_warnings_pass_with_their_text(tmp_path):
    cases = junit_cases(render_report(REPORT, "junit"), tmp_path)
    assert cases == [
        (
            "data/actors.csv",
            "unused-actor data/actors.csv:3 [id]",
            [],
            [],
            "data/actors.csv:3: warning unused-actor [id]: actor 'x' is not used",
        ),
        (
            "data/sources.csv",
            "pattern-constraint data/sources.csv:2 [sha256]",
            ["Failure"],
            ["sha256: 'xyz' does not match the pattern [0-9a-f]{64}"],
            None,
        ),
        ("datapackage.json", "descriptor-error datapackage.json", ["Failure"], ["bad: a, b\\nsecond line 100%"], None),
    ]


def test_junit_strict_fails_warnings_and_a_clean_run_is_one_passing_case(tmp_path):
    cases = junit_cases(render_report(Report([REPORT.findings[0]]), "junit", strict=True), tmp_path)
    assert [(c[1], c[2]) for c in cases] == [("unused-actor data/actors.csv:3 [id]", ["Failure"])]
    assert junit_cases(render_report(Report(), "junit"), tmp_path) == [("natodata validate", "valid", [], [], None)]


def test_junit_survives_characters_xml_cannot_hold(tmp_path):
    from natodata.findings import Finding

    report = Report(
        [
            Finding(
                "control-character",
                "'a\x0bb\x00' contains a control character",
                table="t",
                path="data/t.csv",
                line=2,
                field="name",
                value="a\x0bb\x00",
            )
        ]
    )
    [case] = junit_cases(render_report(report, "junit"), tmp_path)
    assert case[3] == ["name: 'a\\x0bb\\x00' contains a control character"]


def _many(n_actors: int, n_sources: int) -> Report:
    return Report(
        [
            Finding(
                "unused-actor",
                f"actor 'a{i:05d}' is not used",
                table="actors",
                path="data/actors.csv",
                line=i + 2,
                field="id",
                value=f"a{i:05d}",
            )
            for i in range(n_actors)
        ]
        + [
            Finding("pattern-constraint", "bad", table="sources", path="data/sources.csv", line=i + 2, field="sha256")
            for i in range(n_sources)
        ]
    )


def test_text_and_github_list_a_thousand_findings_per_type_and_table_and_count_the_rest():
    report = _many(1003, 1001)
    lines = render_report(report, "text").splitlines()
    assert len(lines) == 1000 + 1000 + 2 + 1
    assert lines[-3:] == [
        "… and 1 more pattern-constraint finding in sources",
        "… and 3 more unused-actor findings in actors",
        "invalid: 1001 errors, 1003 warnings",
    ]
    assert lines[999] == "data/actors.csv:1001: warning unused-actor [id]: actor 'a00999' is not used"
    lines = render_report(report, "github").splitlines()
    assert lines[-3:] == [
        "::error title=pattern-constraint::… and 1 more pattern-constraint finding in sources",
        "::warning title=unused-actor::… and 3 more unused-actor findings in actors",
        "invalid: 1001 errors, 1003 warnings",
    ]


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


# --- the configuration a run used ---------------------------------------------------


def _configured(tmp_path, monkeypatch):
    from natodata.selection import resolve

    (tmp_path / "pyproject.toml").write_text('[tool.natodata]\nignore = ["unused-actor", "claim-disagreement"]\n')
    monkeypatch.chdir(tmp_path)
    return resolve(tmp_path).apply(REPORT)


def test_every_format_names_the_configuration_file_and_what_it_switched_off(tmp_path, monkeypatch):
    import jsonschema

    chosen = _configured(tmp_path, monkeypatch)
    opts = {"ignored": chosen.ignored, "settings": chosen}
    assert render_report(chosen.report, "text", **opts).splitlines()[-3:] == [
        "configuration: pyproject.toml",
        "  its ignore switches off: claim-disagreement, unused-actor (1 finding left out)",
        "invalid: 2 errors, 0 warnings, 1 ignored",
    ]
    doc = json.loads(render_report(chosen.report, "json", **opts))
    assert (doc["configuration"], doc["left_out"]) == (
        {
            "path": (tmp_path / "pyproject.toml").as_posix(),
            "corpus": None,
            "switched_off": {"claim-disagreement": "ignore", "unused-actor": "ignore"},
        },
        {"unused-actor": 1},
    )
    assert render_report(chosen.report, "github", **opts).splitlines()[-2] == (
        "::notice title=natodata configuration::configuration: pyproject.toml%0A"
        "  its ignore switches off: claim-disagreement, unused-actor (1 finding left out)"
    )
    issues = json.loads(render_report(chosen.report, "gitlab", **opts))
    jsonschema.validate(issues, gitlab_schema())
    assert {k: issues[-1][k] for k in ("check_name", "severity", "location", "description")} == {
        "check_name": "natodata-configuration",
        "severity": "info",
        "location": {"path": "pyproject.toml", "lines": {"begin": 1}},
        "description": "configuration: pyproject.toml; its ignore switches off: claim-disagreement, unused-actor (1 finding left out)",
    }
    cases = junit_cases(render_report(chosen.report, "junit", **opts), tmp_path)
    assert cases[-1] == (
        "natodata-configuration",
        "configuration",
        [],
        [],
        "configuration: pyproject.toml\n  its ignore switches off: claim-disagreement, unused-actor "
        "(1 finding left out)",
    )


def test_settings_from_the_command_line_are_counted_not_listed(tmp_path, monkeypatch):
    from natodata.selection import resolve

    monkeypatch.chdir(tmp_path)
    chosen = resolve(tmp_path, ignore=["unused-actor"]).apply(REPORT)
    assert render_report(chosen.report, "text", ignored=chosen.ignored, settings=chosen).splitlines()[-1] == (
        "invalid: 2 errors, 0 warnings, 1 ignored"
    )
    assert json.loads(render_report(chosen.report, "json", settings=chosen))["configuration"] is None


def test_a_finding_is_one_line_of_a_message():
    from natodata.report import finding_line

    assert (
        finding_line(Finding("type-error", "not an integer", table="t", path="data/t.csv", line=3))
        == "data/t.csv:3: type-error: not an integer"
    )
    assert finding_line(Finding("schema-error", "bad", table="t")) == "t: schema-error: bad"
    assert finding_line(Finding("descriptor-error", "bad")) == "<package>: descriptor-error: bad"


def test_a_message_lists_twenty_findings_and_counts_the_rest():
    from natodata.report import LISTED, finding_lines

    many = [Finding("type-error", f"cell {i}", table="t", path="t.csv", line=i + 2) for i in range(25)]
    assert LISTED == 20
    assert finding_lines(many) == [f"t.csv:{i + 2}: type-error: cell {i}" for i in range(20)] + ["… and 5 more"]
    assert finding_lines(many[:20]) == [f"t.csv:{i + 2}: type-error: cell {i}" for i in range(20)]
    assert finding_lines(many[:3], cap=1) == ["t.csv:2: type-error: cell 0", "… and 2 more"]
