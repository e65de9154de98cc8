"""Reading and checking a table piece by piece never changes a finding: whatever the size
of the pieces, with or without reading ahead, and whether the package is read whole first
(``validate_loaded``, as ``publish`` does) or streamed (``validate``)."""

from __future__ import annotations

import pytest

from tests.helpers.corpus import synthetic

from natodata.checks.validate import validate, validate_loaded
from natodata.tables.read import read_tables

# Whole-package validations, seconds in all: run by CI's `pytest -m slow` to keep the default suite under 30 s.
pytestmark = pytest.mark.slow


def _broken(pkg):
    """The shipped package with one of almost every kind of finding, spread over tables."""
    rows = pkg.rows("quotes")
    pkg.set("quotes", 3, "speaker_id", "aus")  # a state as a speaker
    pkg.set("quotes", 4, "speaker_id", "no-such-actor")
    pkg.set("quotes", 5, "start", "x")  # a type error
    pkg.set("quotes", 6, "form", "")  # required, blank
    pkg.set("quotes", 7, "id", rows[1][0])  # a repeated primary key
    pkg.set("figures", 2, "value_low", "999999")
    pkg.set("figures", 3, "claim_id", pkg.get("figures", 4, "claim_id"))
    pkg.set("actors", 2, "iso3", "XXX")
    pkg.set("actors", 3, "name", " padded")
    pkg.set("actors", 4, "description", "=SUM(A1)")
    pkg.set("actors", 5, "description", "bidi \u202e text")
    pkg.set("events", 2, "date_precision", "year")
    pkg.set("sources", 2, "published", "1999-02-30")
    pkg.append("actors", {"id": "zz-unused", "name": "Nobody", "kind": "person", "description": "x"})
    aliases = pkg.rows("actor_aliases")  # out of primary-key order: not canonical
    aliases[5], aliases[9] = aliases[9], aliases[5]
    pkg.write_rows("actor_aliases", aliases)
    text = pkg.csv("event_participants").read_text()  # a cell quoted without need: not canonical
    first = text.index("\n", text.index("\n") + 1) + 1
    row = text[first : text.index("\n", first)].split(",")
    pkg.csv("event_participants").write_text(text.replace(",".join(row), ",".join([f'"{row[0]}"', *row[1:]]), 1))
    return pkg


def _found(report):
    return sorted((f.type, f.path or "", f.line or 0, f.field or "", f.message, f.value or "") for f in report.findings)


@pytest.fixture(autouse=True)
def everything_encoded_and_read_ahead(monkeypatch):
    """The shipped package is small: take the paths of big packages anyway."""
    from natodata.checks import retain, validate as v

    monkeypatch.setattr(retain, "ENCODE_ROWS", 0)
    monkeypatch.setattr(v, "READ_AHEAD_BYTES", 0)


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    from tests.helpers import Pkg, copy_package

    return _broken(Pkg(copy_package(tmp_path_factory.mktemp("pieces") / "pkg", synthetic().package)))


@pytest.fixture(scope="module")
def whole(broken):
    return _found(validate(broken.root, synthetic().corpus))


def test_the_broken_package_has_findings_of_many_kinds(whole):
    types = {f[0] for f in whole}
    assert {
        "speaker-kind",
        "foreign-key",
        "type-error",
        "required-constraint",
        "primary-key",
        "value-order",
        "iso3-unknown",
        "surrounding-whitespace",
        "formula-injection",
        "control-character",
        "unused-actor",
        "not-canonical",
        "claim-disagreement",
    } <= types


@pytest.mark.parametrize("chunk_bytes", [2048, 9000])
def test_pieces_of_any_size_give_the_same_findings(broken, whole, chunk_bytes):
    assert _found(validate(broken.root, synthetic().corpus, chunk_bytes=chunk_bytes)) == whole


def test_reading_ahead_changes_nothing(broken, whole):
    assert _found(validate(broken.root, synthetic().corpus, chunk_bytes=4096, read_ahead_=False)) == whole


def test_a_package_read_whole_gives_the_same_findings(broken, whole):
    assert _found(validate_loaded(read_tables(broken.root), synthetic().corpus)) == whole


@pytest.mark.slow
def test_tiny_pieces_give_the_same_findings(broken, whole):
    assert _found(validate(broken.root, synthetic().corpus, chunk_bytes=300)) == whole
