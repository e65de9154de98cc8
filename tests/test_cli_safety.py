"""Every command is safe: a named error and its exit code, never a traceback or
"unexpected", and files byte-identical wherever nothing should be written."""

import os
import sqlite3

import pytest
from typer.testing import CliRunner

from natodata.cli import app

from tests.helpers import ROOT
from tests.helpers.corpus import synthetic
from tests.helpers.releasing import commit, snapshot, write_changelog

# Whole-package validations, seconds in all: run by CI's `pytest -m slow` to keep the default suite under 30 s.
pytestmark = pytest.mark.slow

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output and "unexpected" not in result.output, result.output
    return result.exit_code, result.output


# --- fmt and anchor: every file or none ---------------------------------------------------


def _swap_rows(pkg, *tables):
    for t in tables:
        rows = pkg.rows(t)
        rows[1], rows[2] = rows[2], rows[1]
        pkg.write_rows(t, rows)


def test_fmt_failing_midway_rewrites_no_file(pkg, monkeypatch):
    _swap_rows(pkg, "actor_aliases", "actors", "quotes")
    before = snapshot(pkg.root)
    real, calls = os.replace, []

    def replace(src, dst):  # the second file cannot be renamed into place: a full disk
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    code, out = run("fmt", pkg.root)
    # Tables go in descriptor order: actors, then actor_aliases.
    assert (code, out) == (
        2,
        f"Error: cannot write {pkg.csv('actor_aliases')}: No space left on device; nothing written\n",
    )
    assert snapshot(pkg.root) == before  # actors.csv restored; no temporary file left
    monkeypatch.undo()
    assert run("fmt", pkg.root)[0] == 0


def test_anchor_failing_to_write_changes_nothing(pkg, corpus, monkeypatch):
    for t in ("quotes", "figures"):
        pkg.set(t, 2, "start", "")
        pkg.set(t, 2, "prefix", "")
    before = snapshot(pkg.root)
    real_open = open

    def full_disk(path, mode="r", *args, **kwargs):
        if "w" in mode and "figures.csv" not in str(path):
            raise OSError(28, "No space left on device")
        return real_open(path, mode, *args, **kwargs)

    from natodata import atomic

    monkeypatch.setattr(atomic, "open", full_disk, raising=False)
    code, out = run("anchor", pkg.root, "--corpus", corpus)
    assert (code, out) == (2, f"Error: cannot write {pkg.csv('quotes')}: No space left on device; nothing written\n")
    assert snapshot(pkg.root) == before


# --- codebook, timeline, diff: inside the guard ---------------------------------------------


def test_codebook_to_a_directory(tmp_path):
    assert run("codebook", ROOT, "-o", tmp_path) == (
        2,
        f"Error: cannot write {tmp_path}: it is a directory; nothing written\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_timeline_to_a_directory(tmp_path):
    (tmp_path / "t.svg").mkdir()
    assert run("timeline", ROOT, "-o", tmp_path / "t.svg") == (
        2,
        f"Error: cannot write {tmp_path / 't.svg'}: it is a directory; nothing written\n",
    )
    assert [p.name for p in tmp_path.rglob("*")] == ["t.svg"]


def test_timeline_with_zero_events(pkg, tmp_path):
    for t in ("events", "event_evidence", "event_participants"):
        pkg.write_rows(t, pkg.rows(t)[:1])
    rows = pkg.rows("quotes")
    occasion = rows[0].index("occasion_id")
    pkg.write_rows("quotes", [rows[0]] + [r[:occasion] + [""] + r[occasion + 1 :] for r in rows[1:]])
    out = tmp_path / "t.svg"
    assert run("timeline", pkg.root, "-o", out) == (
        1,
        f"Error: there are no events to draw; nothing written to {out}\n",
    )
    assert not out.exists()


def test_diff_with_a_schema_of_the_wrong_shape(pkg):
    (pkg.root / "schemas" / "events.json").write_text('{"fields": 5}')
    assert run("diff", pkg.root, ROOT) == (
        2,
        f"Error: cannot compare {pkg.root}: schemas/events.json#/fields: fields must be an array, not a number; "
        "run natodata validate\n",
    )
    code, out = run("validate", pkg.root)
    assert code == 1
    assert "schemas/events.json#/fields: error schema-error: fields must be an array, not a number" in out


# --- export -----------------------------------------------------------------------------


def _duplicate_actor(pkg):
    rows = pkg.rows("actors")
    pkg.write_rows("actors", rows[:2] + [rows[1]] + rows[2:])


@pytest.mark.slow
def test_export_refuses_an_invalid_package_with_its_findings(pkg, tmp_path):
    _duplicate_actor(pkg)
    for target in (["--sqlite", tmp_path / "x.db"], ["--parquet", tmp_path / "pq"]):
        code, out = run("export", pkg.root, *target)
        assert code == 1
        assert out.startswith(
            f"Error: cannot export {pkg.root}: it does not validate (1 error); "
            "run natodata validate, or give --no-validate to go on:\n  data/actors.csv:3: primary-key: "
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


@pytest.mark.parametrize(
    "corrupt,message",
    [
        (_duplicate_actor, "cannot export actors to SQLite: UNIQUE constraint failed: actors.id; nothing written"),
        (
            lambda pkg: pkg.set("quotes", 2, "speaker_id", "nobody-at-all"),
            "cannot export quotes to SQLite: FOREIGN KEY constraint failed; nothing written",
        ),
    ],
)
def test_export_without_validation_still_refuses_what_sqlite_refuses(pkg, tmp_path, corrupt, message):
    corrupt(pkg)
    db = tmp_path / "out" / "x.db"
    assert run("export", pkg.root, "--no-validate", "--sqlite", db) == (1, f"Error: {message}\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_failing_parquet_export_leaves_the_previous_database(tmp_path):
    db = tmp_path / "x.db"
    assert run("export", ROOT, "--sqlite", db)[0] == 0
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE marker (x)")  # tell the old database from a new one
    con.commit()
    con.close()
    (tmp_path / "pq").write_text("a file where the Parquet directory should go")
    before = snapshot(tmp_path)
    code, out = run("export", ROOT, "--sqlite", db, "--parquet", tmp_path / "pq")
    assert code == 2 and out.startswith(f"Error: cannot write {tmp_path / 'pq'}: ")
    assert snapshot(tmp_path) == before


# --- publish ----------------------------------------------------------------------------


@pytest.fixture
def dated(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


@pytest.mark.slow
def test_publish_refused_by_a_read_only_releases_directory_leaves_no_archive(pkg, monkeypatch, dated):
    write_changelog(pkg.root, "1.0.0")
    commit(pkg.root)
    before = snapshot(pkg.root)
    import os
    import types

    from natodata import atomic

    def replace(src, dst):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(
        atomic, "os", types.SimpleNamespace(**{**vars(os), "replace": replace})
    )  # the first rename fails
    code, out = run("publish", pkg.root, "--release", "1.0.0", "--corpus", synthetic().corpus)
    assert (code, out) == (
        1,
        f"Error: cannot write {pkg.root / 'releases' / '1.0.0'}: Read-only file system; nothing was published\n",
    )
    assert snapshot(pkg.root) == before  # no dist/, no archive, no release, no journal


@pytest.mark.slow
def test_publish_with_a_changelog_that_is_not_utf8(pkg, dated):
    (pkg.root / "CHANGELOG.md").write_bytes(b"# Changelog\n\n## 1.0.0\n\n- caf\xe9\n")
    commit(pkg.root)
    before = snapshot(pkg.root)
    assert run("publish", pkg.root, "--release", "1.0.0", "--corpus", synthetic().corpus) == (
        2,
        f"Error: CHANGELOG.md in {pkg.root} is not UTF-8 (byte 28); nothing was published\n",
    )
    assert snapshot(pkg.root) == before


# --- the exit-code table in docs/cli.md --------------------------------------------------


def test_the_exit_code_table_names_every_command_and_real_exceptions_with_their_codes():
    import re

    import typer.main

    from natodata import errors

    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    table = text.split("## Per command", 1)[1].split("\n## ", 1)[0]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines() if line.startswith("| `")]
    commands = {c.name for c in typer.main.get_group(app).commands.values()}
    assert {r[0].strip("`") for r in rows} == commands
    for command, _, one, two in rows:
        for code, cell in ((1, one), (2, two)):
            for name in re.findall(r"`([A-Z][A-Za-z]+)`", cell):
                assert getattr(errors, name).exit_code == code, (command, name)
