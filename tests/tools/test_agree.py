"""natodata agree: Krippendorff's alpha between two codings, units matched by their anchors."""

import json
from itertools import permutations

import pytest
from typer.testing import CliRunner

from natodata.cli import app
from natodata.tools.agree import agree

from conftest import ROOT

runner = CliRunner()


def alpha_by_hand(a: list, b: list, delta) -> float:
    """Krippendorff's alpha for two coders and no missing values, from its definition:
    1 - (n - 1) * sum of within-unit disagreements / sum of all pairwise disagreements."""
    values = a + b
    n = len(values)
    within = sum(2 * delta(x, y) for x, y in zip(a, b))
    overall = sum(delta(x, y) for x, y in permutations(values, 2))
    return 1 - (n - 1) * within / overall


def nominal(x, y):
    return 0 if x == y else 1


def interval(x, y):
    return (x - y) ** 2


def test_a_coding_against_itself_agrees_perfectly():
    result = runner.invoke(app, ["agree", str(ROOT), str(ROOT)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "articles compared: src-000, src-001, src-002, src-003, src-004"
    assert lines[-1] == "unmatched units: none"
    rows = [line.split() for line in lines[3:] if line and not line.startswith(("matched", "unmatched"))][1:]
    assert rows and all(r[5] == "1.000" and r[6] == "reliable" or r[5:] == ["-", "no", "variation"] for r in rows)
    assert ["quotes", "speaker_id", "nominal", "23", "23/23", "1.000", "reliable"] in rows


@pytest.fixture
def second(pkg):
    """A second coding of src-003 only, from the shipped rows with the differences two coders
    really have: a hedge read as exact, a quotation taken as a fragment, a quotation cut
    before its last mark of punctuation, and one furniture span not recorded."""
    keep = "src-003"
    for table in ("quotes", "figures", "event_evidence", "actor_aliases", "actor_titles", "furniture", "uncoded"):
        rows = pkg.rows(table)
        col = rows[0].index("source_id")
        pkg.write_rows(table, [rows[0]] + [r for r in rows[1:] if r[col] == keep])
    rows = pkg.rows("sources")
    pkg.write_rows("sources", [rows[0]] + [r for r in rows[1:] if r[0] == keep])

    def edit(table, row_id, **values):
        rows = pkg.rows(table)
        line = next(i for i, r in enumerate(rows) if r[0] == row_id) + 1
        for k, v in values.items():
            pkg.set(table, line, k, v)

    edit("figures", "f-003-mission-size", value_low="500", value_high="500", qualifier="exact")
    edit("quotes", "q-003-stoltenberg-decision-in-principle", form="partial")
    text = pkg.get("quotes", next(i for i, r in enumerate(pkg.rows("quotes"), 1) if r[0] == "q-003-stoltenberg-brutality"), "text")
    edit("quotes", "q-003-stoltenberg-brutality", text=text[:-1])
    rows = pkg.rows("furniture")
    pkg.write_rows("furniture", [r for r in rows if r[0] != "fu-003-reading-time"])
    return pkg


def shipped(table, field, source="src-003"):
    import csv

    with open(ROOT / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
        return [r[field] for r in csv.DictReader(f) if r["source_id"] == source]


def test_a_second_coding_gives_alpha_per_field(second):
    r = agree(ROOT, second.root)
    assert r.sources == ["src-003"]
    by = {(v.table, v.field): v for v in r.variables}
    # qualifier: one hedge of five read as exact
    a = shipped("figures", "qualifier")
    b = ["exact" if x == "approximate" else x for x in a]
    assert by["figures", "qualifier"].alpha == pytest.approx(alpha_by_hand(a, b, nominal)) == pytest.approx(0.0)
    lows = [int(x) for x in shipped("figures", "value_low")]
    assert by["figures", "value_low"].alpha == pytest.approx(alpha_by_hand(lows, [500 if x == 450 else x for x in lows], interval))
    assert by["figures", "value_best"].alpha == 1.0
    forms = shipped("quotes", "form")
    ids = shipped("quotes", "id")
    forms_b = ["partial" if i == "q-003-stoltenberg-decision-in-principle" else f for i, f in zip(ids, forms)]
    assert by["quotes", "form"].alpha == pytest.approx(alpha_by_hand(forms, forms_b, nominal))
    # the cut quotation still matches by its span; only its text differs
    assert (by["quotes", "text"].units, by["quotes", "text"].agreeing) == (5, 4)
    assert r.only_a["furniture"] == ["fu-003-reading-time (src-003 247..257 '3 min read')"]
    assert r.only_b["furniture"] == [] and r.matched["furniture"] == 4
    assert (by["uncoded", "reason"].units, by["uncoded", "reason"].verdict) == (0, "no units")  # src-003 has none


@pytest.mark.slow
def test_agree_json_and_text_name_the_verdicts(second):
    result = runner.invoke(app, ["agree", str(ROOT), str(second.root), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["thresholds"] == {"reliable": 0.8, "tentative": 0.667}
    q = next(v for v in doc["variables"] if (v["table"], v["field"]) == ("figures", "qualifier"))
    assert (q["units"], q["agreeing"], q["verdict"]) == (5, 4, "unreliable")
    assert doc["unmatched"] == {"a": {"furniture": ["fu-003-reading-time (src-003 247..257 '3 min read')"]}, "b": {}}
    text = runner.invoke(app, ["agree", str(ROOT), str(second.root)]).output.splitlines()
    assert text[-2:] == ["unmatched units: 1", "  furniture: only in A: fu-003-reading-time (src-003 247..257 '3 min read')"]


def test_codings_of_different_articles_are_refused(second):
    second.set("sources", 2, "sha256", "0" * 64)
    result = runner.invoke(app, ["agree", str(ROOT), str(second.root)])
    assert (result.exit_code, result.output) == (1, "Error: the codings share no article (no sha256 in common)\n")
