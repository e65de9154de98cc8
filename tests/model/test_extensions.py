"""natodata's x- properties and rule parameters: one JSON Schema, shipped in the package,
that agrees with the registries it names, and faults reported with the pointer of the
offending value and a message that names it."""

from __future__ import annotations

import json

import pytest

from natodata.model.extensions import (
    code_list_problem,
    definition,
    extensions_schema,
    package_problems,
    rule_names,
    rule_problem,
    table_problems,
)
from natodata.model.problem import Problem

from tests.helpers import ROOT


def test_the_file_is_a_valid_json_schema_and_ships_beside_its_module():
    from importlib.resources import files

    from jsonschema import Draft202012Validator

    assert files("natodata.model").joinpath("extensions.schema.json").is_file()
    Draft202012Validator.check_schema(extensions_schema())


def test_the_rules_are_those_of_the_rule_registry():
    from natodata.checks.rules import RULES, X_CHECKS

    assert set(rule_names()) == set(X_CHECKS) and set(X_CHECKS) <= set(RULES)


def test_the_cell_checks_code_lists_and_covers_are_those_the_checks_implement():
    from natodata.checks.columns import CELL_CHECKS, CODE_LISTS
    from natodata.findings import switched_by
    from natodata.checks.completeness import DATES, NUMBERS, QUOTATIONS

    table = definition("table")["properties"]
    assert table["x-cellChecks"]["items"]["enum"] == list(switched_by("x-cellChecks"))
    assert set(switched_by("x-cellChecks")) <= set(CELL_CHECKS)
    assert set(definition("codeList")["enum"]) == set(CODE_LISTS)
    assert table["x-covers"]["properties"]["what"]["items"]["enum"] == [QUOTATIONS, NUMBERS, DATES]


def test_every_x_property_of_the_package_is_defined_and_documented():
    from natodata.tools.docs import x_properties_markdown

    defined = {w: set(definition(w)["properties"]) for w in ("package", "table", "field")}
    used = {
        "package": {k for k in json.loads((ROOT / "datapackage.json").read_text()) if k.startswith("x-")},
        "table": set(),
        "field": set(),
    }
    for f in (ROOT / "schemas").glob("*.json"):
        schema = json.loads(f.read_text())
        used["table"] |= {k for k in schema if k.startswith("x-")}
        used["field"] |= {k for fld in schema["fields"] for k in fld if k.startswith("x-")}
    assert all(used.values()) and all(used[w] <= defined[w] for w in used), used
    doc = x_properties_markdown()
    assert [line.split("`")[1] for line in doc.splitlines()[2:]] == [
        p for w in ("package", "table", "field") for p in definition(w)["properties"] if p.startswith("x-")
    ]


def test_the_package_schemas_have_no_fault():
    for f in (ROOT / "schemas").glob("*.json"):
        schema = json.loads(f.read_text())
        names = [fld["name"] for fld in schema["fields"]]
        assert table_problems(schema, names) == [], f.name
        for spec in schema.get("x-checks", []):
            assert rule_problem(spec["rule"], spec, names) is None, (f.name, spec)
    assert package_problems(json.loads((ROOT / "datapackage.json").read_text())) == []


FIELDS = ("id", "a", "b", "c", "kind", "start", "end", "prefix", "suffix")

RULE_CASES = [
    ("value-order", {}, ("", "rule 'value-order' needs the parameter 'fields'")),
    (
        "value-order",
        {"fields": ["a", "zz"]},
        ("/fields/1", "rule 'value-order': parameter 'fields'[1] names 'zz', which is not a field"),
    ),
    (
        "value-order",
        {"fields": []},
        ("/fields", "rule 'value-order': parameter 'fields' must have at least 1 item, not 0"),
    ),
    (
        "value-order",
        {"fields": "a"},
        ("/fields", "rule 'value-order': parameter 'fields' must be an array, not a string"),
    ),
    (
        "date-bounds-order",
        {"fields": ["a", "b", "c"]},
        ("/fields", "rule 'date-bounds-order': parameter 'fields' must have exactly 2 items, not 3"),
    ),
    # the first fault in the order of the parameters: date before bounds
    (
        "date-bounds-outside",
        {"bounds": ["a"], "date": 5},
        ("/date", "rule 'date-bounds-outside': parameter 'date' must be a string, not a number"),
    ),
    (
        "event-after-publication",
        {"status": "a", "value": "", "earliest": "b", "evidence": {"resource": "t"}},
        ("/value", "rule 'event-after-publication': parameter 'value' must not be empty"),
    ),
    (
        "event-after-publication",
        {"status": "a", "value": "x", "earliest": "b", "evidence": {"resource": "t"}},
        ("/evidence", "rule 'event-after-publication': parameter 'evidence' needs 'field'"),
    ),
    (
        "speaker-kind",
        {"field": "a", "kind": "kind", "allowed": ["x", 3]},
        ("/allowed/1", "rule 'speaker-kind': parameter 'allowed'[1] must be a string, not a number"),
    ),
    (
        "unused-actor",
        {"usedBy": [{"resource": "t", "field": "f", "as": None}]},
        ("/usedBy/0/as", "rule 'unused-actor': parameter 'usedBy'[0].as must be a string, not null"),
    ),
    ("iso3-required", {"field": "a", "when": "kind", "equals": "state"}, None),
    ("unused-source", {}, None),
]


@pytest.mark.parametrize("rule, spec, expected", RULE_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(RULE_CASES)])
def test_a_rule_parameter_fault_has_the_pointer_of_its_value(rule, spec, expected):
    found = rule_problem(rule, {"rule": rule, **spec}, FIELDS)
    assert (found if found is None else (found.pointer, found.message)) == expected


def base() -> dict:
    return {"fields": [{"name": n} for n in FIELDS]}


TABLE_CASES = [
    (
        "an anchor lacking a key, naming no field and with one too many",
        {"x-anchor": {"text": "zz", "start": "start", "end": "end", "prefix": "prefix", "extra": 1}},
        [
            ("/x-anchor", "x-anchor needs 'suffix'"),
            ("/x-anchor/text", "x-anchor text names 'zz', which is not a field"),
            ("/x-anchor/extra", "x-anchor has no property 'extra'"),
        ],
    ),
    (
        "an anchor of the wrong type",
        {"x-anchor": 5},
        [("/x-anchor", "x-anchor must be an object or a string, not a number")],
    ),
    (
        "the string form of an anchor, in a schema without start",
        {"x-anchor": "a", "fields": [{"name": n} for n in FIELDS if n != "start"]},
        [
            (
                "/x-anchor",
                "x-anchor 'a' is in the string form of releases up to 1.0.0, which needs a start field named "
                "'start'; the schema has none",
            )
        ],
    ),
    (
        "a corpus without a hash field",
        {"x-corpus": {"file": "a", "published": 1}},
        [
            ("/x-corpus", "x-corpus needs 'sha256'"),
            ("/x-corpus/published", "x-corpus published must be a string, not a number"),
        ],
    ),
    (
        "an unknown cell check and one not a string",
        {"x-cellChecks": ["formula-injection", "typos", 1]},
        [
            (
                "/x-cellChecks/1",
                "x-cellChecks[1] 'typos' is not one of: surrounding-whitespace, control-character, formula-injection",
            ),
            ("/x-cellChecks/2", "x-cellChecks[2] must be a string, not a number"),
        ],
    ),
    (
        "an x-checks entry without a rule",
        {"x-checks": [{"rule": "value-order"}, {"fields": ["a"]}, []]},
        [("/x-checks/1", "x-checks[1] needs 'rule'"), ("/x-checks/2", "x-checks[2] must be an object, not an array")],
    ),
    (
        "field flags of the wrong type and a precision naming no field",
        {"fields": [{"name": "a", "x-partialDate": "yes", "x-precision": "p"}, {"name": "b", "x-codeList": 3}]},
        [
            ("/fields/0/x-partialDate", "x-partialDate must be a boolean, not a string"),
            ("/fields/0/x-precision", "x-precision names 'p', which is not a field"),
            ("/fields/1/x-codeList", "x-codeList must be a string, not a number"),
        ],
    ),
]


@pytest.mark.parametrize("case, edit, expected", TABLE_CASES, ids=[c[0] for c in TABLE_CASES])
def test_a_table_x_property_fault_has_the_pointer_of_its_value(case, edit, expected):
    desc = {**base(), **edit}
    names = [f["name"] for f in desc["fields"]]
    assert [(p.pointer, p.message) for p in table_problems(desc, names)] == expected


def test_a_package_x_property_of_the_wrong_type_is_a_problem():
    assert package_problems({"x-canonicalFiles": "yes", "x-requirePrimaryKeys": True, "x-other": 1}) == [
        Problem("/x-canonicalFiles", "x-canonicalFiles must be a boolean, not a string")
    ]


def test_an_unknown_code_list_names_the_known_ones():
    assert code_list_problem("iso3166-1-alpha-3") is None
    assert code_list_problem("iso-639") == "unknown code list 'iso-639'; known: iso3166-1-alpha-3"
