"""The command line, through Typer's CliRunner: exit codes and exact output."""

import json
import subprocess
import sys
import pytest

from typer.testing import CliRunner

from natodata.cli import app
from natodata.errors import UnreadableInput
from natodata.findings import TYPES

from tests.helpers import ROOT

runner = CliRunner()


def test_validate_shipped_package(shipped, corpus):
    result = runner.invoke(app, ["validate", str(shipped), "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("valid: 0 errors, ")


def test_validate_invalid_package_exits_1_with_the_finding(pkg):
    pkg.set("sources", 2, "sha256", "xyz")
    result = runner.invoke(app, ["validate", str(pkg.root)])
    assert result.exit_code == 1
    assert (
        "data/sources.csv:2: error pattern-constraint [sha256]: 'xyz' does not match the pattern [0-9a-f]{64}"
        in result.output.splitlines()
    )
    assert result.output.splitlines()[-1].startswith("invalid: 1 error, ")


def test_validate_json_and_github(pkg, monkeypatch):
    pkg.set("sources", 2, "sha256", "xyz")
    result = runner.invoke(app, ["validate", str(pkg.root), "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [(f["type"], f["line"], f["field"]) for f in doc["findings"] if f["severity"] == "error"] == [
        ("pattern-constraint", 2, "sha256")
    ]
    # run from the parent directory, GitHub annotations name the file from there
    monkeypatch.chdir(pkg.root.parent)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    result = runner.invoke(app, ["validate", "pkg/", "-f", "github"])
    assert (
        "::error file=pkg/data/sources.csv,line=2,title=pattern-constraint::sha256: 'xyz' does not match the pattern [0-9a-f]{64}"
        in result.stdout.splitlines()
    )


def test_missing_descriptor_exits_2_without_traceback(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output == f"Error: data package descriptor not found: {tmp_path / 'datapackage.json'}\n"


def test_debug_shows_the_exception(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path), "--debug"])
    assert isinstance(result.exception, UnreadableInput)


def test_missing_corpus_exits_2(tmp_path):
    result = runner.invoke(app, ["validate", str(ROOT), "--corpus", str(tmp_path / "none")])
    assert (result.exit_code, result.output) == (2, f"Error: corpus directory not found: {tmp_path / 'none'}\n")


def test_bad_format_is_a_usage_error():
    result = runner.invoke(app, ["validate", str(ROOT), "--format", "xml"])
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: Invalid value for '--format' / '-f': Value error, 'xml' is not one of 'text', 'json', 'github', 'gitlab', 'junit'.\n"
    )


def test_fmt_check_on_shipped_data():
    result = runner.invoke(app, ["fmt", str(ROOT), "--check"])
    assert (result.exit_code, result.output) == (0, "all files canonical\n")


def test_fmt_check_reports_and_fmt_fixes(pkg):
    rows = pkg.rows("actor_aliases")
    rows[1], rows[2] = rows[2], rows[1]
    pkg.write_rows("actor_aliases", rows)
    result = runner.invoke(app, ["fmt", str(pkg.root), "--check"])
    assert (result.exit_code, result.output) == (1, "would reformat data/actor_aliases.csv\n1 file would reformat\n")
    result = runner.invoke(app, ["fmt", str(pkg.root)])
    assert (result.exit_code, result.output) == (0, "reformatted data/actor_aliases.csv\n1 file reformatted\n")


def test_anchor_without_changes(pkg, corpus):
    result = runner.invoke(app, ["anchor", str(pkg.root), "--corpus", str(corpus)])
    assert result.exit_code == 0
    assert result.output.endswith("; 0 changed; 0 files written\n")


def test_anchor_refusal_is_an_error(pkg, corpus):
    pkg.set("quotes", 2, "text", "Words nobody wrote")
    result = runner.invoke(app, ["anchor", str(pkg.root), "--corpus", str(corpus)])
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: nothing written; these rows cannot be anchored:\n  data/quotes.csv:2: text 'Words nobody wrote' does not occur in the article"
    )


def test_stats_json_counts_every_source():
    result = runner.invoke(app, ["stats", str(ROOT), "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    sources = [line.split(",")[0] for line in (ROOT / "data" / "sources.csv").read_text().splitlines()[1:]]
    assert list(doc) == [*sources, "total"]
    quotes = len((ROOT / "data" / "quotes.csv").read_text().splitlines()) - 1
    assert doc["total"]["quotes"] == quotes == sum(doc[s]["quotes"] for s in sources)


def test_python_m_and_help():
    out = subprocess.run(
        [sys.executable, "-m", "natodata", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("validate", "fmt", "anchor", "stats"):
        assert command in out


NOTE = "note: provenance checks skipped: give --corpus DIR to check rows against their articles\n"


def test_version_names_the_toolkit_and_the_latest_data_release():
    import tomllib

    from natodata import __version__

    from natodata.layout import published_versions, shipped_package

    latest = published_versions(shipped_package())[-1]
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.output) == (0, f"natodata {__version__}\ndata release {latest}\n")
    # The toolkit's version is its own (src/natodata/_version.py), and the wheel is built with it.
    from importlib.metadata import version

    assert version("natodata") == __version__
    hatch = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["version"]
    assert hatch == {"path": "src/natodata/_version.py"}


def test_skipped_provenance_is_noted_on_stderr_only():
    result = runner.invoke(app, ["validate", str(ROOT), "-f", "json"])
    assert (result.exit_code, result.stderr) == (0, NOTE)
    assert json.loads(result.stdout)["valid"] is True


@pytest.mark.slow
def test_ignore_and_strict_on_the_shipped_package():
    result = runner.invoke(app, ["validate", str(ROOT), "--ignore", "claim-disagreement,provenance"])
    assert (result.exit_code, result.stdout) == (0, "valid: 0 errors, 0 warnings, 2 ignored\n")
    assert result.stderr == ""  # no provenance finding selected: nothing skipped worth a note
    result = runner.invoke(
        app, ["validate", str(ROOT), "--strict", "--select", "claim-disagreement", "--select", "unused"]
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "invalid: 0 errors, 2 warnings (strict: warnings fail)"


@pytest.mark.slow
def test_pyproject_settings_and_the_command_line_overriding_them(pkg, monkeypatch):
    (pkg.root / "pyproject.toml").write_text('[tool.natodata]\nstrict = true\nignore = ["provenance"]\n')
    monkeypatch.chdir(pkg.root)  # configuration is found from the current directory
    result = runner.invoke(app, ["validate", str(pkg.root)])
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout.splitlines()[-3:] == [
        "configuration: pyproject.toml",
        "  its ignore switches off: " + ", ".join(sorted(t for t, d in TYPES.items() if d.group == "provenance")),
        "invalid: 0 errors, 2 warnings (strict: warnings fail)",
    ]
    result = runner.invoke(app, ["validate", str(pkg.root), "--no-strict", "--ignore", "claim-disagreement,provenance"])
    assert (result.exit_code, result.stdout) == (
        0,
        "configuration: pyproject.toml\nvalid: 0 errors, 0 warnings, 2 ignored\n",
    )
    result = runner.invoke(app, ["validate", str(pkg.root), "--isolated"])
    assert result.exit_code == 0 and "configuration" not in result.stdout


def test_unknown_code_is_a_usage_error_with_a_hint():
    result = runner.invoke(app, ["validate", str(ROOT), "--ignore", "claim-disagreemnt"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: unknown finding type or prefix 'claim-disagreemnt' in --ignore; did you mean 'claim-disagreement'?\n"
    )


def test_json_is_one_document_on_stdout_even_on_exit_2(tmp_path):
    for args, message in (
        (["validate", str(tmp_path)], f"data package descriptor not found: {tmp_path / 'datapackage.json'}"),
        (
            ["validate", str(ROOT), "--select", "nope"],
            "unknown finding type or prefix 'nope' in --select; see the finding types in docs/validate.md",
        ),
        (["validate", str(ROOT), "--bogus"], "No such option: --bogus (Possible options: --corpus)"),
        (["validate", str(ROOT), "--select"], "Option '--select' requires an argument."),
    ):
        for fmt in (["--format", "json"], ["--format=json"], ["-fjson"]):
            result = runner.invoke(app, [*args[:2], *fmt, *args[2:]])
            assert result.exit_code == 2, (args, fmt)
            doc = json.loads(result.stdout)
            assert (doc["valid"], doc["findings"], doc["error"]) == (False, [], {"message": message, "exit_code": 2})
            assert result.stderr.endswith(f"Error: {message}\n")
