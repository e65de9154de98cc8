"""Values are read exactly or refused (issue 20): every digit of an integer through
validate, load() and export whatever the blanks beside it; no number, sign or grouping
turned into another value; schemas that cannot be read one way are schema errors."""

from __future__ import annotations

import json
import sqlite3

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import natodata
from natodata.checks.validate import validate
from natodata.cli import app
from natodata.model.tableschema import TableSchema
from natodata.tables.casting import cast_column

BIG = 9007199254740993  # 2**53 + 1: the first integer a double cannot hold


def package(root, fields, rows, primary_key=None):
    root.mkdir(parents=True, exist_ok=True)
    (root / "t.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    schema = {"fields": fields, **({"primaryKey": primary_key} if primary_key else {})}
    (root / "datapackage.json").write_text(
        json.dumps({"resources": [{"name": "t", "path": "t.csv", "schema": schema}]})
    )
    return root


def findings(root):
    return [(f.type, f.line, f.field, f.message) for f in validate(root).findings]


def cast(field: dict, values: list[str]) -> list:
    fld = TableSchema({"fields": [{"name": "a", **field}]}).fields[0]
    typed, bad = cast_column(pd.Series(values, dtype="str"), fld)
    return [None if b else (None if pd.isna(v) else v) for v, b in zip(typed.tolist(), bad.tolist())]


@pytest.fixture
def big(tmp_path):
    return package(
        tmp_path / "pkg",
        [{"name": "id", "type": "string"}, {"name": "n", "type": "integer", "constraints": {"unique": True}}],
        ["id,n", f"a,{BIG}", "b,", f"c,{BIG - 1}"],
        primary_key=["id"],
    )


def test_a_big_integer_beside_a_blank_is_no_false_duplicate(big):
    assert findings(big) == []


def test_load_keeps_every_digit(big):
    n = natodata.load(path=big)["t"]["n"]
    assert n.tolist()[0] == BIG and str(n.dtype) == "Int64"
    assert n.isna().tolist() == [False, True, False]


def test_export_keeps_every_digit_in_sqlite_and_parquet(big, tmp_path):
    result = CliRunner().invoke(
        app, ["export", str(big), "--sqlite", str(tmp_path / "t.db"), "--parquet", str(tmp_path / "pq")]
    )
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp_path / "t.db") as db:
        assert db.execute("select n, typeof(n) from t order by id").fetchall() == [
            (BIG, "integer"),
            (None, "null"),
            (BIG - 1, "integer"),
        ]
    assert pq.read_table(tmp_path / "pq" / "t.parquet").column("n").to_pylist() == [BIG, None, BIG - 1]


def test_integers_beyond_64_bits_are_kept_too():
    assert cast({"type": "integer"}, ["99999999999999999999", "", "+5"]) == [99999999999999999999, None, 5]


@pytest.mark.parametrize(
    "field, values, expected",
    [
        ({"type": "number"}, ["1e999", "-1e999", "1e-999", "0e5", "1.5"], [None, None, None, 0.0, 1.5]),
        (
            {"type": "number", "bareNumber": False},
            ["5-", "5 -", "€5", "95%", "EUR -5.5"],
            [None, None, 5.0, 95.0, -5.5],
        ),
        (
            {"type": "number", "groupChar": ","},
            ["1,2,3", "1,234", "12,34,567", "1,234.5", ",123", "123,", "1,,234", "1,234,56"],
            [None, 1234.0, 1234567.0, 1234.5, None, None, None, None],
        ),
        ({"type": "integer", "groupChar": " "}, ["1 234", "1 2 3", "1234"], [1234, None, 1234]),
        ({"type": "number", "groupChar": ".", "decimalChar": ","}, ["1.234,5", "1.2.3,4"], [1234.5, None]),
    ],
)
def test_no_value_is_turned_into_another(field, values, expected):
    assert cast(field, values) == expected


@pytest.mark.parametrize(
    "true_values, false_values, pointer, message",
    [
        (["yes", "no"], ["no"], "/falseValues", "'no' is both a true and a false value"),
        (None, ["1", "0"], "/falseValues", "'1' is both a true and a false value"),
        (["y", "n"], ["y", "n"], "/falseValues", "'y', 'n' are both a true and a false value"),
    ],
)
def test_overlapping_true_and_false_values_are_a_schema_error(tmp_path, true_values, false_values, pointer, message):
    field = {
        "name": "b",
        "type": "boolean",
        "falseValues": false_values,
        **({"trueValues": true_values} if true_values else {}),
    }
    root = package(tmp_path / "p", [field], ["b", "y"])
    assert [(f.type, f.pointer, f.message) for f in validate(root).findings] == [
        ("schema-error", "/resources/0/schema/fields/0" + pointer, message)
    ]


def test_a_text_enum_on_an_integer_field_gives_integer_categories(tmp_path):
    root = package(
        tmp_path / "p",
        [{"name": "id", "type": "string"}, {"name": "k", "type": "integer", "constraints": {"enum": ["1", "2", 3]}}],
        ["id,k", "a,1", "b,3", "c,"],
    )
    assert findings(root) == []
    k = natodata.load(path=root)["t"]["k"]
    assert list(k.cat.categories) == [1, 2, 3]
    assert k.tolist()[:2] == [1, 3] and pd.isna(k.tolist()[2])


def test_export_refuses_an_integer_beyond_64_bits_before_writing(tmp_path):
    root = package(
        tmp_path / "p",
        [{"name": "id", "type": "string"}, {"name": "n", "type": "integer"}],
        ["id,n", "a,5", "b,99999999999999999999"],
        primary_key=["id"],
    )
    assert natodata.load(path=root)["t"]["n"].tolist()[1] == 99999999999999999999
    result = CliRunner().invoke(
        app, ["export", str(root), "--sqlite", str(tmp_path / "t.db"), "--parquet", str(tmp_path / "pq")]
    )
    assert (result.exit_code, result.output) == (
        1,
        "Error: cannot export t: n at line 3 is 99999999999999999999, "
        "beyond the 64-bit integers SQLite and Parquet hold; nothing written\n",
    )
    assert not (tmp_path / "t.db").exists() and not (tmp_path / "pq").exists()


def test_integers_longer_than_python_converts_are_type_errors_not_crashes():
    assert cast({"type": "integer"}, ["9" * 4300, "9" * 4301, "7"]) == [int("9" * 4300), None, 7]


def test_a_descriptor_integer_longer_than_python_converts_is_refused(tmp_path):
    root = package(tmp_path / "p", [{"name": "id", "type": "integer"}], ["id", "1"])
    d = (root / "datapackage.json").read_text().replace('"type": "integer"', '"type": "integer", "x": ' + "9" * 5000)
    (root / "datapackage.json").write_text(d)
    result = CliRunner().invoke(app, ["validate", str(root)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: data package descriptor {root / 'datapackage.json'} is not readable JSON: Exceeds the limit (4300 "
        "digits) for integer string conversion: value has 5000 digits\n",
    )
