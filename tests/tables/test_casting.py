"""Casting a frame of raw strings to the schema's types (natodata.tables.casting.cast_frame):
the typed values and dtypes, and each cell that fails as a ``type-error`` finding with its
line, field, value and message; a failed cell becomes NA, so later checks see only
well-typed values."""

from __future__ import annotations

import pandas as pd
import pytest

from natodata.model.tableschema import TableSchema
from natodata.tables.casting import cast_frame


def cast(fields: list[dict], columns: dict[str, list[str]], lines=None, **schema):
    """cast_frame of ``columns`` (raw strings on ``lines``, from 2) as table 't' at t.csv."""
    n = len(next(iter(columns.values())))
    index = pd.Index(lines or list(range(2, n + 2)), dtype="int64", name="line")
    raw = pd.DataFrame(columns, index=index, dtype="str")
    return cast_frame(raw, TableSchema({"fields": fields, **schema}), "t", "t.csv")


def findings(found) -> list[tuple]:
    return [(f.type, f.severity, f.table, f.path, f.line, f.field, f.value, f.message) for f in found]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ({"name": "start", "type": "integer"}, "abc", "'abc' is not a valid integer"),
        ({"name": "value_low", "type": "number"}, "lots", "'lots' is not a valid number"),
        (
            {"name": "date_earliest", "type": "date"},
            "2020-02-30",
            "'2020-02-30' is not a valid date (expected YYYY-MM-DD)",
        ),
        (
            {"name": "date_latest", "type": "date"},
            "12/02/2020",
            "'12/02/2020' is not a valid date (expected YYYY-MM-DD)",
        ),
        ({"name": "x", "type": "number"}, "1e999", "'1e999' is not a valid number"),  # no double holds it
    ],
)
def test_a_cell_that_is_not_of_its_type_is_a_type_error_and_na(field, value, message):
    good = {"integer": "7", "number": "2.5", "date": "2020-02-12"}[field["type"]]
    typed, found, bad = cast(
        [field, {"name": "id", "type": "string"}],
        {field["name"]: [good, value, ""], "id": ["a", "b", "c"]},
        lines=[2, 3, 5],
    )
    name = field["name"]
    assert findings(found) == [("type-error", "error", "t", "t.csv", 3, name, value, message)]
    assert bad == {(3, name)}
    assert typed.index.tolist() == [2, 3, 5] and list(typed.columns) == [name, "id"]
    assert typed[name].isna().tolist() == [False, True, True]  # the failed cell and the blank one
    assert typed["id"].tolist() == ["a", "b", "c"]


def test_typed_values_and_dtypes():
    fields = [
        {"name": "i", "type": "integer"},
        {"name": "n", "type": "number"},
        {"name": "d", "type": "date"},
        {"name": "b", "type": "boolean"},
        {"name": "s", "type": "string"},
    ]
    typed, found, bad = cast(
        fields,
        {
            "i": ["9007199254740993", ""],
            "n": ["INF", "-1.5e3"],
            "d": ["2020-02-29", ""],
            "b": ["true", "0"],
            "s": ["NA", ""],
        },
    )
    assert (found, bad) == ([], set())
    assert typed["i"].tolist()[0] == 9007199254740993 and pd.isna(typed["i"].iloc[1])
    assert typed["n"].tolist() == [float("inf"), -1500.0]
    assert typed["d"].iloc[0] == pd.Timestamp("2020-02-29") and pd.isna(typed["d"].iloc[1])
    assert typed["b"].tolist() == [True, False]
    assert typed["s"].iloc[0] == "NA" and pd.isna(typed["s"].iloc[1])  # "NA" is text; a blank is missing


def test_missing_values_and_the_null_sequence_are_blank():
    fields = [{"name": "i", "type": "integer"}]
    typed, found, _ = cast(fields, {"i": ["-", "", "3"]}, missingValues=["-"])
    # Without "" among the missing values an empty cell is a value: a type error for an integer.
    assert findings(found) == [("type-error", "error", "t", "t.csv", 3, "i", "", "'' is not a valid integer")]
    assert typed["i"].isna().tolist() == [True, True, False]
    raw = pd.DataFrame({"i": ["\\N", "4"]}, index=pd.Index([2, 3], name="line"), dtype="str")
    typed, found, _ = cast_frame(raw, TableSchema({"fields": fields}), "t", "t.csv", null_sequence="\\N")
    assert found == [] and typed["i"].isna().tolist() == [True, False]


def test_fields_absent_from_the_frame_are_left_out():
    typed, found, _ = cast([{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"}], {"b": ["1"]})
    assert (list(typed.columns), found) == (["b"], [])
