"""Right on any Data Package: the wrong verdicts of issue 21, each on a package built here,
and one test per Data Package v2 feature natodata used to refuse. (The parametrized
feature tests are slow: CI runs them with -m slow; the default suite keeps one of each.)"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from natodata.checks.validate import validate

V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
TS2 = "https://datapackage.org/profiles/2.0/tableschema.json"
S = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}


def make(root: Path, desc: dict, files: dict) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "datapackage.json").write_text(json.dumps(desc))
    for name, data in files.items():
        (root / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return root


def found(root: Path) -> list[tuple]:
    return [(f.type, f.table, f.line, f.field) for f in validate(root).sorted()]


def one(name="t", path="t.csv", schema=S, **more) -> dict:
    res = {"name": name, "path": path, **more}
    if schema is not None:
        res["schema"] = schema
    return {"resources": [res]}


# --- the 17 wrong verdicts ----------------------------------------------------------------


def test_1_a_quoted_cell_holding_a_cr_is_content_without_x_canonical_files(tmp_path):
    root = make(tmp_path, one(), {"t.csv": 'id,name\r\n1,"a\rb"\r\n2,"c\r\nd"\r\n'})
    assert found(root) == []
    from natodata.tables.read import read_tables

    assert read_tables(root).tables["t"].raw["name"].tolist() == ["a\rb", "c\r\nd"]


def test_1b_with_x_canonical_files_crlf_is_still_natodata_s_line_ending_rule(tmp_path):
    desc = {**one(), "x-canonicalFiles": True}
    root = make(tmp_path, desc, {"t.csv": "id,name\r\n1,a\r\n"})
    assert [t for t, *_ in found(root)] == ["line-ending"]


def test_2_a_table_without_a_schema_is_valid_and_a_note_says_types_were_not_checked(tmp_path):
    root = make(tmp_path, one(schema=None), {"t.csv": "id,name\n1,a\nx,b\n"})
    report = validate(root)
    assert report.findings == []
    assert report.notes == [
        ("t: the resource has no Table Schema; its structure was checked, its types and constraints were not")
    ]


def test_3_a_readme_is_a_file_not_a_table(tmp_path):
    root = make(tmp_path, one("readme", "README.md", None), {"README.md": "# about\n\nnot, a; table\n"})
    report = validate(root)
    assert report.findings == [] and report.notes == []


def test_4_a_pdf_is_checked_for_its_bytes_and_hash_only(tmp_path):
    data = b"%PDF-1.4\x00\xff binary"
    good = {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}
    root = make(tmp_path, one("doc", "doc.pdf", None, **good), {"doc.pdf": data})
    assert found(root) == []
    make(tmp_path, one("doc", "doc.pdf", None, bytes=3, hash="md5:00"), {})
    assert found(root) == [
        ("resource-hash-mismatch", "doc", None, "bytes"),
        ("resource-hash-mismatch", "doc", None, "hash"),
    ]
    make(tmp_path, one("doc", "gone.pdf", None), {})
    assert found(root) == [("resource-path-error", "doc", None, "path")]


def test_5_inline_data_as_arrays_and_as_objects(tmp_path):
    desc = {
        "resources": [
            {"name": "a", "data": [["id", "name"], [1, "x"], [2, None]], "schema": S},
            {"name": "o", "data": [{"id": 1, "name": "x"}, {"id": "z", "name": "y"}], "schema": S},
        ]
    }
    root = make(tmp_path, desc, {})
    assert found(root) == [("type-error", "o", 3, "id")]


def test_6_a_multi_file_path_is_concatenated_with_the_header_in_the_first_file(tmp_path):
    root = make(tmp_path, one(path=["a.csv", "b.csv"]), {"a.csv": "id,name\n1,a\n", "b.csv": "2,b\n3,c\n"})
    assert found(root) == []
    (root / "b.csv").write_text("2,b\nx,c\n")
    assert found(root) == [("type-error", "t", 4, "id")]
    (root / "b.csv").write_text("id,name\n2,b\n")  # each part with the header: the repeat is dropped
    assert found(root) == []


def test_7_an_undeclared_latin_1_file_has_its_encoding_detected(tmp_path):
    text = "id,name\n1,José María García\n2,François Müller\n3,Ærøskøbing Ångström\n"
    root = make(tmp_path, one(), {"t.csv": text.encode("latin-1")})
    assert found(root) == []
    from natodata.tables.read import read_tables

    assert read_tables(root).tables["t"].raw["name"].tolist()[0] == "José María García"


def test_7b_a_declared_encoding_is_never_second_guessed(tmp_path):
    root = make(tmp_path, one(encoding="utf-8"), {"t.csv": "id,name\n1,Jos\xe9\n".encode("latin-1")})
    assert [t for t, *_ in found(root)] == ["encoding-error"]


def test_8_format_tsv_is_read_tab_separated(tmp_path):
    root = make(tmp_path, one(path="t.tsv", format="tsv"), {"t.tsv": "id\tname\n1\ta,b\nx\tc\n"})
    assert found(root) == [("type-error", "t", 3, "id")]


def test_9_a_v2_inline_schema_with_exclusive_minimum_has_only_its_real_errors(tmp_path):
    schema = {
        "fields": [{"name": "n", "type": "integer", "constraints": {"exclusiveMinimum": 0, "exclusiveMaximum": 10}}]
    }
    root = make(tmp_path, {"$schema": V2, **one(schema=schema)}, {"t.csv": "n\n0\n10\n5\n-1\n11\nx\n"})
    assert found(root) == [
        ("exclusive-minimum-constraint", "t", 2, "n"),
        ("exclusive-maximum-constraint", "t", 3, "n"),
        ("exclusive-minimum-constraint", "t", 5, "n"),
        ("exclusive-maximum-constraint", "t", 6, "n"),
        ("type-error", "t", 7, "n"),
    ]


def test_10_list_fields_are_cast_item_by_item_and_load_returns_lists(tmp_path):
    schema = {"fields": [{"name": "l", "type": "list", "delimiter": ";", "itemType": "integer"}]}
    root = make(tmp_path, one(schema=schema), {"t.csv": "l\n1;x;3\n1;2\n"})
    report = validate(root)
    assert [(f.type, f.line, f.message) for f in report.findings] == [
        ("type-error", 2, "'1;x;3' is not a valid list (items of type integer, separated by ';')")
    ]
    (root / "t.csv").write_text("l\n1;2\n30\n")
    from natodata.tables.read import read_tables

    assert read_tables(root).tables["t"].typed["l"].tolist() == [[1, 2], [30]]


def test_11_a_foreign_key_to_a_resource_that_does_not_exist_is_a_schema_error_with_a_hint(tmp_path):
    ids = {"fields": [{"name": "id", "type": "integer"}]}
    fk = {**ids, "foreignKeys": [{"fields": "id", "reference": {"resource": "peple", "fields": "id"}}]}
    desc = {
        "resources": [{"name": "t", "path": "t.csv", "schema": fk}, {"name": "people", "path": "t.csv", "schema": ids}]
    }
    root = make(tmp_path, desc, {"t.csv": "id\n1\n"})
    [f] = validate(root).findings
    assert (f.type, f.pointer, f.message) == (
        "schema-error",
        "/resources/0/schema/foreignKeys/0/reference/resource",
        "foreign key (id) refers to resource 'peple', which the package does not have; did you mean 'people'?",
    )
    fk["foreignKeys"][0]["reference"] = {"resource": "people", "fields": "idd"}
    make(tmp_path, desc, {})
    [f] = validate(root).findings
    assert (f.type, f.message) == (
        "schema-error",
        ("foreign key (id) refers to field 'idd' of resource 'people', which has no such field; did you mean 'id'?"),
    )


def test_12_a_ragged_csv_without_a_schema_gets_its_structure_errors(tmp_path):
    root = make(tmp_path, one(schema=None), {"t.csv": "a,b,,b\n1,2\n,,,\n1,2,3,4,5\n"})
    assert found(root) == [
        ("blank-label", "t", 1, None),
        ("duplicate-label", "t", 1, "b"),
        ("missing-cell", "t", 2, None),
        ("blank-row", "t", 3, None),
        ("extra-cell", "t", 4, None),
    ]


def test_13_fmt_check_demands_canonical_form_only_of_a_package_that_asks_for_it(tmp_path):
    from natodata.tools.fmt import format_package

    schema = {**S, "primaryKey": "id"}
    desc = one(schema=schema, dialect={"delimiter": ";"}, encoding="latin-1")
    root = make(tmp_path, desc, {"t.csv": 'id;name\r\n2;"Jos\xe9"\r\n1;b\r\n'.encode("latin-1")})
    assert validate(root).valid
    assert format_package(root, check=True) == []
    assert format_package(root) == ["t.csv"]  # keeps the dialect, line ending and encoding it finds
    assert (root / "t.csv").read_bytes() == "id;name\r\n1;b\r\n2;Jos\xe9\r\n".encode("latin-1")
    desc["x-canonicalFiles"] = True
    make(tmp_path, desc, {"t.csv": "id;name\n2;x\n"})
    assert format_package(root, check=True) == ["t.csv"]


def test_14_a_v1_package_s_schema_claiming_v2_may_not_use_object_missing_values(tmp_path):
    schema = {"$schema": TS2, "fields": [{"name": "b", "type": "integer"}], "missingValues": [{"value": "-"}]}
    root = make(tmp_path, one(schema=schema), {"t.csv": "b\n-\n"})
    [f] = validate(root).findings
    assert (f.type, f.pointer) == ("schema-error", "/resources/0/schema/missingValues")


def test_15_a_v2_package_s_schema_without_its_own_schema_is_v2(tmp_path):
    schema = {"fields": [{"name": "b", "type": "integer"}], "missingValues": [{"value": "-", "label": "none"}]}
    root = make(tmp_path, {"$schema": V2, **one(schema=schema)}, {"t.csv": "b\n-\n1\n"})
    assert found(root) == []
    (root / "s.json").write_text(json.dumps(schema))  # the same, in its own file
    make(tmp_path, {"$schema": V2, **one(schema="s.json")}, {})
    assert found(root) == []


def test_16_header_labels_are_compared_trimmed(tmp_path):
    root = make(tmp_path, one(), {"t.csv": "id ,name \n1,a\n"})
    assert found(root) == []


def test_17_logical_enum_values_on_a_boolean(tmp_path):
    schema = {"fields": [{"name": "b", "type": "boolean", "constraints": {"enum": [True]}}]}
    root = make(tmp_path, one(schema=schema), {"t.csv": "b\ntrue\nfalse\n"})
    assert found(root) == [("enum-constraint", "t", 3, "b")]


def test_17b_a_constraint_a_type_does_not_support_is_a_schema_error(tmp_path):
    schema = {"fields": [{"name": "n", "type": "integer", "constraints": {"pattern": "1.*"}}]}
    root = make(tmp_path, one(schema=schema), {"t.csv": "n\n1\n"})
    [f] = validate(root).findings
    assert (f.type, f.pointer, f.message) == (
        "schema-error",
        "/resources/0/schema/fields/0/constraints/pattern",
        ("pattern does not apply to an integer field (Table Schema: pattern is a constraint of string fields)"),
    )


# --- one test per v2 feature ----------------------------------------------------------------


def test_header_false_and_header_rows(tmp_path):
    root = make(tmp_path, one(dialect={"header": False}), {"t.csv": "1,a\nx,b\n"})
    assert found(root) == [("type-error", "t", 2, "id")]
    root = make(
        tmp_path / "2",
        one(dialect={"headerRows": [1, 2], "headerJoin": "", "commentRows": [3]}),
        {"t.csv": "i,na\nd,me\nnot,data\n1,a\n"},
    )
    assert found(root) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "dialect, text, expected",
    [
        ({"header": False}, "1,a\nx,b\n", [("type-error", "t", 2, "id")]),
        ({"headerRows": [1, 2], "headerJoin": ""}, "i,na\nd,me\n1,a\nx,b\n", [("type-error", "t", 4, "id")]),
        ({"headerRows": [2]}, "title line,\nid,name\n1,a\n", []),
        ({"commentRows": [2]}, "id,name\nnot,a row\n1,a\n", []),
        ({"commentChar": "#"}, "id,name\n# a comment\n1,a\n#another\n", []),
        ({"delimiter": ";", "quoteChar": "'", "doubleQuote": False, "escapeChar": "\\"}, "id;name\n1;'a;\\'b'\n", []),
        ({"skipInitialSpace": True}, "id, name\n1, a\n", []),
        ({"nullSequence": "\\N"}, "id,name\n\\N,a\n", []),
        ({"lineTerminator": "\r\n"}, "id,name\r\n1,a\r\n", []),
        ({"skipBlankRows": True}, "id,name\n1,a\n,\n", []),
        ({"caseSensitiveHeader": False, "csvddfVersion": 1.2}, "id,name\n1,a\n", []),
    ],
)
def test_table_dialect_properties(tmp_path, dialect, text, expected):
    root = make(tmp_path, one(dialect=dialect), {"t.csv": text})
    assert found(root) == expected


def test_null_sequence_makes_a_required_value_blank(tmp_path):
    schema = {"fields": [{"name": "id", "type": "integer", "constraints": {"required": True}}]}
    root = make(tmp_path, one(schema=schema, dialect={"nullSequence": "NULL"}), {"t.csv": "id\nNULL\n"})
    assert found(root) == [("required-constraint", "t", 2, "id")]


def test_json_dialect_property_item_type_and_item_keys(tmp_path):
    data = {"result": {"rows": [{"name": "a", "id": 1, "x": 0}, {"name": "b", "id": "q"}]}}
    dialect = {"property": "result.rows", "itemType": "object", "itemKeys": ["id", "name"]}
    root = make(tmp_path, one(path="t.json", format="json", dialect=dialect), {"t.json": json.dumps(data)})
    assert found(root) == [("type-error", "t", 3, "id")]


def test_a_spreadsheet_is_refused_as_a_format_not_for_its_sheet(tmp_path):
    root = make(tmp_path, one(path="t.xlsx", dialect={"sheetName": "Data"}), {"t.xlsx": b"PK\x03\x04"})
    [f] = validate(root).findings
    assert (f.type, f.message) == (
        "unsupported-feature",
        ("format 'xlsx' is not supported; natodata reads tables in CSV, TSV and JSON"),
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "fields_match, header, expected",
    [
        ("exact", "id,name", []),
        ("exact", "name,id", [("header-order", "t", 1, None)]),
        ("equal", "name,id", []),
        ("equal", "name,id,x", [("extra-label", "t", 1, "x")]),
        ("subset", "x,name,id", []),
        ("subset", "x,name", [("missing-label", "t", 1, "id")]),
        ("superset", "name", []),
        ("superset", "name,x", [("extra-label", "t", 1, "x")]),
        ("partial", "name,x", []),
        ("partial", "x,y", [("missing-label", "t", 1, None)]),
    ],
)
def test_fields_match(tmp_path, fields_match, header, expected):
    cells = {"id": "1", "name": "a", "x": "q", "y": "r"}
    row = ",".join(cells[h] for h in header.split(","))
    root = make(tmp_path, one(schema={**S, "fieldsMatch": fields_match}), {"t.csv": f"{header}\n{row}\n"})
    assert found(root) == expected


def test_fields_match_maps_by_name(tmp_path):
    root = make(tmp_path, one(schema={**S, "fieldsMatch": "equal"}), {"t.csv": "name,id\na,1\nb,x\n"})
    assert found(root) == [("type-error", "t", 3, "id")]


def test_json_schema_constraint_row_by_row(tmp_path):
    schema = {
        "fields": [
            {"name": "o", "type": "object", "constraints": {"jsonSchema": {"type": "object", "required": ["a"]}}},
            {"name": "l", "type": "array", "constraints": {"jsonSchema": {"items": {"type": "integer"}}}},
        ]
    }
    text = 'o,l\n"{""a"": 1}",[1]\n"{""b"": 1}","[1,""x""]"\n'
    root = make(tmp_path, {"$schema": V2, **one(schema=schema)}, {"t.csv": text})
    assert found(root) == [("json-schema-constraint", "t", 3, "l"), ("json-schema-constraint", "t", 3, "o")]


@pytest.mark.slow
def test_an_invalid_json_schema_is_a_schema_error(tmp_path):
    schema = {"fields": [{"name": "o", "type": "object", "constraints": {"jsonSchema": {"type": 5}}}]}
    root = make(tmp_path, {"$schema": V2, **one(schema=schema)}, {"t.csv": "o\n{}\n"})
    assert [(f.type, f.pointer) for f in validate(root).findings] == [
        ("schema-error", "/resources/0/schema/fields/0/constraints/jsonSchema")
    ]


@pytest.mark.slow
def test_gzip_and_zip_are_read_and_a_bomb_is_refused(tmp_path, monkeypatch):
    from natodata.tables import source

    body = b"id,name\n1,a\nx,b\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("t.csv", body)
    desc = {
        "resources": [
            {"name": "g", "path": "t.csv.gz", "schema": S},
            {"name": "z", "path": "t.csv.zip", "schema": S},
            {"name": "c", "path": "t.bin", "compression": "gz", "format": "csv", "schema": S},
        ]
    }
    root = make(
        tmp_path, desc, {"t.csv.gz": gzip.compress(body), "t.csv.zip": buf.getvalue(), "t.bin": gzip.compress(body)}
    )
    assert found(root) == [("type-error", "c", 3, "id"), ("type-error", "g", 3, "id"), ("type-error", "z", 3, "id")]
    monkeypatch.setattr(source, "MAX_SOURCE_BYTES", 10)
    assert {t for t, *_ in found(root)} == {"file-too-large"}


def test_a_remote_path_is_refused_offline_with_a_message_that_says_so(tmp_path):
    root = make(tmp_path, one(path="https://example.com/t.csv"), {})
    [f] = validate(root).findings
    assert (f.type, f.message) == (
        "resource-path-error",
        (
            "resource 't': path 'https://example.com/t.csv' is a URL; natodata "
            "validates offline and reads local files only, so it is not fetched"
        ),
    )


@pytest.mark.slow
def test_multi_file_bytes_and_hash_are_those_of_the_concatenation(tmp_path):
    a, b = b"id,name\n1,a\n", b"2,b\n"
    desc = one(path=["a.csv", "b.csv"], bytes=len(a + b), hash=hashlib.md5(a + b).hexdigest())
    root = make(tmp_path, desc, {"a.csv": a, "b.csv": b})
    assert found(root) == []


@pytest.mark.slow
def test_ndjson_rows_and_an_unknown_extension_read_as_csv(tmp_path):
    desc = {"resources": [{"name": "j", "path": "t.ndjson", "schema": S}, {"name": "d", "path": "t.dat", "schema": S}]}
    root = make(
        tmp_path, desc, {"t.ndjson": '{"id": 1, "name": "a"}\n{"id": "x", "name": "b"}\n', "t.dat": "id,name\n1,a\n"}
    )
    assert found(root) == [("type-error", "j", 3, "id")]


def test_the_cli_notes_a_table_without_a_schema_on_stderr_and_passes(tmp_path):
    from typer.testing import CliRunner

    from natodata.cli import app

    root = make(
        tmp_path,
        {"resources": [{"name": "t", "path": "t.csv"}, {"name": "readme", "path": "README.md"}]},
        {"t.csv": "a,b\n1,2\n", "README.md": "# about\n"},
    )
    result = CliRunner().invoke(app, ["validate", str(root), "--select", "structure"])
    assert (result.exit_code, result.stdout) == (0, "valid: 0 errors, 0 warnings\n")
    assert result.stderr == (
        "note: t: the resource has no Table Schema; its structure was checked, its types and constraints were not\n"
    )


def test_dialect_rows_are_counted_once_across_pieces(tmp_path):
    from natodata.model.dialect import Dialect
    from natodata.tables.csvfile import read_csv

    rows = "".join(f'{i},"multi\nline {i}"\n' for i in range(1, 200))
    text = "title\nid,name\n" + rows + "# note\n"
    (tmp_path / "t.csv").write_text(text)
    dialect = Dialect(header_rows=(2,), comment_char="#", comment_rows=(150,))
    whole = read_csv(tmp_path / "t.csv", "t", "t.csv", ["id", "name"], dialect, canonical=False)
    for size in (64, 300, 4096):
        small = read_csv(tmp_path / "t.csv", "t", "t.csv", ["id", "name"], dialect, canonical=False, chunk_bytes=size)
        assert small.findings == whole.findings == []
        assert small.frame.equals(whole.frame)
    assert len(whole.frame) == 198 and "148" not in whole.frame["id"].tolist()


@pytest.mark.slow
def test_list_values_export_to_sqlite_as_json_text_and_the_codebook_skips_files(tmp_path):
    import sqlite3

    from natodata.tools.codebook import codebook_text
    from natodata.tools.export import export

    schema = {
        "fields": [{"name": "id", "type": "integer"}, {"name": "l", "type": "list", "itemType": "integer"}],
        "primaryKey": "id",
    }
    root = make(
        tmp_path / "p",
        {
            "resources": [
                {"name": "t", "data": [["id", "l"], [1, "1,2"]], "schema": schema},
                {"name": "readme", "path": "README.md"},
            ]
        },
        {"README.md": "# x\n"},
    )
    export(root, sqlite=tmp_path / "x.db")
    assert sqlite3.connect(tmp_path / "x.db").execute("select * from t").fetchall() == [(1, "[1, 2]")]
    assert "## readme" not in codebook_text(root)


@pytest.mark.slow
@pytest.mark.parametrize(
    "dialect, pointer",
    [
        ({"commentChar": ""}, "/resources/0/dialect/commentChar"),
        ({"delimiter": "\n"}, "/resources/0/dialect/delimiter"),
        ({"delimiter": ";", "quoteChar": ";"}, "/resources/0/dialect"),
    ],
)
def test_a_nonsensical_dialect_is_a_descriptor_error(tmp_path, dialect, pointer):
    root = make(tmp_path, one(dialect=dialect), {"t.csv": "id,name\n1,a\n"})
    assert [(f.type, f.pointer) for f in validate(root).findings] == [("descriptor-error", pointer)]


@pytest.mark.slow
def test_a_multi_character_delimiter_is_refused_and_deep_json_is_a_finding(tmp_path):
    root = make(tmp_path, one(dialect={"delimiter": "||"}), {"t.csv": "id||name\n"})
    assert [f.type for f in validate(root).findings] == ["unsupported-feature"]
    deep = "[" * 100_000 + "]" * 100_000
    root = make(tmp_path / "deep", one(path="t.json"), {"t.json": deep})
    assert [(f.type, f.message) for f in validate(root).findings] == [
        ("csv-error", "the file's JSON is nested too deeply to read")
    ]


def test_with_x_canonical_files_a_cr_inside_a_quoted_cell_is_content_too(tmp_path):
    desc = {**one(schema={**S, "primaryKey": "id"}), "x-canonicalFiles": True}
    root = make(tmp_path, desc, {"t.csv": 'id,name\n1,"a\rb"\n2,"c""\r\nd"\n'})
    assert found(root) == []
    make(tmp_path, desc, {"t.csv": 'id,name\n1,"a\rb"\r2,c\n'})  # a CR that ends a record is a line ending
    assert [(t, line) for t, _, line, _ in found(root)] == [("line-ending", 2)]


def test_fmt_quotes_a_cell_holding_a_cr_so_the_file_reads_back_the_same(tmp_path):
    from natodata.tables.read import read_tables
    from natodata.tools.fmt import format_package

    desc = {**one(schema={**S, "primaryKey": "id"}), "x-canonicalFiles": True}
    root = make(tmp_path, desc, {"t.csv": 'id,name\n2,"a\rb"\n1,x\n'})
    assert format_package(root) == ["t.csv"]
    assert (root / "t.csv").read_bytes() == b'id,name\n1,x\n2,"a\rb"\n'
    assert read_tables(root).tables["t"].raw["name"].tolist() == ["x", "a\rb"]
    assert found(root) == []
