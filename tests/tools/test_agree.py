"""natodata agree: Krippendorff's alpha between two codings, units matched by their anchors."""

import json
from itertools import permutations

import pytest
from typer.testing import CliRunner

from natodata.cli import app
from natodata.tools.agree import agree

from tests.helpers import ROOT
from tests.helpers.corpus import synthetic

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


#: ``natodata agree . .`` on the shipped package: every field agrees, every unit is matched.
SELF = """\
articles compared: src-000, src-001, src-002, src-003, src-004
alpha >= 0.800 reliable, >= 0.667 tentative; '-': the values never vary

table               field                level     units  agree  alpha  verdict
sources             headline             nominal   5      5/5    1.000  reliable
sources             publisher            nominal   5      5/5    -      no variation
sources             byline               nominal   5      5/5    1.000  reliable
sources             published            nominal   5      5/5    1.000  reliable
sources             published_precision  nominal   5      5/5    1.000  reliable
sources             published_basis      nominal   5      5/5    1.000  reliable
sources             language             nominal   5      5/5    -      no variation
event_evidence      event_id             nominal   73     73/73  1.000  reliable
event_evidence      excerpt              nominal   73     73/73  1.000  reliable
quotes              speaker_id           nominal   21     21/21  1.000  reliable
quotes              text                 nominal   21     21/21  1.000  reliable
quotes              form                 nominal   21     21/21  1.000  reliable
quotes              occasion_id          nominal   21     21/21  1.000  reliable
figures             wording              nominal   18     18/18  1.000  reliable
figures             value_low            interval  18     18/18  1.000  reliable
figures             value_best           interval  18     18/18  1.000  reliable
figures             value_high           interval  18     18/18  1.000  reliable
figures             qualifier            nominal   18     18/18  1.000  reliable
figures             unit                 nominal   18     18/18  1.000  reliable
figures             owner_id             nominal   18     18/18  1.000  reliable
figures             as_of                nominal   18     18/18  1.000  reliable
furniture           category             nominal   16     16/16  1.000  reliable
furniture           opening              nominal   16     16/16  1.000  reliable
furniture           extent               nominal   16     16/16  1.000  reliable
uncoded             reason               nominal   3      3/3    1.000  reliable
uncoded             words                nominal   3      3/3    1.000  reliable
actor_aliases       actor_id             nominal   94     94/94  1.000  reliable
actor_titles        actor_id             nominal   21     21/21  1.000  reliable
actor_titles        as_of                nominal   21     21/21  1.000  reliable
actors              name                 nominal   27     27/27  1.000  reliable
actors              kind                 nominal   27     27/27  1.000  reliable
actors              iso3                 nominal   27     27/27  1.000  reliable
events              type                 nominal   40     40/40  1.000  reliable
events              status               nominal   40     40/40  1.000  reliable
events              date                 nominal   40     40/40  1.000  reliable
events              date_precision       nominal   40     40/40  1.000  reliable
events              date_earliest        nominal   40     40/40  1.000  reliable
events              date_latest          nominal   40     40/40  1.000  reliable
events              place                nominal   40     40/40  1.000  reliable
events              country_iso3         nominal   40     40/40  1.000  reliable
event_participants  role                 nominal   71     71/71  1.000  reliable

per table (alpha: the lowest of its fields'):

table               matched  only A  only B  agree    alpha  lowest field  verdict
sources             5        0       0       35/35    1.000  headline      reliable
event_evidence      73       0       0       146/146  1.000  event_id      reliable
quotes              21       0       0       84/84    1.000  speaker_id    reliable
figures             18       0       0       144/144  1.000  wording       reliable
furniture           16       0       0       48/48    1.000  category      reliable
uncoded             3        0       0       6/6      1.000  reason        reliable
actor_aliases       94       0       0       94/94    1.000  actor_id      reliable
actor_titles        21       0       0       42/42    1.000  actor_id      reliable
actors              27       0       0       81/81    1.000  name          reliable
events              40       0       0       320/320  1.000  type          reliable
event_participants  71       0       0       71/71    1.000  role          reliable

unmatched units: none
"""


def test_a_coding_against_itself_agrees_perfectly():
    result = runner.invoke(app, ["agree", str(ROOT), str(ROOT)])
    assert result.exit_code == 0, result.output
    assert result.output == SELF


def _edit(pkg, table, row_id, **values):
    rows = pkg.rows(table)
    line = next(i for i, r in enumerate(rows) if r[0] == row_id) + 1
    for k, v in values.items():
        pkg.set(table, line, k, v)


def _keep_source(pkg, keep):
    for table in ("quotes", "figures", "event_evidence", "actor_aliases", "actor_titles", "furniture", "uncoded"):
        rows = pkg.rows(table)
        col = rows[0].index("source_id")
        pkg.write_rows(table, [rows[0]] + [r for r in rows[1:] if r[col] == keep])
    rows = pkg.rows("sources")
    pkg.write_rows("sources", [rows[0]] + [r for r in rows[1:] if r[0] == keep])


@pytest.fixture
def second(pkg):
    """A second coding of src-003 only, from the shipped rows with the differences two coders
    really have: a hedge read as exact, a quotation taken as a fragment, a quotation cut
    before its last mark of punctuation, and one furniture span not recorded."""
    _keep_source(pkg, "src-003")
    _edit(pkg, "figures", "f-003-mission-size", value_low="500", value_high="500", qualifier="exact")
    _edit(pkg, "quotes", "q-003-stoltenberg-decision-in-principle", form="partial")
    text = pkg.get(
        "quotes", next(i for i, r in enumerate(pkg.rows("quotes"), 1) if r[0] == "q-003-stoltenberg-brutality"), "text"
    )
    _edit(pkg, "quotes", "q-003-stoltenberg-brutality", text=text[:-1])
    rows = pkg.rows("furniture")
    pkg.write_rows("furniture", [r for r in rows if r[0] != "fu-003-reading-time"])
    return pkg


def shipped(table, field, source="src-003"):
    import csv

    with open(ROOT / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
        return [r[field] for r in csv.DictReader(f) if r["source_id"] == source]


def test_a_second_coding_gives_alpha_per_field(second):
    r = agree(synthetic().package, second.root)
    assert r.sources == ["src-003"]
    by = {(v.table, v.field): v for v in r.variables}
    # qualifier: one hedge of five read as exact
    a = shipped("figures", "qualifier")
    b = ["exact" if x == "approximate" else x for x in a]
    assert by["figures", "qualifier"].alpha == pytest.approx(alpha_by_hand(a, b, nominal)) == pytest.approx(0.0)
    lows = [int(x) for x in shipped("figures", "value_low")]
    assert by["figures", "value_low"].alpha == pytest.approx(
        alpha_by_hand(lows, [500 if x == 450 else x for x in lows], interval)
    )
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


@pytest.fixture
def renamed(second):
    """The same second coding with ids of its own and the differences that only the link
    tables show: every actor and event of src-003 renamed, one participant dropped, one role
    read differently, one alias given to another actor, one title dated differently, one
    event (with its evidence and participants) left out and one added."""
    ids = {
        "margarita-robles": "robles",
        "ben-wallace": "wallace",
        "gbr": "uk",
        "nato-suspends-iraq-training-2020-01": "nato-halts-training",
        "us-strike-kills-soleimani-2020-01-03": "soleimani-strike",
    }
    for table in (
        "actors",
        "actor_aliases",
        "actor_titles",
        "quotes",
        "figures",
        "events",
        "event_participants",
        "event_evidence",
    ):
        rows = second.rows(table)
        second.write_rows(table, [[ids.get(c, c) for c in r] for r in rows])
    rows = second.rows("event_participants")
    rows = [r for r in rows if r != ["soleimani-strike", "irn", "target"]]
    rows = [
        ["gbr-open-to-move-troops-to-nato-2020-02-12", "wallace", "holder"]
        if r == ["gbr-open-to-move-troops-to-nato-2020-02-12", "wallace", "speaker"]
        else r
        for r in rows
    ]
    gone = "nato-looks-at-mena-training-2020-02-12"
    second.write_rows("event_participants", [r for r in rows if r[0] != gone])
    for table in ("events", "event_evidence"):
        rows = second.rows(table)
        second.write_rows(table, [r for r in rows if r[0] != gone])
    rows = second.rows("actor_aliases")
    second.write_rows(
        "actor_aliases", [["nato", "US", "src-003"] if r == ["usa", "US", "src-003"] else r for r in rows]
    )
    rows = second.rows("actor_titles")
    second.write_rows(
        "actor_titles", [r[:3] + ["2020-02"] if r[:2] == ["wallace", "British Defence Minister"] else r for r in rows]
    )
    events = second.rows("events")
    second.write_rows(
        "events",
        events
        + [
            [
                "outrage-in-baghdad",
                "other",
                "occurred",
                "2020-01",
                "month",
                "2020-01-03",
                "2020-01-31",
                "Baghdad",
                "IRQ",
                "Outrage in Baghdad",
                "Anger at the strike.",
            ]
        ],
    )
    evidence = second.rows("event_evidence")
    second.write_rows(
        "event_evidence",
        evidence
        + [
            [
                "outrage-in-baghdad",
                "src-003",
                "sparked outrage in Baghdad",
                "2055",
                "2081",
                "Qasem Soleimani ",
                " and a vote by the I",
            ]
        ],
    )
    return second


def test_actors_and_events_are_matched_through_every_reference_to_them(renamed):
    r = agree(synthetic().package, renamed.root)
    by = {(v.table, v.field): v for v in r.variables}
    # Iran's one role in src-003's events is the participant B dropped: B codes no Iran there
    assert r.only_a["actors"] == ["irn"] and r.only_b["actors"] == []
    assert (by["actors", "name"].units, by["actors", "name"].agreeing) == (r.matched["actors"], r.matched["actors"])
    assert r.only_a["events"] == ["nato-looks-at-mena-training-2020-02-12"]
    assert r.only_b["events"] == ["outrage-in-baghdad"]
    looks = "nato-looks-at-mena-training-2020-02-12,src-003,3334 (src-003 3334..3419 'NATO is looking to see what it could do…')"
    assert r.only_a["event_evidence"] == [looks]
    assert r.only_b["event_evidence"] == [
        "outrage-in-baghdad,src-003,2055 (src-003 2055..2081 'sparked outrage in Baghdad')"
    ]
    # renamed events and actors agree wherever rows refer to them
    assert by["event_evidence", "event_id"].agreeing == by["event_evidence", "event_id"].units
    assert by["quotes", "speaker_id"].agreeing == by["quotes", "speaker_id"].units == 5


def test_an_actor_named_by_no_alias_is_matched_through_its_participation(renamed):
    rows = renamed.rows("actor_aliases")
    renamed.write_rows("actor_aliases", [r for r in rows if r[0] != "uk"])  # London is named nowhere in B
    r = agree(synthetic().package, renamed.root)
    assert r.only_a["actor_aliases"] == ["gbr,London,src-003"]
    assert r.only_a["actors"] == ["irn"] and r.only_b["actors"] == []  # the UK still matches: holder of one stance
    assert r.only_a["event_participants"] == [
        "nato-looks-at-mena-training-2020-02-12,nato,holder",
        "us-strike-kills-soleimani-2020-01-03,irn,target",
    ]


def test_participants_aliases_and_titles_are_compared_field_by_field(renamed):
    r = agree(synthetic().package, renamed.root)
    by = {(v.table, v.field): v for v in r.variables}
    assert sorted(r.only_a["event_participants"]) == [
        "nato-looks-at-mena-training-2020-02-12,nato,holder",
        "us-strike-kills-soleimani-2020-01-03,irn,target",
    ]
    assert r.only_b["event_participants"] == []
    role = by["event_participants", "role"]
    assert (role.units, role.agreeing) == (r.matched["event_participants"], r.matched["event_participants"] - 1)
    roles = list(role_values(r.matched["event_participants"]))
    assert role.alpha == pytest.approx(alpha_by_hand(*roles, nominal))
    alias = by["actor_aliases", "actor_id"]
    assert (alias.units, alias.agreeing) == (
        len(shipped("actor_aliases", "alias")),
        len(shipped("actor_aliases", "alias")) - 1,
    )
    titles = by["actor_titles", "as_of"]
    assert (titles.units, titles.agreeing) == (
        len(shipped("actor_titles", "title")),
        len(shipped("actor_titles", "title")) - 1,
    )
    assert by["actor_titles", "actor_id"].agreeing == titles.units


#: The end of ``natodata agree`` between the shipped package and the ``renamed`` coding.
RENAMED_TAIL = """\
per table (alpha: the lowest of its fields'):

table               matched  only A  only B  agree    alpha  lowest field  verdict
sources             1        0       0       7/7      -      -             no variation
event_evidence      18       1       1       36/36    1.000  event_id      reliable
quotes              5        0       0       18/20    0.571  form          unreliable
figures             5        0       0       37/40    0.000  qualifier     unreliable
furniture           4        1       0       12/12    1.000  category      reliable
uncoded             0        0       0       0/0      -      -             no units
actor_aliases       22       0       0       21/22    0.951  actor_id      reliable
actor_titles        7        0       0       13/14    0.000  as_of         unreliable
actors              19       1       0       57/57    1.000  name          reliable
events              15       1       1       120/120  1.000  type          reliable
event_participants  32       2       0       31/32    0.963  role          reliable

unmatched units: 8
  actors: only in A: irn
  event_evidence: only in A: nato-looks-at-mena-training-2020-02-12,src-003,3334 (src-003 3334..3419 'NATO is looking to see what it could do…')
  event_evidence: only in B: outrage-in-baghdad,src-003,2055 (src-003 2055..2081 'sparked outrage in Baghdad')
  event_participants: only in A: nato-looks-at-mena-training-2020-02-12,nato,holder
  event_participants: only in A: us-strike-kills-soleimani-2020-01-03,irn,target
  events: only in A: nato-looks-at-mena-training-2020-02-12
  events: only in B: outrage-in-baghdad
  furniture: only in A: fu-003-reading-time (src-003 247..257 '3 min read')
"""


def test_the_report_gives_every_table_and_every_unit_only_one_coding_has(renamed):
    result = runner.invoke(app, ["agree", str(synthetic().package), str(renamed.root)])
    assert result.exit_code == 0, result.output
    assert result.output[result.output.index("per table") :] == RENAMED_TAIL


def role_values(n):
    """The roles of the matched participants of src-003's events, in coding A and B: B reads
    Wallace as the holder of the United Kingdom's stance, not its speaker."""
    import csv

    with open(ROOT / "data" / "event_evidence.csv", encoding="utf-8", newline="") as f:
        events = {r["event_id"] for r in csv.DictReader(f) if r["source_id"] == "src-003"}
    with open(ROOT / "data" / "event_participants.csv", encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["event_id"] in events]
    rows = [
        r
        for r in rows
        if (r["event_id"], r["actor_id"]) != ("us-strike-kills-soleimani-2020-01-03", "irn")
        and r["event_id"] != "nato-looks-at-mena-training-2020-02-12"
    ]
    assert len(rows) == n
    a = [r["role"] for r in rows]
    b = ["holder" if (r["actor_id"], r["role"]) == ("ben-wallace", "speaker") else r["role"] for r in rows]
    return a, b


@pytest.mark.slow
def test_agree_json_and_text_name_the_verdicts(second):
    result = runner.invoke(app, ["agree", str(synthetic().package), str(second.root), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["thresholds"] == {"reliable": 0.8, "tentative": 0.667}
    q = next(v for v in doc["variables"] if (v["table"], v["field"]) == ("figures", "qualifier"))
    assert (q["units"], q["agreeing"], q["verdict"]) == (5, 4, "unreliable")
    assert doc["unmatched"] == {"a": {"furniture": ["fu-003-reading-time (src-003 247..257 '3 min read')"]}, "b": {}}
    fig = next(t for t in doc["tables"] if t["table"] == "figures")
    assert fig == {
        "table": "figures",
        "matched": 5,
        "only_a": 0,
        "only_b": 0,
        "agreeing": 37,
        "values": 40,
        "alpha": 0.0,
        "lowest": "qualifier",
        "verdict": "unreliable",
    }
    text = runner.invoke(app, ["agree", str(synthetic().package), str(second.root)]).output.splitlines()
    assert text[-2:] == [
        "unmatched units: 1",
        "  furniture: only in A: fu-003-reading-time (src-003 247..257 '3 min read')",
    ]


SECOND_CODING = ROOT / "docs" / "reliability" / "second-coding"


def test_the_committed_second_coding_reaches_alpha():
    r = agree(ROOT, SECOND_CODING)
    assert r.sources == ["src-000", "src-001", "src-002", "src-003", "src-004"]
    short = [(v.table, v.field, v.alpha) for v in r.variables if v.alpha is not None and v.alpha < 0.800]
    assert short == [], "fields below alpha 0.800; docs/reliability/README.md says what to do"


def test_the_reliability_readme_shows_the_current_comparison():
    """docs/reliability/README.md prints agree's report of the committed second coding as
    it is now: a change to the data or the coding must re-run the comparison."""
    result = runner.invoke(app, ["agree", str(ROOT), str(SECOND_CODING)])
    readme = (ROOT / "docs" / "reliability" / "README.md").read_text(encoding="utf-8")
    assert result.exit_code == 0
    assert f"```text\n{result.output}```" in readme


def test_codings_with_different_schemas_are_refused(second):
    import json as js

    path = second.root / "schemas" / "quotes.json"
    schema = js.loads(path.read_text())
    schema["foreignKeys"] = [fk for fk in schema["foreignKeys"] if fk["fields"] != ["occasion_id"]]
    path.write_text(js.dumps(schema))
    result = runner.invoke(app, ["agree", str(synthetic().package), str(second.root)])
    assert (result.exit_code, result.output) == (
        1,
        "Error: the codings' tables are defined differently (quotes): compare codings made with the same schemas\n",
    )


def test_codings_of_different_articles_are_refused(second):
    second.set("sources", 2, "sha256", "0" * 64)
    result = runner.invoke(app, ["agree", str(synthetic().package), str(second.root)])
    assert (result.exit_code, result.output) == (1, "Error: the codings share no article (no sha256 in common)\n")
