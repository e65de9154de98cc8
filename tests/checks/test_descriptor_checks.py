"""Descriptor checks: frictionless metadata validation and our own schema rules."""

import json

import pytest

from natodata.checks.validate import validate

from tests.helpers import found

# Whole-package validations, seconds in all: run by CI's `pytest -m slow` to keep the default suite under 30 s.
pytestmark = pytest.mark.slow


def test_field_without_description(pkg):
    pkg.edit_schema("actors", lambda d: d["fields"][1].pop("description"))
    assert found(validate(pkg.root), "schema-error") == [("schema-error", "actors", None, "name")]


def test_table_without_primary_key(pkg):
    pkg.edit_schema("actors", lambda d: d.pop("primaryKey"))
    assert found(validate(pkg.root), "schema-error") == [("schema-error", "actors", None, "primaryKey")]


def test_unknown_field_type_is_a_schema_error_and_the_table_is_skipped(pkg):
    pkg.edit_schema("actors", lambda d: d["fields"][1].update(type="bogus"))
    report = validate(pkg.root)
    errors = [(f.type, f.path, f.pointer, f.message) for f in report.findings if f.table == "actors"]
    assert errors == [
        (
            "schema-error",
            "schemas/actors.json",
            "/fields/1/type",
            "type 'bogus' is not a Table Schema type (string, number, integer, boolean, object, array, list, "
            "date, time, datetime, year, yearmonth, duration, geopoint, geojson, any); so table 'actors' could not be "
            "read, which stopped 5 checks that depend on it (foreign-key): fix this first",
        )
    ]


def test_a_v1_descriptor_is_read_too(pkg):
    p = pkg.root / "datapackage.json"
    d = json.loads(p.read_text())
    del d["$schema"]
    d["profile"] = "tabular-data-package"
    for r in d["resources"]:
        r["profile"] = "tabular-data-resource"
    p.write_text(json.dumps(d))
    assert found(validate(pkg.root), "descriptor-error") == []


def test_malformed_licenses_are_reported_by_frictionless(pkg):
    p = pkg.root / "datapackage.json"
    d = json.loads(p.read_text())
    d["licenses"] = "CC-BY-4.0"
    p.write_text(json.dumps(d))
    report = validate(pkg.root)
    assert [(f.type, f.message) for f in report.errors] == [
        ("descriptor-error", "The data package has an error: 'CC-BY-4.0' is not of type 'array' at property 'licenses'")
    ]


def test_a_malformed_x_checks_entry_is_a_schema_error(pkg):
    import json

    f = pkg.root / "schemas" / "quotes.json"
    schema = json.loads(f.read_text())
    schema["x-checks"] += [{"rule": "no-such-rule"}, {"rule": "value-order"}]
    f.write_text(json.dumps(schema))
    found = [(x.type, x.field, x.message) for x in validate(pkg.root).findings if x.type == "schema-error"]
    assert found == [
        (
            "schema-error",
            "x-checks",
            "x-checks[2]: unknown rule 'no-such-rule'; known: value-order, date-bounds-order, "
            "date-bounds-outside, event-after-publication, speaker-kind, statement-speaker-conflict, iso3-required, "
            "unused-actor, unused-source, claim-disagreement",
        ),
        ("schema-error", "x-checks", "x-checks[3]: rule 'value-order' needs the parameter 'fields'"),
    ]


def test_a_misstated_rule_parameter_points_at_its_value_and_the_table_is_still_read(pkg):
    pkg.edit_schema("events", lambda d: d["x-checks"][1]["bounds"].__setitem__(1, "date_last"))
    report = validate(pkg.root)
    assert [(f.type, f.path, f.pointer, f.message) for f in report.findings if f.table == "events"] == [
        (
            "schema-error",
            "schemas/events.json",
            "/x-checks/1/bounds/1",
            "x-checks[1]: rule 'date-bounds-outside': parameter 'bounds'[1] names 'date_last', which is not a field",
        )
    ]


def test_a_package_x_property_of_the_wrong_type_is_a_descriptor_error(pkg):
    p = pkg.root / "datapackage.json"
    d = json.loads(p.read_text())
    d["x-requireDescriptions"] = "yes"
    p.write_text(json.dumps(d))
    assert [(f.type, f.path, f.pointer, f.message) for f in validate(pkg.root).findings if f.severity == "error"] == [
        (
            "descriptor-error",
            "datapackage.json",
            "/x-requireDescriptions",
            "x-requireDescriptions must be a boolean, not a string",
        )
    ]
