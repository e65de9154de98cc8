"""Reading a package's tables (natodata.tables.read): what the descriptor declares of a
table (its dialect, its encoding, its schema's typing) decides how it is read, or why it
is not; each on a two-table package written here."""

from __future__ import annotations

import json

from natodata.tables.read import read_tables

SCHEMA = {
    "fields": [{"name": "id", "type": "string"}, {"name": "n", "type": "integer"}, {"name": "note", "type": "string"}]
}


def package(root, text: str | bytes, schema=SCHEMA, **resource):
    """A package whose second resource, 't', is ``text`` with ``schema`` and the
    resource properties given (a dialect, an encoding)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "t.csv").write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    (root / "o.csv").write_text("x\n1\n", encoding="utf-8")
    (root / "datapackage.json").write_text(
        json.dumps(
            {
                "resources": [
                    {"name": "o", "path": "o.csv", "schema": {"fields": [{"name": "x", "type": "integer"}]}},
                    {"name": "t", "path": "t.csv", "schema": schema, **resource},
                ]
            }
        ),
        encoding="utf-8",
    )
    return root


def findings(loaded) -> list[tuple]:
    return [(f.type, f.table, f.path, f.line, f.field, f.pointer, f.message) for f in loaded.report.findings]


def test_a_declared_dialect_is_honoured(tmp_path):
    plain = read_tables(package(tmp_path / "plain", 'id,n,note\na,1,"x, y"\nb,2,\n')).tables["t"]
    assert plain.raw.to_dict("list") == {"id": ["a", "b"], "n": ["1", "2"], "note": ["x, y", ""]}
    assert plain.typed["n"].tolist() == [1, 2] and plain.typed.index.tolist() == [2, 3]

    loaded = read_tables(package(tmp_path / "semicolon", "id;n;note\na;1;x, y\nb;2;\n", dialect={"delimiter": ";"}))
    assert findings(loaded) == []
    t = loaded.tables["t"]
    assert t.dialect.delimiter == ";"
    assert t.raw.equals(plain.raw) and t.typed.equals(plain.typed)


def test_without_a_header_row_the_fields_map_by_order(tmp_path):
    loaded = read_tables(package(tmp_path, "a;1;x, y\nb;2;\n", dialect={"delimiter": ";", "header": False}))
    assert findings(loaded) == []
    t = loaded.tables["t"]
    assert t.raw.to_dict("list") == {"id": ["a", "b"], "n": ["1", "2"], "note": ["x, y", ""]}
    assert t.typed["n"].tolist() == [1, 2] and t.typed.index.tolist() == [1, 2]  # line 1 is a row


def test_an_unsupported_line_terminator_stops_the_table(tmp_path):
    loaded = read_tables(package(tmp_path, "id;n;note\na;1;x\n", dialect={"lineTerminator": ";"}))
    assert findings(loaded) == [
        (
            "unsupported-feature",
            "t",
            "datapackage.json",
            None,
            None,
            "/resources/1/dialect/lineTerminator",
            "lineTerminator ';' is not supported (records end with \\n, \\r\\n or \\r)",
        )
    ]
    assert set(loaded.tables) == {"o"}  # not read rather than read with the terminator ignored


def test_a_file_that_contradicts_its_declared_encoding_is_an_encoding_error(tmp_path):
    loaded = read_tables(package(tmp_path, "id,n,note\na,1,ok\nb,2,\u201cquoted\u201d\n", encoding="ascii"))
    assert findings(loaded) == [
        (
            "encoding-error",
            "t",
            "t.csv",
            3,
            None,
            None,
            "file is not valid ascii, its declared encoding: byte 0xe2 at line 3 cannot be decoded",
        )
    ]
    assert set(loaded.tables) == {"o"}


def test_a_constraint_not_of_its_fields_type_is_a_schema_error_and_the_table_is_not_read(tmp_path):
    schema = json.loads(json.dumps(SCHEMA))
    schema["fields"][1]["constraints"] = {"minimum": "x"}
    loaded = read_tables(package(tmp_path, "id,n,note\na,1,x\n", schema))
    assert findings(loaded) == [
        (
            "schema-error",
            "t",
            "datapackage.json",
            None,
            "n",
            "/resources/1/schema/fields/1/constraints/minimum",
            "field 'n': minimum 'x' is not an integer",
        )
    ]
    assert set(loaded.tables) == {"o"}
    # In a schema file, the pointer is into that file.
    (tmp_path / "s.json").write_text(json.dumps(schema), encoding="utf-8")
    loaded = read_tables(package(tmp_path, "id,n,note\na,1,x\n", "s.json"))
    assert findings(loaded) == [
        (
            "schema-error",
            "t",
            "s.json",
            None,
            "n",
            "/fields/1/constraints/minimum",
            "field 'n': minimum 'x' is not an integer",
        )
    ]
