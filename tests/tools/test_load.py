"""natodata.load(): typed frames for analysts.

Each rule of the loader (natodata.tools.load) is tested on a one-table package written
here, which reads and validates in milliseconds; the shipped package and its published
releases are loaded whole by the tests marked slow (CI runs them with -m slow)."""

import json
import warnings

import pandas as pd
import pytest

import natodata
from natodata.errors import InvalidPackage, NatodataError, UnreadableInput

PRECISIONS = [{"value": "year"}, {"value": "month"}, {"value": "day"}]
PARTIAL = "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"


def schema() -> dict:
    """events-like: a closed vocabulary, a partial date with its precision field and its
    bounds, a partial date without one, an integer, three numbers in order, free text."""
    return {
        "primaryKey": ["id"],
        "x-checks": [{"rule": "value-order", "fields": ["low", "best", "high"]}],
        "fields": [
            {"name": "id", "type": "string"},
            {
                "name": "status",
                "type": "string",
                "categories": [{"value": "occurred"}, {"value": "planned"}],
                "constraints": {"required": True},
            },
            {
                "name": "date",
                "type": "string",
                "x-partialDate": True,
                "x-precision": "date_precision",
                "constraints": {"pattern": PARTIAL},
            },
            {"name": "date_precision", "type": "string", "categories": PRECISIONS},
            {"name": "date_earliest", "type": "date"},
            {"name": "date_latest", "type": "date"},
            {"name": "as_of", "type": "string", "x-partialDate": True, "constraints": {"pattern": PARTIAL}},
            {"name": "start", "type": "integer", "constraints": {"required": True}},
            {"name": "low", "type": "number", "constraints": {"required": True}},
            {"name": "best", "type": "number", "constraints": {"required": True}},
            {"name": "high", "type": "number", "constraints": {"required": True}},
            {"name": "note", "type": "string"},
        ],
    }


HEADER = "id,status,date,date_precision,date_earliest,date_latest,as_of,start,low,best,high,note"
ROWS = [
    "warsaw,occurred,2016,year,2016-05-01,2016-12-31,2020-02,7,1,2,3,NA",
    "brussels,planned,2020-03,month,2020-03-01,2020-03-31,2020-03-03,8,2,2.5,3,null",
    "baghdad,occurred,2020-01-05,day,2020-01-05,2020-01-05,2019,9,0,0,0,",
]


class Package:
    """A package of one table, events (data/events.csv, schemas/events.json)."""

    def __init__(self, root):
        self.root = root
        (root / "data").mkdir(parents=True)
        (root / "schemas").mkdir()
        self.write_schema(schema())
        self.write_rows(ROWS)
        (root / "datapackage.json").write_text(
            json.dumps(
                {
                    "name": "p",
                    "resources": [{"name": "events", "path": "data/events.csv", "schema": "schemas/events.json"}],
                }
            ),
            encoding="utf-8",
        )

    def write_schema(self, d: dict) -> None:
        (self.root / "schemas" / "events.json").write_text(json.dumps(d), encoding="utf-8")

    def write_rows(self, rows: list[str], header: str = HEADER) -> None:
        (self.root / "data" / "events.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")

    def set(self, line: int, field: str, value: str) -> None:
        """Set one cell; ``line`` is the file line (header = 1)."""
        lines = (self.root / "data" / "events.csv").read_text(encoding="utf-8").splitlines()
        cells = lines[line - 1].split(",")
        cells[lines[0].split(",").index(field)] = value
        lines[line - 1] = ",".join(cells)
        self.write_rows(lines[1:], lines[0])


@pytest.fixture
def pkg(tmp_path) -> Package:
    return Package(tmp_path / "pkg")


def events(pkg, **options) -> pd.DataFrame:
    return natodata.load(path=pkg.root, **options)["events"]


def test_dtypes_of_every_kind_of_field(pkg):
    ev = events(pkg)
    assert {c: str(t) for c, t in ev.dtypes.items()} == {
        "id": "string",
        "status": "category",
        "date": "string",
        "date_precision": "category",
        "date_first_day": "datetime64[us]",
        "date_last_day": "datetime64[us]",
        "date_earliest": "datetime64[us]",
        "date_latest": "datetime64[us]",
        "as_of": "string",
        "as_of_precision": "category",
        "as_of_first_day": "datetime64[us]",
        "as_of_last_day": "datetime64[us]",
        "start": "Int64",
        "low": "double[pyarrow]",
        "best": "double[pyarrow]",
        "high": "double[pyarrow]",
        "note": "string",
    }
    assert list(ev["status"].cat.categories) == ["occurred", "planned"]  # the schema's vocabulary, in its order
    assert (
        list(ev["date_precision"].cat.categories)
        == list(ev["as_of_precision"].cat.categories)
        == ["year", "month", "day"]
    )
    assert isinstance(ev["note"].dtype, pd.StringDtype) and isinstance(ev["id"].dtype, pd.StringDtype)
    assert ev.index.equals(pd.RangeIndex(3))
    assert ev["start"].tolist() == [7, 8, 9] and ev["best"].tolist() == [2.0, 2.5, 0.0]


def assert_year_only(ev: pd.DataFrame, event: str) -> None:
    """The event's date "2016" stays as written, with its precision and the first and last
    day of the year after it; the schema's own bounds (what the evidence allows, from
    2016-05-01) are another thing and keep their names."""
    ev = ev.set_index("id")
    row = ev.loc[event]
    assert (row.date, row.date_precision, row.date_first_day, row.date_last_day, row.date_earliest) == (
        "2016",
        "year",
        pd.Timestamp("2016-01-01"),
        pd.Timestamp("2016-12-31"),
        pd.Timestamp("2016-05-01"),
    )
    at = list(ev.columns).index("date")
    assert list(ev.columns[at : at + 6]) == [
        "date",
        "date_precision",
        "date_first_day",
        "date_last_day",
        "date_earliest",
        "date_latest",
    ]


def test_a_year_only_date_stays_as_written_with_its_bounds_and_precision(pkg):
    assert_year_only(events(pkg), "warsaw")


def test_partial_dates_stay_as_written_with_precision_and_bounds_alongside(pkg):
    ev = events(pkg)
    # as_of states no precision field: load() adds one
    assert list(ev.columns[8:12]) == ["as_of", "as_of_precision", "as_of_first_day", "as_of_last_day"]
    assert [
        tuple(r) for r in ev[["as_of", "as_of_precision", "as_of_first_day", "as_of_last_day"]].itertuples(index=False)
    ] == [
        ("2020-02", "month", pd.Timestamp("2020-02-01"), pd.Timestamp("2020-02-29")),
        ("2020-03-03", "day", pd.Timestamp("2020-03-03"), pd.Timestamp("2020-03-03")),
        ("2019", "year", pd.Timestamp("2019-01-01"), pd.Timestamp("2019-12-31")),
    ]
    brussels = ev.iloc[1]
    assert (brussels.date, brussels.date_precision, brussels.date_first_day, brussels.date_last_day) == (
        "2020-03",
        "month",
        pd.Timestamp("2020-03-01"),
        pd.Timestamp("2020-03-31"),
    )


def test_a_field_named_like_a_derived_column_is_refused(pkg):
    d = schema()
    d["fields"][-1]["name"] = "date_last_day"  # note renamed
    pkg.write_schema(d)
    pkg.write_rows(ROWS, HEADER.replace(",note", ",date_last_day"))
    with pytest.raises(UnreadableInput) as exc:
        events(pkg)
    assert str(exc.value) == (
        "table 'events': field 'date_last_day' has the name of the column load() derives from the "
        "partial date 'date'; rename the field"
    )


def test_na_words_stay_text_and_blanks_are_na(pkg):
    note = events(pkg)["note"]
    assert note.iloc[0] == "NA" and note.iloc[1] == "null"
    assert note.iloc[2] is pd.NA


def test_gaps_are_NA_not_NaN(pkg):
    pkg.set(2, "start", "")
    pkg.set(3, "low", "")
    ev = events(pkg, validate=False)  # both are required
    start, low = ev["start"], ev["low"]
    assert str(start.dtype) == "Int64" and start.iloc[0] is pd.NA and start.iloc[1:].tolist() == [8, 9]
    assert str(low.dtype) == "double[pyarrow]" and low.iloc[1] is pd.NA and low.notna().sum() == 2


def test_nan_and_infinity_are_numbers_not_gaps(pkg):
    pkg.set(2, "high", "INF")
    assert events(pkg)["high"].iloc[0] == float("inf")


def test_broken_package_is_refused_with_its_findings(pkg):
    pkg.set(2, "start", "abc")
    with pytest.raises(InvalidPackage) as exc:
        events(pkg)
    assert str(exc.value) == (
        f"cannot load {pkg.root}: it does not validate (1 error); run natodata validate, or pass validate=False to go on:\n"
        "  data/events.csv:2: type-error: 'abc' is not a valid integer"
    )
    assert [(f.type, f.line) for f in exc.value.findings] == [("type-error", 2)]
    with pytest.warns(UserWarning) as caught:
        ev = events(pkg, validate=False)
    assert [str(w.message) for w in caught] == ["data/events.csv:2: start: 'abc' is not a valid integer; left empty"]
    assert pd.isna(ev["start"].iloc[0]) and ev["start"].notna().sum() == len(ev) - 1


def test_values_load_would_change_are_refused(pkg):
    rows = [r.split(",") for r in ROWS]
    rows[1][0] = rows[0][0]  # a repeated key
    rows[0][1] = "finished"  # would become NaN
    rows[2][2] = "2020-02-30"  # would become NaT
    rows[0][8] = "99999"  # low above best
    pkg.write_rows([",".join(r) for r in rows])
    with pytest.raises(InvalidPackage) as exc:
        events(pkg)
    assert [(f.type, f.line, f.field) for f in exc.value.findings] == [
        ("value-order", 2, "best"),
        ("enum-constraint", 2, "status"),
        ("primary-key", 3, "id"),
        ("invalid-date", 4, "date"),
    ]


def test_without_validation_bad_values_are_kept_or_warned(pkg):
    pkg.set(2, "status", "finished")
    pkg.set(3, "date", "2020-02-30")
    with pytest.warns(
        UserWarning, match=r"date: 1 value not a real date: kept as written, with no first or last day \(left empty\)$"
    ):
        ev = events(pkg, validate=False)
    assert ev["status"].iloc[0] == "finished" and ev["status"].cat.categories[-1] == "finished"
    assert ev["date"].iloc[1] == "2020-02-30" and pd.isna(ev["date_first_day"].iloc[1])


@pytest.mark.parametrize(
    "edit,expected",
    [
        (
            lambda d: d["fields"][0].update(name=5),
            [
                ("/fields/0/name", "a field name must be a string, not a number"),
                ("/primaryKey/0", "primaryKey names 'id', which is not a field"),
            ],
        ),
        (
            lambda d: d["fields"][1]["categories"].append({"label": "no value"}),
            [("/fields/1/categories/2", "a category object needs a value")],
        ),
    ],
)
def test_a_schema_load_cannot_use_is_refused_as_a_schema_error(pkg, edit, expected):
    d = schema()
    edit(d)
    pkg.write_schema(d)
    with pytest.raises(InvalidPackage) as exc:
        events(pkg, validate=False)
    assert [(f.type, f.pointer, f.message) for f in exc.value.findings] == [("schema-error", *e) for e in expected]


def test_unpublished_version_is_refused():
    with pytest.raises(
        NatodataError, match=r"release 0\.0\.1 of the shipped package is not published \(published: 1\.0\.0"
    ):
        natodata.load(version="0.0.1")


def test_a_release_is_one_of_the_named_package(tmp_path):
    with pytest.raises(NatodataError) as exc:
        natodata.load(path=tmp_path, version="1.0.0")
    assert str(exc.value) == f"data package descriptor not found: {tmp_path / 'datapackage.json'}"
    with pytest.raises(UnreadableInput) as exc:
        natodata.load(path=tmp_path / "typo")
    assert str(exc.value) == f"data package descriptor not found: {tmp_path / 'typo'}"


# --- the shipped package and its releases, whole: slow -------------------------------------


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
    with pytest.raises(
        NatodataError, match="release 9.9.9 of the shipped package is not published .*'working' for the working copy"
    ):
        natodata.load(version="9.9.9")


@pytest.mark.slow
def test_dtypes_of_every_table():
    t = natodata.load(version="working")
    assert set(t) == {
        "sources",
        "actors",
        "actor_aliases",
        "actor_titles",
        "events",
        "event_participants",
        "event_evidence",
        "quotes",
        "figures",
        "furniture",
        "uncoded",
    }
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


@pytest.mark.slow
def test_a_year_only_date_of_the_shipped_events_and_of_release_1_0_0():
    # Release 1.0.0's schemas predate x-partialDate: its dates are plain text, as written.
    assert natodata.load(version="1.0.0")["events"].set_index("id").loc["nato-summit-warsaw-2016", "date"] == "2016"
    ev = natodata.load(version="working")["events"]
    assert list(ev.columns).index("date") == 3  # after id, type and status
    assert_year_only(ev, "nato-summit-warsaw-2016")


@pytest.mark.slow
def test_published_release_loads_with_its_own_schemas():
    t = natodata.load(version="1.0.0")
    assert len(t) == 9 and len(t["quotes"]) > 0
    assert isinstance(t["events"]["status"].dtype, pd.CategoricalDtype)


def test_no_warning_when_nothing_is_left_empty(pkg):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(events(pkg, validate=False)) == 3
