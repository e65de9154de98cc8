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


def test_the_table_of_sources_is_the_first_whose_schema_has_x_corpus():
    from natodata.model.tableschema import TableSchema, corpus_table

    corpus = {"fields": [{"name": "id"}], "x-corpus": {"file": "f", "sha256": "s"}}
    plain = TableSchema({"fields": [{"name": "id"}]})
    assert corpus_table({"a": plain, "b": None, "s": TableSchema(corpus), "t": TableSchema(corpus)}) == "s"
    assert corpus_table({"a": plain, "b": None}) is None
    assert corpus_table({"a": TableSchema({"x-corpus": "not an object"})}) is None
    assert corpus_table(schemas()) == "sources"


def test_a_read_package_names_its_table_of_sources():
    from natodata.tables.read import read_tables

    loaded = read_tables(ROOT)
    assert loaded.sources is loaded.tables["sources"]
    del loaded.tables["sources"]  # not read: no table of sources
    assert loaded.sources is None
