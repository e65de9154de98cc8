"""natodata.load(): typed frames for analysts."""

import pandas as pd
import pytest

import natodata
from natodata.errors import NatodataError


def test_load_gives_the_latest_release_and_working_gives_the_working_copy():
    from natodata.layout import published_versions, shipped_package

    latest = str(published_versions(shipped_package())[-1])
    default, release = natodata.load(), natodata.load(version=latest)
    assert default.keys() == release.keys()
    for name in default:
        pd.testing.assert_frame_equal(default[name], release[name])
    working = natodata.load(version="working")
    assert set(working) >= set(default)
    with pytest.raises(NatodataError, match="version 9.9.9 is not published .*'working' for the working copy"):
        natodata.load(version="9.9.9")


def test_dtypes_of_every_table():
    t = natodata.load(version="working")
    assert set(t) == {"sources", "actors", "actor_aliases", "actor_titles", "events", "event_participants",
                      "event_evidence", "quotes", "figures", "furniture", "uncoded"}
    ev = t["events"]
    assert isinstance(ev["type"].dtype, pd.CategoricalDtype)
    assert "decision" in ev["type"].cat.categories
    assert ev["date"].dtype.kind == "M" and ev["date_earliest"].dtype.kind == "M"
    assert isinstance(ev["date_precision"].dtype, pd.CategoricalDtype)
    assert isinstance(ev["summary"].dtype, pd.StringDtype)
    q = t["quotes"]
    assert str(q["start"].dtype) == "Int64"
    assert q["occasion_id"].dtype == "string"
    f = t["figures"]
    assert str(f["value_best"].dtype) == "double[pyarrow]"
    assert f["as_of"].dtype.kind == "M"
    assert list(f["as_of_precision"].cat.categories) == ["year", "month", "day"]
    assert t["actors"].index.equals(pd.RangeIndex(len(t["actors"])))


def test_partial_dates_become_the_first_day_with_precision_alongside(pkg):
    pkg.set("sources", 2, "published", "2017")
    pkg.set("sources", 2, "published_precision", "year")
    pkg.set("actor_titles", 2, "as_of", "2020-02")
    t = natodata.load(path=pkg.root)
    src = t["sources"].set_index("id").loc[pkg.get("sources", 2, "id")]
    assert (src.published, src.published_precision) == (pd.Timestamp("2017-01-01"), "year")
    title = t["actor_titles"].iloc[0]
    assert (title.as_of, title.as_of_precision) == (pd.Timestamp("2020-02-01"), "month")


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
    t = natodata.load(path=pkg.root)
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
    with pytest.raises(NatodataError, match=r"version 0\.0\.1 is not published \(published: 1\.0\.0"):
        natodata.load(version="0.0.1")


def test_broken_package_is_refused_with_the_first_error(pkg):
    pkg.set("quotes", 2, "start", "abc")
    with pytest.raises(NatodataError, match=r"1 errors, the first at data/quotes.csv:2: 'abc' is not a valid integer"):
        natodata.load(path=pkg.root)
