"""Domain rules (named pandera checks), each with a failing fixture and its exact finding."""

from natodata.checks.validate import validate

from tests.helpers import added
import pytest

# Whole-package validations, seconds in all: run by CI's `pytest -m slow` to keep the default suite under 30 s.
pytestmark = pytest.mark.slow


def row(pkg, table, line=2):
    rows = pkg.rows(table)
    return dict(zip(rows[0], rows[line - 1]))


def test_value_order(pkg):
    pkg.set("figures", 2, "value_low", "999999")
    report = validate(pkg.root)
    assert added(report) == [("value-order", "figures", 2, "value_best")]
    assert next(f for f in report.findings if f.type == "value-order").message.startswith(
        "value_low ≤ value_best ≤ value_high does not hold: 999999, "
    )


def test_date_bounds_order(pkg):
    pkg.set("events", 2, "date", "2020")
    pkg.set("events", 2, "date_precision", "year")
    pkg.set("events", 2, "date_earliest", "2020-06-02")
    pkg.set("events", 2, "date_latest", "2020-06-01")
    assert ("date-bounds-order", "events", 2, "date_latest") in added(validate(pkg.root))
    assert [f for f in added(validate(pkg.root)) if f[0] == "date-bounds-order"] == [
        ("date-bounds-order", "events", 2, "date_latest")
    ]


def test_date_precision_mismatch(pkg):
    pkg.set("sources", 2, "published", "2017-05")  # precision stays as shipped
    assert pkg.get("sources", 2, "published_precision") != "month"
    assert added(validate(pkg.root)) == [("date-precision-mismatch", "sources", 2, "published")]


def test_date_bounds_outside_the_named_period(pkg):
    pkg.set("events", 2, "date", "2019")
    pkg.set("events", 2, "date_precision", "year")
    pkg.set("events", 2, "date_earliest", "2019-12-01")
    pkg.set("events", 2, "date_latest", "2020-01-05")
    assert added(validate(pkg.root)) == [("date-bounds-outside", "events", 2, "date")]


def test_event_after_publication(pkg):
    for field, value in (
        ("status", "occurred"),
        ("date", "2031-01-01"),
        ("date_precision", "day"),
        ("date_earliest", "2031-01-01"),
        ("date_latest", "2031-01-01"),
    ):
        pkg.set("events", 2, field, value)
    assert added(validate(pkg.root)) == [("event-after-publication", "events", 2, "status")]


def test_planned_event_after_publication_is_fine(pkg):
    for field, value in (
        ("status", "planned"),
        ("date", "2031-01-01"),
        ("date_precision", "day"),
        ("date_earliest", "2031-01-01"),
        ("date_latest", "2031-01-01"),
    ):
        pkg.set("events", 2, field, value)
    assert added(validate(pkg.root)) == []


def test_speaker_kind(pkg):
    pkg.append("actors", {"id": "testland", "name": "Testland", "kind": "state", "iso3": "ESP", "description": "x"})
    pkg.set("quotes", 2, "speaker_id", "testland")
    assert ("speaker-kind", "quotes", 2, "speaker_id") in added(validate(pkg.root))
    assert [f for f in added(validate(pkg.root)) if f[0] == "speaker-kind"] == [
        ("speaker-kind", "quotes", 2, "speaker_id")
    ]


def test_statement_speaker_conflict(pkg):
    pkg.append("actors", {"id": "someone-else", "name": "Someone Else", "kind": "person", "description": "x"})
    line = pkg.append("quotes", {**row(pkg, "quotes"), "id": "q-conflict", "speaker_id": "someone-else"})
    assert added(validate(pkg.root)) == [
        ("statement-speaker-conflict", "quotes", 2, "statement_id"),
        ("statement-speaker-conflict", "quotes", line, "statement_id"),
    ]


def test_iso3_required_for_states_only(pkg):
    a = pkg.append("actors", {"id": "nowhere", "name": "Nowhere", "kind": "state", "description": "x"})
    b = pkg.append("actors", {"id": "someone", "name": "Someone", "kind": "person", "iso3": "ESP", "description": "x"})
    got = [f for f in added(validate(pkg.root)) if f[0] == "iso3-required"]
    assert got == [("iso3-required", "actors", a, "iso3"), ("iso3-required", "actors", b, "iso3")]


def test_anchor_length(pkg):
    pkg.set("quotes", 2, "end", str(int(pkg.get("quotes", 2, "start")) + 1))
    assert added(validate(pkg.root)) == [("anchor-length", "quotes", 2, "end")]


def test_unused_actor_is_a_warning(pkg):
    line = pkg.append("actors", {"id": "bystander", "name": "Bystander", "kind": "person", "description": "x"})
    report = validate(pkg.root)
    assert added(report) == [("unused-actor", "actors", line, "id")]
    assert report.valid


def test_unused_source_is_a_warning(pkg):
    line = pkg.append("sources", {**row(pkg, "sources"), "id": "src-999", "corpus_file": "999.txt"})
    report = validate(pkg.root)
    assert added(report) == [("unused-source", "sources", line, "id")]
    assert report.valid


def test_claim_disagreement_is_a_warning_that_says_so(pkg):
    first = row(pkg, "figures")
    line = pkg.append("figures", {**first, "id": "f-other", "value_low": "1", "value_best": "1", "value_high": "1"})
    report = validate(pkg.root)
    assert added(report) == [("claim-disagreement", "figures", line, "claim_id")]
    f = next(f for f in report.findings if f.type == "claim-disagreement" and f.line == line)
    assert f.severity == "warning"
    assert f.message == (
        f"the 2 reports of claim {first['claim_id']!r} differ in values: {first['source_id']} {first['wording']!r} = "
        f"{first['value_low']}..{first['value_high']} of {first['owner_id']}; {first['source_id']} {first['wording']!r} = "
        f"1..1 of {first['owner_id']}"
    )


def test_claim_disagreement_is_one_warning_per_claim(pkg):
    first = row(pkg, "figures")
    pkg.append("figures", {**first, "id": "f-other", "value_low": "1", "value_best": "1", "value_high": "1"})
    line = pkg.append("figures", {**first, "id": "f-third", "owner_id": ""})
    report = validate(pkg.root)
    found = [f for f in report.findings if f.type == "claim-disagreement" and f.value == first["claim_id"]]
    assert [f.line for f in found] == [line - 1]
    assert found[0].message.startswith(f"the 3 reports of claim {first['claim_id']!r} differ in values and owner: ")
    assert found[0].message.endswith(
        f"; {first['source_id']} {first['wording']!r} = {first['value_low']}..{first['value_high']}"
    )


def test_speaker_kind_by_pyarrow_as_by_map():
    """Arrow strings are looked up with pyarrow, other columns with ``map``: the same verdicts,
    blanks, unknown speakers, repeated and blank actor ids (the first row wins) included."""
    import json

    import pandas as pd

    from natodata.checks.rules import build_rule
    from natodata.model.tableschema import TableSchema

    from tests.helpers import ROOT

    schemas = {n: TableSchema(json.loads((ROOT / "schemas" / f"{n}.json").read_text())) for n in ("quotes", "actors")}
    spec = next(c for c in schemas["quotes"].checks if c["rule"] == "speaker-kind")
    rule = build_rule(spec, "quotes", schemas["quotes"], schemas)
    ids = pd.Series(["a", "b", "a", None, "c", "d"], dtype="str")
    kinds = pd.Series([spec["allowed"][0], "place", "place", "place", spec["allowed"][-1], None], dtype="str")
    speakers = pd.Series(["a", "b", None, "c", "zz", "d", "a"], dtype="str")
    for actors in (pd.DataFrame({"id": ids, "kind": kinds}), pd.DataFrame({"id": ids.head(0), "kind": kinds.head(0)})):
        arrow = rule.test(pd.DataFrame({"speaker_id": speakers}), {"actors": actors})
        mapped = rule.test(pd.DataFrame({"speaker_id": speakers.astype(object)}), {"actors": actors.astype(object)})
        assert arrow.tolist() == mapped.tolist()
    assert arrow.tolist() == [True] * 7
    assert rule.test(
        pd.DataFrame({"speaker_id": speakers}), {"actors": pd.DataFrame({"id": ids, "kind": kinds})}
    ).tolist() == [True, False, False, True, True, True, True]  # a blank finds the blank id, as map does
