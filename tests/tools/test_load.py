"""natodata.load(): typed frames for analysts."""

import pandas as pd
import pytest

import natodata
from natodata.errors import InvalidPackage, NatodataError

# Whole-package validations, seconds in all: run by CI's `pytest -m slow` to keep the default suite under 30 s.
pytestmark = pytest.mark.slow


@pytest.mark.slow
def test_load_gives_the_working_copy_and_latest_the_latest_release():
    from natodata.layout import published_versions, shipped_package

    latest = str(published_versions(shipped_package())[-1])
    default, working = natodata.load(), natodata.load(version="working")
    assert default.keys() == working.keys()
    for name in default:
        pd.testing.assert_frame_equal(default[name], working[name])
    newest, release = natodata.load(version="latest"), natodata.load(version=latest)
    assert newest.keys() == release.keys() and set(default) >= set(release)
    with pytest.raises(NatodataError, match="release 9.9.9 of the shipped package is not published .*'working' for the working copy"):
        natodata.load(version="9.9.9")


def test_dtypes_of_every_table():
    t = natodata.load(version="working")
    assert set(t) == {"sources", "actors", "actor_aliases", "actor_titles", "events", "event_participants",
                      "event_evidence", "quotes", "figures", "furniture", "uncoded"}
    ev = t["events"]
    assert isinstance(ev["type"].dtype, pd.CategoricalDtype)
    assert "decision" in ev["type"].cat.categories
    assert ev["date"].dtype == "string" and ev["date_earliest"].dtype.kind == "M"
    assert ev["date_first_day"].dtype.kind == "M" and ev["date_last_day"].dtype.kind == "M"
    assert isinstance(ev["date_precision"].dtype, pd.CategoricalDtype)
    assert isinstance(ev["summary"].dtype, pd.StringDtype)
    q = t["quotes"]
    assert str(q["start"].dtype) == "Int64"
    assert q["occasion_id"].dtype == "string"
    f = t["figures"]
    assert str(f["value_best"].dtype) == "double[pyarrow]"
    assert f["as_of"].dtype == "string" and f["as_of_first_day"].dtype.kind == "M"
    assert list(f["as_of_precision"].cat.categories) == ["year", "month", "day"]
    assert t["actors"].index.equals(pd.RangeIndex(len(t["actors"])))


def test_a_year_only_date_stays_as_written_with_its_bounds_and_precision():
    # Release 1.0.0's schemas predate x-partialDate: its dates are plain text, as written.
    assert natodata.load(version="1.0.0")["events"].set_index("id").loc["nato-summit-warsaw-2016", "date"] == "2016"
    ev = natodata.load(version="working")["events"].set_index("id")
    warsaw = ev.loc["nato-summit-warsaw-2016"]
    assert (warsaw.date, warsaw.date_precision) == ("2016", "year")
    assert (warsaw.date_first_day, warsaw.date_last_day) == (pd.Timestamp("2016-01-01"), pd.Timestamp("2016-12-31"))
    # the schema's own bounds, what the evidence allows, are another thing and keep their names
    assert warsaw.date_earliest == pd.Timestamp("2016-05-01")
    assert list(ev.columns[2:8]) == ["date", "date_precision", "date_first_day", "date_last_day",
                                     "date_earliest", "date_latest"]


def test_partial_dates_stay_as_written_with_precision_and_bounds_alongside(pkg):
    pkg.set("sources", 2, "published", "2017")
    pkg.set("sources", 2, "published_precision", "year")
    pkg.set("actor_titles", 2, "as_of", "2020-02")
    t = natodata.load(path=pkg.root)
    src = t["sources"].set_index("id").loc[pkg.get("sources", 2, "id")]
    assert (src.published, src.published_precision, src.published_first_day, src.published_last_day) == (
        "2017", "year", pd.Timestamp("2017-01-01"), pd.Timestamp("2017-12-31"))
    title = t["actor_titles"].iloc[0]  # actor_titles states no precision field: load() adds one
    assert list(t["actor_titles"].columns[3:]) == ["as_of", "as_of_precision", "as_of_first_day", "as_of_last_day"]
    assert (title.as_of, title.as_of_precision, title.as_of_first_day, title.as_of_last_day) == (
        "2020-02", "month", pd.Timestamp("2020-02-01"), pd.Timestamp("2020-02-29"))


def test_a_field_named_like_a_derived_column_is_refused(pkg):
    import json

    path = pkg.root / "schemas" / "sources.json"
    schema = json.loads(path.read_text())
    schema["fields"][-3]["name"] = "published_last_day"  # translation_note renamed
    path.write_text(json.dumps(schema))
    rows = pkg.rows("sources")
    rows[0][-3] = "published_last_day"
    pkg.write_rows("sources", rows)
    with pytest.raises(NatodataError, match=r"^table 'sources': field 'published_last_day' has the name of the column "
                                            r"load\(\) derives from the partial date 'published'; rename the field$"):
        natodata.load(path=pkg.root)


def test_na_words_stay_text_and_blanks_are_na(pkg):
    pkg.set("actors", 2, "description", "NA")
    pkg.set("actors", 3, "description", "null")
    pkg.set("actors", 4, "description", "")
    d = natodata.load(path=pkg.root)["actors"]["description"]
    assert d.iloc[0] == "NA" and d.iloc[1] == "null"
    assert d.iloc[2] is pd.NA


def test_gaps_are_NA_not_NaN(pkg):
    pkg.set("quotes", 2, "start", "")
    pkg.set("figures", 2, "value_low", "")
    t = natodata.load(path=pkg.root, validate=False)  # both are required
    start, low = t["quotes"]["start"], t["figures"]["value_low"]
    assert str(start.dtype) == "Int64" and start.iloc[0] is pd.NA
    assert str(low.dtype) == "double[pyarrow]" and low.iloc[0] is pd.NA


def test_nan_and_infinity_are_numbers_not_gaps(pkg):
    pkg.set("figures", 2, "value_high", "INF")
    t = natodata.load(path=pkg.root)
    assert t["figures"]["value_high"].iloc[0] == float("inf")


def test_published_release_loads_with_its_own_schemas():
    t = natodata.load(version="1.0.0")
    assert len(t) == 9 and len(t["quotes"]) > 0
    assert isinstance(t["events"]["status"].dtype, pd.CategoricalDtype)


def test_unpublished_version_is_refused():
    with pytest.raises(NatodataError, match=r"release 0\.0\.1 of the shipped package is not published \(published: 1\.0\.0"):
        natodata.load(version="0.0.1")


def test_a_release_is_one_of_the_named_package(tmp_path):
    from natodata.errors import UnreadableInput

    with pytest.raises(NatodataError) as exc:
        natodata.load(path=tmp_path, version="1.0.0")
    assert str(exc.value) == f"data package descriptor not found: {tmp_path / 'datapackage.json'}"
    with pytest.raises(UnreadableInput) as exc:
        natodata.load(path=tmp_path / "typo")
    assert str(exc.value) == f"data package descriptor not found: {tmp_path / 'typo'}"


def test_broken_package_is_refused_with_its_findings(pkg):
    pkg.set("quotes", 2, "start", "abc")
    with pytest.raises(InvalidPackage) as exc:
        natodata.load(path=pkg.root)
    assert str(exc.value) == (
        f"cannot load {pkg.root}: it does not validate (1 error); run natodata validate, or pass validate=False to go on:\n"
        "  data/quotes.csv:2: type-error: 'abc' is not a valid integer")
    assert [(f.type, f.line) for f in exc.value.findings] == [("type-error", 2)]
    with pytest.warns(UserWarning) as caught:
        quotes = natodata.load(path=pkg.root, validate=False)["quotes"]
    assert [str(w.message) for w in caught] == ["data/quotes.csv:2: start: 'abc' is not a valid integer; left empty"]
    assert pd.isna(quotes["start"].iloc[0]) and quotes["start"].notna().sum() == len(quotes) - 1


def test_values_load_would_change_are_refused(pkg):
    pkg.set("actors", 3, "id", pkg.get("actors", 2, "id"))  # a repeated key
    pkg.set("events", 2, "status", "finished")  # would become NaN
    pkg.set("events", 3, "date", "2020-02-30")  # would become NaT
    pkg.set("figures", 2, "value_low", "99999")  # low above best
    with pytest.raises(InvalidPackage) as exc:
        natodata.load(path=pkg.root)
    assert {"primary-key", "enum-constraint", "invalid-date", "value-order"} <= {f.type for f in exc.value.findings}


def test_without_validation_bad_values_are_kept_or_warned(pkg):
    pkg.set("events", 2, "status", "finished")
    pkg.set("events", 3, "date", "2020-02-30")
    with pytest.warns(UserWarning, match=r"date: 1 value not a real date: kept as written, with no first or last day \(left empty\)$"):
        ev = natodata.load(path=pkg.root, validate=False)["events"]
    assert ev["status"].iloc[0] == "finished" and ev["status"].cat.categories[-1] == "finished"
    assert ev["date"].iloc[1] == "2020-02-30" and pd.isna(ev["date_first_day"].iloc[1])


@pytest.mark.parametrize("edit,expected", [
    (lambda d: d["fields"][0].update(name=5), [("/fields/0/name", "a field name must be a string, not a number"),
                                               ("/primaryKey/0", "primaryKey names 'id', which is not a field")]),
    (lambda d: d["fields"][2]["categories"].append({"label": "no value"}),
     [("/fields/2/categories/5", "a category object needs a value")]),
])
def test_a_schema_load_cannot_use_is_refused_as_a_schema_error(pkg, edit, expected):
    import json

    file = pkg.root / "schemas" / "events.json"
    d = json.loads(file.read_text())
    edit(d)
    file.write_text(json.dumps(d))
    with pytest.raises(InvalidPackage) as exc:
        natodata.load(path=pkg.root, validate=False)
    assert [(f.type, f.pointer, f.message) for f in exc.value.findings] == [("schema-error", *e) for e in expected]
