"""The schema gate: every malformed Table Schema is a finding with its JSON pointer, the
table is skipped, and nothing crashes (exit 1, never 2 or a traceback)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from natodata.cli import app
from natodata.model.schemacheck import Problem, schema_problems

runner = CliRunner()


def base() -> dict:
    return {"fields": [{"name": "id", "type": "string"}, {"name": "n", "type": "integer"}], "primaryKey": ["id"]}


def problems(edit) -> list[tuple[str, str]]:
    d = base()
    edit(d)
    return [(p.pointer, p.message) for p in schema_problems(d)]


CASES = [
    (
        "a foreign key without reference",
        lambda d: d.update(foreignKeys=[{"fields": ["n"]}]),
        [("/foreignKeys/0", "the foreign key has no reference")],
    ),
    (
        "a pattern that is not a regex",
        lambda d: d["fields"][0].update(constraints={"pattern": "[a-"}),
        [
            (
                "/fields/0/constraints/pattern",
                "pattern '[a-' is not a valid regular expression: unterminated character set at position 0",
            )
        ],
    ),
    (
        "a category without value",
        lambda d: d["fields"][0].update(categories=[{"label": "x"}]),
        [("/fields/0/categories/0", "a category object needs a value")],
    ),
    (
        "missingValues: 5",
        lambda d: d.update(missingValues=5),
        [("/missingValues", "missingValues must be an array, not a number")],
    ),
    (
        "a field name that is a number",
        lambda d: d["fields"][1].update(name=5),
        [("/fields/1/name", "a field name must be a string, not a number")],
    ),
    (
        "a non-numeric minimum",
        lambda d: d["fields"][1].update(constraints={"minimum": True}),
        [("/fields/1/constraints/minimum", "minimum must be a number or a string, not a boolean")],
    ),
    (
        "uniqueKeys as a list of strings",
        lambda d: d.update(uniqueKeys=["id"]),
        [("/uniqueKeys/0", "a unique key must be an array, not a string")],
    ),
    ("fields that is not a list", lambda d: d.update(fields=5), [("/fields", "fields must be an array, not a number")]),
    (
        "an unknown type",
        lambda d: d["fields"][1].update(type="wat"),
        [
            (
                "/fields/1/type",
                "type 'wat' is not a Table Schema type (string, number, integer, boolean, object, array, "
                "list, date, time, datetime, year, yearmonth, duration, geopoint, geojson, any)",
            )
        ],
    ),
    (
        "a primary key naming no field",
        lambda d: d.update(primaryKey=["nope"]),
        [("/primaryKey/0", "primaryKey names 'nope', which is not a field")],
    ),
    (
        "a duplicate field name",
        lambda d: d["fields"].append({"name": "id"}),
        [("/fields/2/name", "field name 'id' appears more than once")],
    ),
    (
        "constraints as a list",
        lambda d: d["fields"][0].update(constraints=[1]),
        [("/fields/0/constraints", "constraints must be an object, not an array")],
    ),
    (
        "a missing value object without value",
        lambda d: d.update(missingValues=[{"label": "n/a"}]),
        [("/missingValues/0", "a missing value object needs a value")],
    ),
    (
        "x-checks that is not a list",
        lambda d: d.update({"x-checks": 5}),
        [("/x-checks", "x-checks must be an array, not a number")],
    ),
    (
        "x-anchor naming no field",
        lambda d: d.update({"x-anchor": {"text": "id", "start": "n", "end": "n", "prefix": "id", "suffix": "zz"}}),
        [("/x-anchor/suffix", "x-anchor suffix names 'zz', which is not a field")],
    ),
    (
        "a foreign key of two fields referencing one",
        lambda d: d.update(foreignKeys=[{"fields": ["id", "n"], "reference": {"resource": "t", "fields": ["x"]}}]),
        [("/foreignKeys/0/reference/fields", "the foreign key has 2 field(s) but the reference names 1")],
    ),
    (
        "x-covers without an anchor, naming an unknown kind and no field",
        lambda d: d.update(
            {"x-covers": {"what": ["quotations", "words"], "extent": "zz", "content": "no", "other": 1}}
        ),
        [
            ("/x-covers", "x-covers needs x-anchor and x-source"),
            ("/x-covers/what/1", "x-covers what[1] 'words' is not one of: quotations, numbers, dates"),
            ("/x-covers/extent", "x-covers extent names 'zz', which is not a field"),
            ("/x-covers/content", "x-covers content must be a boolean, not a string"),
            ("/x-covers/other", "x-covers has no property 'other'"),
        ],
    ),
    (
        "a name with a slash, escaped in the pointer",
        lambda d: d.update({"x-source": 3}),
        [("/x-source", "x-source must be a string, not a number")],
    ),
]


@pytest.mark.parametrize("case, edit, expected", CASES, ids=[c[0] for c in CASES])
def test_each_malformed_schema_is_a_problem_with_its_pointer(case, edit, expected):
    assert problems(edit) == expected


def test_a_well_formed_schema_has_no_problem():
    assert problems(lambda d: None) == []


def test_every_fields_match_of_the_spec_is_accepted_and_no_other():
    d = base()
    for fm in ("exact", "equal", "subset", "superset", "partial"):
        d["fieldsMatch"] = fm
        assert schema_problems(d) == []
    d["fieldsMatch"] = "loose"
    assert schema_problems(d) == [
        Problem("/fieldsMatch", "fieldsMatch 'loose' is not one of: exact, equal, subset, superset, partial")
    ]


def test_pointer_tokens_are_escaped():
    from natodata.model.schemacheck import pointer

    assert pointer("fields", 0, "a/b~c") == "/fields/0/a~1b~0c"


@pytest.mark.slow  # a whole-package run (the problems themselves: above, and tests/tables/test_read.py)
def test_the_cli_reports_a_malformed_schema_and_exits_1(pkg):
    pkg.edit_schema("quotes", lambda d: d["foreignKeys"][0].pop("reference"))
    result = runner.invoke(app, ["validate", str(pkg.root)])
    assert result.exit_code == 1
    assert (
        "schemas/quotes.json#/foreignKeys/0: error schema-error: the foreign key has no reference; so table 'quotes' could "
        "not be read, which stopped 2 checks that depend on it (unused-actor): fix this first\n"
    ) in result.output


@pytest.mark.slow  # a whole-package run (the problems themselves: above, and tests/tables/test_read.py)
def test_a_constraint_not_of_its_fields_type_is_a_schema_error(pkg):
    pkg.edit_schema(
        "quotes", lambda d: next(f for f in d["fields"] if f["name"] == "start")["constraints"].update(minimum="x")
    )
    result = runner.invoke(app, ["validate", str(pkg.root), "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    errors = [f for f in doc["findings"] if f["type"] == "schema-error"]
    assert errors == [
        {
            "type": "schema-error",
            "severity": "error",
            "message": "field 'start': minimum 'x' is not an integer; so table 'quotes' could not be read, "
            "which stopped 2 checks that depend on it (unused-actor): fix this first",
            "table": "quotes",
            "path": "schemas/quotes.json",
            "line": None,
            "field": "start",
            "value": None,
            "pointer": "/fields/6/constraints/minimum",
            "stopped": 2,
        }
    ]
