"""Primary keys, unique keys and foreign keys."""

import json

import pytest

from natodata.checks.validate import validate

from tests.helpers import added

# Whole-package validations, seconds in all: run by CI's `pytest -m slow` to keep the default suite under 30 s.
pytestmark = pytest.mark.slow


def test_duplicate_primary_key(pkg):
    row = pkg.rows("actors")[1]
    line = pkg.append("actors", dict(zip(pkg.rows("actors")[0], row)))
    assert added(validate(pkg.root)) == [("primary-key", "actors", line, "id")]


def test_duplicate_composite_primary_key(pkg):
    row = pkg.rows("actor_aliases")[1]
    line = pkg.append("actor_aliases", dict(zip(pkg.rows("actor_aliases")[0], row)))
    report = validate(pkg.root)
    assert added(report) == [("primary-key", "actor_aliases", line, "actor_id,alias,source_id")]
    f = next(f for f in report.findings if f.type == "primary-key")
    assert f.value == ",".join(row)


def test_unique_keys(pkg):
    p = pkg.root / "schemas" / "figures.json"
    d = json.loads(p.read_text())
    d["uniqueKeys"] = [["source_id", "start"]]
    p.write_text(json.dumps(d))
    header, first = pkg.rows("figures")[:2]
    line = pkg.append("figures", {**dict(zip(header, first)), "id": "f-copy"})
    assert added(validate(pkg.root)) == [("unique-key", "figures", line, "source_id,start")]


def test_foreign_key(pkg):
    pkg.set("quotes", 2, "occasion_id", "no-such-event")
    report = validate(pkg.root)
    assert added(report) == [("foreign-key", "quotes", 2, "occasion_id")]
    f = next(f for f in report.findings if f.type == "foreign-key")
    assert f.message == "(occasion_id) = (no-such-event) has no match in events(id)"


def test_foreign_key_to_unreadable_table(pkg):
    pkg.csv("actors").write_bytes(b"")
    report = validate(pkg.root)
    assert {f[0] for f in added(report)} == {"empty-file"}  # the references into actors are folded into it
    f = next(f for f in report.findings if f.type == "empty-file")
    assert (f.message, f.stopped) == (
        "file is empty; it needs at least a header line; so table 'actors' could not be read, which stopped 5 checks that "
        "depend on it (foreign-key): fix this first",
        5,
    )
