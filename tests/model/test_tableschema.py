"""The schemas themselves: one definition per field, every reference resolvable."""

import json

from natodata.model.descriptor import load_package

from tests.helpers import ROOT


def schemas():
    pkg = load_package(ROOT)
    return {r.name: r.schema for r in pkg.resources}


def test_fields_shared_between_tables_are_defined_identically():
    seen = {}
    for table, schema in schemas().items():
        for field in schema.fields:
            if field.name == "id":
                continue  # each table's own identifier
            if field.name in seen:
                other, desc = seen[field.name]
                assert field.descriptor == desc, f"{table}.{field.name} differs from {other}.{field.name}"
            else:
                seen[field.name] = (table, field.descriptor)


def test_every_vocabulary_term_has_a_label():
    for table, schema in schemas().items():
        for field in schema.fields:
            for cat in field.descriptor.get("categories", []):
                assert isinstance(cat, dict) and cat.get("label"), f"{table}.{field.name}: {cat}"


def test_descriptor_lists_every_schema_file_once():
    desc = json.loads((ROOT / "datapackage.json").read_text())
    listed = sorted(r["schema"] for r in desc["resources"])
    assert listed == sorted(f"schemas/{p.name}" for p in (ROOT / "schemas").glob("*.json"))
