"""What validate writes: escaped data, the configuration named, and a valid document in
every format on every exit code (stdout or --output-file)."""

import json
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from natodata.cli import app

runner = CliRunner()

FORMATS = ["text", "json", "github", "gitlab", "junit"]


def _check_document(fmt: str, text: str, message: str) -> None:
    """``text`` is the valid exit-2 document of ``fmt`` naming ``message``."""
    if fmt == "text":
        assert text == ""
    elif fmt == "json":
        assert json.loads(text)["error"] == {"message": message, "exit_code": 2}
    elif fmt == "github":
        assert text == f"::error title=natodata::Error: {message} (exit 2)\n"
    elif fmt == "gitlab":
        assert json.loads(text) == []
    else:
        root = ET.fromstring(text)
        assert (root.get("tests"), root.get("failures")) == ("1", "1")
        [failure] = root.iter("failure")
        assert failure.get("message") == f"Error: {message}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_writes_a_valid_document_on_exit_2(tmp_path, fmt):
    message = f"data package descriptor not found: {tmp_path / 'datapackage.json'}"
    result = runner.invoke(app, ["validate", str(tmp_path), "--format", fmt, "--isolated"])
    assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n")
    _check_document(fmt, result.stdout, message)
    out = tmp_path / "out" / "report"
    result = runner.invoke(app, ["validate", str(tmp_path), "-f", fmt, "--output-file", str(out), "--isolated"])
    assert (result.exit_code, result.stdout) == (2, "")
    if fmt == "text":  # the file CI keeps says why
        assert out.read_text() == f"Error: {message}\n"
    else:
        _check_document(fmt, out.read_text(), message)
    assert sorted(p.name for p in out.parent.iterdir()) == ["report"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_usage_error_is_a_document_too(tmp_path, fmt):
    message = "No such option: --bogus (Possible options: --corpus)"
    result = runner.invoke(app, ["validate", str(tmp_path), f"--format={fmt}", "--bogus"])
    assert result.exit_code == 2
    _check_document(fmt, result.stdout, message)
    out = tmp_path / "r"
    runner.invoke(app, ["validate", str(tmp_path), f"-f{fmt}", f"--output-file={out}", "--bogus"])
    if fmt != "text":
        _check_document(fmt, out.read_text(), message)
    else:
        assert out.read_text() == f"Error: {message}\n"


def test_config_and_isolated_together_are_a_usage_error(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path), "--config", "x.toml", "--isolated", "-f", "json"])
    assert (result.exit_code, json.loads(result.stdout)["error"]["message"]) == (
        2,
        "give --config FILE or --isolated, not both",
    )


def test_corpus_in_the_configuration_is_relative_to_its_file(tmp_path, monkeypatch):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "pyproject.toml").write_text('[tool.natodata]\ncorpus = "articles"\n')
    (tmp_path / "repo" / "sub").mkdir()
    (tmp_path / "repo" / "sub" / "datapackage.json").write_text('{"resources": []}')
    monkeypatch.chdir(tmp_path / "repo" / "sub")
    result = runner.invoke(app, ["validate"])
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: corpus directory not found: {tmp_path / 'repo' / 'articles'}\n",
    )
    result = runner.invoke(app, ["validate", "--corpus", "elsewhere"])  # the command line wins
    assert (result.exit_code, result.stderr) == (2, "Error: corpus directory not found: elsewhere\n")


def test_a_configuration_above_the_repository_root_is_never_read(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.natodata]\nignore = ["descriptor"]\n')
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "repo")
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 2  # no descriptor: not switched off by a parent's file
    assert result.stderr == f"Error: data package descriptor not found: {tmp_path / 'repo' / 'datapackage.json'}\n"


@pytest.fixture
def hostile(pkg):
    """The shipped package with a field name carrying ESC, a line break, a workflow
    command and a bidi override."""
    pkg.edit_schema("actors", lambda d: d["fields"][1].update(name="na\x1b[31m\n::add-mask::me\u202e"))
    return pkg


def test_text_report_escapes_a_hostile_field_name_and_names_the_configuration(hostile, monkeypatch):
    (hostile.root / "pyproject.toml").write_text('[tool.natodata]\nignore = ["claim-disagreement", "extra-label"]\n')
    monkeypatch.chdir(hostile.root)
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 1
    assert result.stdout == (
        "data/actors.csv:1: error missing-label [na\\x1b[31m\\n::add-mask::me\\u202e]: the header lacks the schema field "
        "'na\\x1b[31m\\n::add-mask::me\\u202e'\n"
        "configuration: pyproject.toml\n"
        "  its ignore switches off: claim-disagreement (2 findings left out), extra-label (1 finding left out)\n"
        "invalid: 1 error, 0 warnings, 3 ignored\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_names_the_configuration_and_prints_no_control_character(hostile, monkeypatch, fmt):
    import re

    from natodata.escape import CONTROL_RE

    (hostile.root / "pyproject.toml").write_text('[tool.natodata]\nignore = ["claim-disagreement"]\n')
    monkeypatch.chdir(hostile.root)
    result = runner.invoke(app, ["validate", "-f", fmt])
    assert result.exit_code == 1
    assert [c for c in re.findall(CONTROL_RE, result.stdout) if c != "\n"] == []
    assert not [line for line in result.stdout.splitlines() if line.startswith("::add-mask")]
    assert "pyproject.toml" in result.stdout and "claim-disagreement" in result.stdout
    if fmt == "json":
        assert json.loads(result.stdout)["configuration"]["switched_off"] == {"claim-disagreement": "ignore"}


def test_every_commands_output_is_escaped_at_the_edge(capsys):
    """claims, stats, agree, diff, fmt, export…: what they print passes through one escaping."""
    from natodata.cli.edge import emit, say

    emit("name\tcount\nx\x1b[2J\u202e\n::add-mask::secret\n")
    emit('{"v": "a\u202eb\x85"}\n', "json")
    say("wrote data/\x1b]0;title\x07x.csv")
    assert capsys.readouterr().out == (
        "name\\tcount\nx\\x1b[2J\\u202e\n\\x3a:add-mask::secret\n"
        '{"v": "a\\u202eb\\u0085"}\n'
        "wrote data/\\x1b]0;title\\x07x.csv\n"
    )
