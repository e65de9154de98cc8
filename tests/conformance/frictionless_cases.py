"""frictionless's own validation tests (the ``__spec__`` folders shipped in frictionless
5.21: ``resource/__spec__/test_validate*.py``, ``package/__spec__/test_validate.py``),
ported as data: each case is the package a test builds, its files rebuilt from the
test's inline data or from the fixture's few lines, and the errors frictionless's test
expects, as ``(row, type)`` in frictionless's terms.

``DISAGREE`` names the cases where natodata answers otherwise on purpose; each is
listed, with the spec's words, in docs/validate.md ("Where natodata and frictionless
disagree").
"""

from __future__ import annotations

V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
TS2 = "https://datapackage.org/profiles/2.0/tableschema.json"

# The fixtures of frictionless's data/ folder the ported tests read.
TABLE = "id,name\n1,english\n2,中国人\n"
INVALID = "id,name,,name\n1,english\n1,english\n\n2,german,1,2,3\n"
MATRIX = "f1,f2,f3,f4\n11,12,13,14\n21,22,23,24\n31,32,33,34\n41,42,43,44\n"
UNIQUE_FIELD = (
    "id,name,slug\nao,Angola,angola\nag,Antigua and Barbuda,antigua-and-barbuda\nar,Argentina,argentina\n"
    "am,Armenia,armenia\naw,Aruba,aruba\nau,Australia,australia\nat,Austria,austria\n"
    "bd,Bangladesh,bangladesh\nao,Belgium,belgium\n"
)
UNIQUE_FIELD_SCHEMA = {
    "fields": [
        {"name": "id", "type": "string", "constraints": {"unique": True}},
        {"name": "name", "type": "string"},
        {"name": "slug", "type": "string"},
    ],
    "primaryKey": "id",
}
SCHEMA_VALID = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True}},
        {"name": "name", "type": "string", "constraints": {"required": True}},
        {"name": "age", "type": "integer", "constraints": {"required": True}},
    ],
    "primaryKey": "id",
}
INVALID_PKG_SCHEMA = {
    "fields": [
        {"name": "id", "type": "string", "constraints": {"required": True}},
        {"name": "name", "type": "string"},
        {"name": "description", "type": "string"},
        {"name": "amount", "type": "number"},
    ],
    "primaryKey": "id",
}
NESTED_SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "cat", "type": "integer"},
        {"name": "name", "type": "string"},
    ],
    "foreignKeys": [{"fields": "cat", "reference": {"resource": "", "fields": "id"}}],
}
FK = [
    {
        "name": "cities",
        "data": [["id", "name", "next_id"], [1, "london", 2], [2, "paris", 3], [3, "rome", 4], [4, "rio", None]],
        "schema": {
            "fields": [
                {"name": "id", "type": "integer"},
                {"name": "name", "type": "string"},
                {"name": "next_id", "type": "integer"},
            ],
            "foreignKeys": [
                {"fields": "next_id", "reference": {"resource": "", "fields": "id"}},
                {"fields": "id", "reference": {"resource": "people", "fields": "label"}},
            ],
        },
    },
    {"name": "people", "data": [["label", "population"], [1, 8], [2, 2], [3, 3], [4, 6]]},
]
MULTI_FK = {
    "name": "travel_time",
    "data": [["from", "to", "hours"], [1, 2, 1.5], [2, 3, 8], [3, 4, 18]],
    "schema": {
        "fields": [
            {"name": "from", "type": "integer"},
            {"name": "to", "type": "integer"},
            {"name": "hours", "type": "number"},
        ],
        "foreignKeys": [{"fields": ["from", "to"], "reference": {"resource": "cities", "fields": ["id", "next_id"]}}],
    },
}


def _zip(name: str, text: str) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(name, text)
    return buf.getvalue()


def res(path=None, data=None, schema=None, name="name", **more) -> dict:
    out = {"name": name, **({"path": path} if path is not None else {"data": data})}
    if schema is not None:
        out["schema"] = schema
    return {**out, **more}


def pkg(*resources, **more) -> dict:
    return {**more, "resources": list(resources)}


def fk(edit) -> list:
    import copy

    out = copy.deepcopy(FK)
    edit(out)
    return out


DP1 = "https://datapackage.org/profiles/1.0/datapackage.json"
DR1 = "https://datapackage.org/profiles/1.0/dataresource.json"
DR2 = "https://datapackage.org/profiles/2.0/dataresource.json"


def _object_missing_values(own: str | None, where: str) -> dict:
    schema = {"fields": [{"name": "id", "type": "string"}, {"name": "name", "type": "string"}]}
    if own is not None:
        schema["$schema"] = own
    if where == "schema":
        schema["missingValues"] = [{"value": "-99", "label": "REFUSED"}]
    else:
        schema["fields"][0]["missingValues"] = [{"value": "-99", "label": "REFUSED"}]
    return schema


def _string_fields(*names) -> list:
    return [{"name": n, "type": "string"} for n in names]


#: (case id, descriptor, files, expected [(row, frictionless error type)])
CASES = [
    # resource/__spec__/test_validate.py
    ("resource_validate", pkg(res("table.csv")), {"table.csv": TABLE}, []),
    (
        "resource_validate_invalid_table",
        pkg(res("invalid.csv")),
        {"invalid.csv": INVALID},
        [
            (None, "blank-label"),
            (None, "duplicate-label"),
            (2, "missing-cell"),
            (3, "missing-cell"),
            (4, "blank-row"),
            (5, "extra-cell"),
        ],
    ),
    (
        "resource_validate_resource_with_schema_as_string",
        pkg(res("table.csv", schema="schema.json")),
        {
            "table.csv": TABLE,
            "schema.json": '{"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}], "primaryKey": "id"}',
        },
        [],
    ),
    (
        "resource_validate_blank_headers",
        pkg(res("b.csv")),
        {"b.csv": "id,,age\n1101,John,30\n1102,Julie,26\n"},
        [(None, "blank-label")],
    ),
    (
        "resource_validate_duplicate_headers",
        pkg(res("d.csv")),
        {"d.csv": "id,name,id,age,id\n1101,John,0,30,001101\n1102,Julie,0,26,001102\n"},
        [(None, "duplicate-label")],
    ),
    (
        "resource_validate_defective_rows",
        pkg(res("d.csv")),
        {"d.csv": "id,name,age\n1101,John\n1102,Julie,26,Potatoes\n"},
        [(2, "missing-cell"), (3, "extra-cell")],
    ),
    (
        "resource_validate_blank_rows",
        pkg(res("b.csv")),
        {"b.csv": "id,name,age\n1101,John,30\n1102,Julie,26\n,,\n"},
        [(4, "blank-row")],
    ),
    (
        "resource_validate_blank_rows_multiple",
        pkg(res("b.csv")),
        {"b.csv": "id,name,age\n1101,John,30\n1102,Julie,26\n" + ",,\n" * 11 + "1103,Jim,10\n"},
        [(n, "blank-row") for n in range(4, 15)],
    ),
    (
        "resource_validate_blank_cell_not_required",
        pkg(res("c.csv")),
        {"c.csv": "id,name\n1,Paul\n2,John\n3,George\n4,Ringo\n5,\n"},
        [],
    ),
    ("resource_validate_no_data", pkg(res("empty.csv")), {"empty.csv": ""}, [(None, "source-error")]),
    ("resource_validate_no_rows", pkg(res("w.csv")), {"w.csv": "id,name\n"}, []),
    (
        "resource_validate_infer_fields_issue_225",
        pkg(res(data=[["name1", "name2"], ["123", None], ["456", None], ["789"]])),
        {},
        [(4, "missing-cell")],
    ),
    ("resource_validate_inline_not_a_binary_issue_349", pkg(res(data=[["id", "name"], ["1", "english"]])), {}, []),
    (
        "resource_validate_resource_from_json_format_issue_827",
        pkg(res("table.json")),
        {"table.json": '[["id", "name"], [1, "english"], [2, "中国人"]]'},
        [],
    ),
    (
        "resource_validate_missing_local_file_raises_scheme_error_issue_315",
        pkg(res("bad-path.csv")),
        {},
        [(None, "scheme-error")],
    ),
    ("resource_validate_newline_inside_label_issue_811", pkg(res("n.csv")), {"n.csv": 'id,"first\nname"\n1,a\n'}, []),
    # resource/__spec__/test_validate_dialect.py
    (
        "resource_validate_dialect_delimiter",
        pkg(res("d.csv", dialect={"delimiter": ";"})),
        {"d.csv": "id;name\n1;english\n2;中国人\n"},
        [],
    ),
    (
        "resource_validate_dialect_header_false",
        pkg(res("w.csv", dialect={"header": False})),
        {"w.csv": "1,english\n2,中国人\n3,german\n"},
        [],
    ),
    (
        "resource_validate_dialect_none_extra_cell",
        pkg(res("w.csv", dialect={"header": False})),
        {"w.csv": "1,english\n2,中国人\n3,german,extra\n"},
        [(3, "extra-cell")],
    ),
    ("resource_validate_dialect_number", pkg(res("m.csv", dialect={"headerRows": [2]})), {"m.csv": MATRIX}, []),
    (
        "resource_validate_dialect_list_of_numbers",
        pkg(res("m.csv", dialect={"headerRows": [2, 3, 4]})),
        {"m.csv": MATRIX},
        [],
    ),
    (
        "resource_validate_dialect_list_of_numbers_and_headers_join",
        pkg(res("m.csv", dialect={"headerRows": [2, 3, 4], "headerJoin": "."})),
        {"m.csv": MATRIX},
        [],
    ),
    (
        "resource_validate_dialect_skip_rows",
        pkg(res("m.csv", dialect={"commentChar": "41", "commentRows": [2]})),
        {"m.csv": MATRIX},
        [],
    ),
    # resource/__spec__/test_validate_schema.py
    (
        "resource_validate_schema_invalid_json",
        pkg(res("table.csv", schema="invalid.json")),
        {"table.csv": TABLE, "invalid.json": '{"fields": [{"name": "id"}'},
        [(None, "schema-error")],
    ),
    (
        "resource_validate_schema_extra_headers_and_cells",
        pkg(res("table.csv", schema={"fields": [{"name": "id", "type": "integer"}]})),
        {"table.csv": TABLE},
        [(None, "extra-label")],
    ),
    (
        "resource_validate_schema_multiple_errors",
        pkg(res("s.csv", schema=SCHEMA_VALID)),
        {"s.csv": "id,name,age\n1101,John,30\n1102,Julie,26\ni_should_be_a_number,,\n,2,3,4,5,6\n"},
        [(4, "type-error"), (4, "constraint-error"), (5, "extra-cell")],
    ),
    (
        "resource_validate_schema_min_length_constraint",
        pkg(
            res(
                data=[["row", "word"], [2, "a"], [3, "ab"], [4, "abc"], [5, "abcd"], [6]],
                schema={
                    "fields": [
                        {"name": "row", "type": "integer"},
                        {"name": "word", "type": "string", "constraints": {"minLength": 2}},
                    ]
                },
            )
        ),
        {},
        [(2, "constraint-error"), (6, "missing-cell")],
    ),
    (
        "resource_validate_schema_max_length_constraint",
        pkg(
            res(
                data=[["row", "word"], [2, "a"], [3, "ab"], [4, "abc"], [5, "abcd"], [6]],
                schema={
                    "fields": [
                        {"name": "row", "type": "integer"},
                        {"name": "word", "type": "string", "constraints": {"maxLength": 2}},
                    ]
                },
            )
        ),
        {},
        [(4, "constraint-error"), (5, "constraint-error"), (6, "missing-cell")],
    ),
    (
        "resource_validate_schema_minimum_constraint",
        pkg(
            res(
                data=[["row", "score"], [2, 1], [3, 2], [4, 3], [5, 4], [6]],
                schema={
                    "fields": [
                        {"name": "row", "type": "integer"},
                        {"name": "score", "type": "integer", "constraints": {"minimum": 2}},
                    ]
                },
            )
        ),
        {},
        [(2, "constraint-error"), (6, "missing-cell")],
    ),
    (
        "resource_validate_schema_exclusive_minimum_and_maximum_constraints",
        pkg(
            res(
                data=[["row", "score"], [2, 1], [3, 2], [4, 3], [5, 4], [6]],
                schema={
                    "$schema": TS2,
                    "fields": [
                        {"name": "row", "type": "integer"},
                        {
                            "name": "score",
                            "type": "integer",
                            "constraints": {"exclusiveMinimum": 1, "exclusiveMaximum": 4},
                        },
                    ],
                },
            ),
            **{"$schema": V2},
        ),
        {},
        [(2, "constraint-error"), (5, "constraint-error"), (6, "missing-cell")],
    ),
    (
        "resource_validate_schema_maximum_constraint",
        pkg(
            res(
                data=[["row", "score"], [2, 1], [3, 2], [4, 3], [5, 4], [6]],
                schema={
                    "fields": [
                        {"name": "row", "type": "integer"},
                        {"name": "score", "type": "integer", "constraints": {"maximum": 2}},
                    ]
                },
            )
        ),
        {},
        [(4, "constraint-error"), (5, "constraint-error"), (6, "missing-cell")],
    ),
    (
        "resource_validate_schema_foreign_key_error_self_referencing",
        pkg(res("n.csv", schema=NESTED_SCHEMA)),
        {"n.csv": "id,cat,name\n1,,England\n2,,France\n3,1,London\n4,2,Paris\n"},
        [],
    ),
    (
        "resource_validate_schema_foreign_key_error_self_referencing_invalid",
        pkg(res("n.csv", schema=NESTED_SCHEMA)),
        {"n.csv": "id,cat,name\n1,,England\n2,,France\n3,1,London\n4,2,Paris\n5,6,Rome\n"},
        [(6, "foreign-key")],
    ),
    (
        "resource_validate_schema_unique_error_and_type_error",
        pkg(
            res(
                data=[["id", "unique_number"], ["a1", 100], ["a2", "bad"], ["a3", 100], ["a4", 0], ["a5", 0]],
                schema={
                    "fields": [
                        {"name": "id", "type": "string"},
                        {"name": "unique_number", "type": "number", "constraints": {"unique": True}},
                    ]
                },
            )
        ),
        {},
        [(3, "type-error"), (4, "unique-error"), (6, "unique-error")],
    ),
    (
        "resource_validate_schema_primary_key_and_unique_error",
        pkg(res("u.csv", schema=UNIQUE_FIELD_SCHEMA)),
        {"u.csv": UNIQUE_FIELD},
        [(10, "unique-error"), (10, "primary-key")],
    ),
    (
        "resource_validate_schema_primary_key_error_composite",
        pkg(
            res(
                data=[["id", "name"], [1, "Alex"], [1, "John"], ["", "Paul"], [1, "John"], ["", None]],
                schema={
                    "fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}],
                    "primaryKey": ["id", "name"],
                },
            )
        ),
        {},
        [(5, "primary-key"), (6, "blank-row"), (6, "primary-key")],
    ),
    (
        "resource_validate_less_actual_fields_with_required_constraint_issue_950",
        pkg(
            res(
                "table.csv",
                schema={
                    "fields": [
                        {"name": "id", "type": "integer"},
                        {"name": "name", "type": "string"},
                        {"name": "bad", "type": "any", "constraints": {"required": True}},
                    ]
                },
            )
        ),
        {"table.csv": TABLE},
        [(None, "missing-label")],
    ),
    (
        "resource_validate_missing_label_preserves_irregular_row_issue_1791",
        pkg(res(data=[["a", "b"], ["1"]], schema={"fields": [{"name": "a"}, {"name": "b"}, {"name": "c"}]})),
        {},
        [(None, "missing-label"), (2, "missing-cell")],
    ),
    *[
        (
            f"resource_validate_fields_match_reordered_labels[{fm}]",
            pkg(
                res(
                    data=[["name", "id"], ["english", "1"]],
                    schema={"fields": _string_fields("id", "name"), "fieldsMatch": fm},
                )
            ),
            {},
            expected,
        )
        for fm, expected in [
            ("exact", [(None, "incorrect-label")]),
            ("equal", []),
            ("subset", []),
            ("superset", []),
            ("partial", []),
        ]
    ],
    *[
        (
            f"resource_validate_fields_match_extra_label[{fm}]",
            pkg(
                res(
                    data=[["name", "id"], ["english", "1"]],
                    schema={"fields": _string_fields("name"), "fieldsMatch": fm},
                )
            ),
            {},
            expected,
        )
        for fm, expected in [
            ("exact", [(None, "extra-label")]),
            ("equal", [(None, "extra-label")]),
            ("superset", [(None, "extra-label")]),
            ("subset", []),
            ("partial", []),
        ]
    ],
    *[
        (
            f"resource_validate_fields_match_missing_field[{fm}]",
            pkg(
                res(
                    data=[["name", "id"], ["english", "1"]],
                    schema={"fields": _string_fields("name", "id", "extra"), "fieldsMatch": fm},
                )
            ),
            {},
            expected,
        )
        for fm, expected in [
            ("exact", [(None, "missing-label")]),
            ("equal", [(None, "missing-label")]),
            ("subset", [(None, "missing-label")]),
            ("superset", []),
            ("partial", []),
        ]
    ],
    (
        "resource_fields_match_reads_cells_by_name",
        pkg(
            res(
                "s.csv",
                schema={
                    "fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}],
                    "fieldsMatch": "equal",
                },
            )
        ),
        {"s.csv": "name,id\nenglish,1\n中国人,2\n"},
        [],
    ),
    (
        "resource_validate_fields_match_partial_duplicate_labels",
        pkg(res(data=[["id", "id"], ["1", "2"]], schema={"fields": _string_fields("id"), "fieldsMatch": "partial"})),
        {},
        [(None, "duplicate-label")],
    ),
    ("resource_validate_compression", pkg(res("table.csv.zip")), {"table.csv.zip": _zip("table.csv", TABLE)}, []),
    (
        "resource_validate_compression_explicit",
        pkg(res("table.csv.zip", compression="zip")),
        {"table.csv.zip": _zip("table.csv", TABLE)},
        [],
    ),
    (
        "resource_validate_compression_invalid",
        pkg(res("table.csv.zip", compression="bad")),
        {"table.csv.zip": _zip("table.csv", TABLE)},
        [(None, "compression-error")],
    ),
    (
        "resource_validate_no_rows_with_compression",
        pkg(res("w.csv.zip")),
        {"w.csv.zip": _zip("w.csv", "id,name\n")},
        [],
    ),
    ("resource_validate_encoding", pkg(res("table.csv", encoding="utf-8")), {"table.csv": TABLE}, []),
    (
        "resource_validate_encoding_invalid",
        pkg(res("latin1.csv", encoding="utf-8")),
        {"latin1.csv": "id,name\n1,english\n2,\xa9\n".encode("latin-1")},
        [(None, "encoding-error")],
    ),
    ("resource_validate_format_non_tabular", pkg(res("table.bad")), {"table.bad": TABLE}, []),
    ("resource_validate_format", pkg(res("table.csv", format="csv")), {"table.csv": TABLE}, []),
    (
        "resource_validate_stats_hash",
        pkg(res("table.csv", hash="sha256:a1fd6c5ff3494f697874deeb07f69f8667e903dd94a7bc062dd57550cea26da8")),
        {"table.csv": TABLE},
        [],
    ),
    (
        "resource_validate_stats_hash_invalid",
        pkg(res("table.csv", hash="bad")),
        {"table.csv": TABLE},
        [(None, "hash-count")],
    ),
    ("resource_validate_stats_bytes", pkg(res("table.csv", bytes=30)), {"table.csv": TABLE}, []),
    (
        "resource_validate_stats_bytes_invalid",
        pkg(res("table.csv", bytes=40)),
        {"table.csv": TABLE},
        [(None, "byte-count")],
    ),
    ("resource_validate_scheme", pkg(res("table.csv", scheme="file")), {"table.csv": TABLE}, []),
    ("resource_validate_scheme_invalid", pkg(res("bad://data/table.csv")), {}, [(None, "scheme-error")]),
    *[
        (
            f"resource_validate_name_version_gate[{name}]",
            pkg({"name": "My Table", "path": "table.csv", **version}, **pv),
            {"table.csv": TABLE},
            expected,
        )
        for name, version, pv, expected in [
            ("undeclared", {}, {}, [(None, "package-error")]),
            ("v2", {}, {"$schema": V2}, []),
        ]
    ],
    (
        "resource_validate_name_valid_v1",
        pkg({"name": "my-table.v1/a_b", "path": "table.csv"}),
        {"table.csv": TABLE},
        [],
    ),
    # schema/__spec__/test_validate.py: each schema in a package of its own version
    (
        "schema_validate",
        pkg(res("table.csv", schema="schema.json")),
        {
            "table.csv": TABLE,
            "schema.json": '{"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}',
        },
        [],
    ),
    (
        "schema_validate_invalid",
        pkg(res("table.csv", schema={"fields": "bad"})),
        {"table.csv": TABLE},
        [(None, "schema-error")],
    ),
    (
        "schema_validate_required_invalid",
        pkg(
            res(
                "table.csv",
                schema={
                    "fields": [{"name": "id", "type": "integer", "required": True}, {"name": "name", "type": "string"}]
                },
            )
        ),
        {"table.csv": TABLE},
        [(None, "schema-error")],
    ),
    *[
        (
            f"schema_validate_missing_values_uniqueness[{name}]",
            pkg(
                res("table.csv", schema={"$schema": TS2, "fields": _string_fields("id", "name"), "missingValues": mv}),
                **{"$schema": V2},
            ),
            {"table.csv": TABLE},
            expected,
        )
        for name, mv, expected in [
            ("valid-strings", ["", "NA"], []),
            ("valid-duplicate-strings", ["NA", "NA"], []),
            ("valid-objects", [{"value": "-99", "label": "REFUSED"}, {"value": "", "label": "OMITTED"}], []),
            ("missing-labels-do-not-collide", [{"value": "-99"}, {"value": "-1"}], []),
            (
                "duplicate-value",
                [{"value": "-99", "label": "REFUSED"}, {"value": "-99", "label": "OMITTED"}],
                [(None, "schema-error")],
            ),
            (
                "duplicate-label",
                [{"value": "-99", "label": "REFUSED"}, {"value": "", "label": "REFUSED"}],
                [(None, "schema-error")],
            ),
            (
                "duplicate-value-and-label",
                [{"value": "-99", "label": "REFUSED"}, {"value": "-99", "label": "REFUSED"}],
                [(None, "schema-error")],
            ),
        ]
    ],
    (
        "schema_validate_field_missing_values_uniqueness",
        pkg(
            res(
                "table.csv",
                schema={
                    "$schema": TS2,
                    "fields": [
                        {
                            "name": "id",
                            "type": "string",
                            "missingValues": [
                                {"value": "-99", "label": "REFUSED"},
                                {"value": "-99", "label": "OMITTED"},
                            ],
                        },
                        {"name": "name", "type": "string"},
                    ],
                },
            ),
            **{"$schema": V2},
        ),
        {"table.csv": TABLE},
        [(None, "schema-error")],
    ),
    *[
        (
            f"schema_validate_missing_values_version_gate[{name}]",
            pkg(
                res("table.csv", schema={"fields": _string_fields("id", "name"), "missingValues": mv}),
                **({"$schema": package} if package else {}),
            ),
            {"table.csv": TABLE},
            expected,
        )
        for name, package, mv, expected in [
            ("v1-objects-rejected", DP1, [{"value": "-99", "label": "REFUSED"}], [(None, "schema-error")]),
            ("v1-strings-valid", DP1, ["", "NA"], []),
            ("v2-objects-valid", V2, [{"value": "-99", "label": "REFUSED"}], []),
            (
                "custom-objects-valid",
                "https://example.com/profiles/custom-datapackage.json",
                [{"value": "-99", "label": "REFUSED"}],
                [],
            ),
            ("no-schema-objects-rejected", None, [{"value": "-99", "label": "REFUSED"}], [(None, "schema-error")]),
        ]
    ],
    *[
        (
            f"schema_validate_exclusive_bounds_version_gate[{name}]",
            pkg(
                res("n.csv", schema={"fields": [{"name": "n", "type": "integer", "constraints": cons}]}),
                **({"$schema": package} if package else {}),
            ),
            {"n.csv": "n\n5\n"},
            expected,
        )
        for name, package, cons, expected in [
            ("v1-rejected", DP1, {"exclusiveMinimum": 1, "exclusiveMaximum": 10}, [(None, "schema-error")]),
            ("v1-absent-valid", DP1, {}, []),
            ("v2-valid", V2, {"exclusiveMinimum": 1, "exclusiveMaximum": 10}, []),
            (
                "custom-profile-valid",
                "https://example.com/profiles/custom-datapackage.json",
                {"exclusiveMinimum": 1, "exclusiveMaximum": 10},
                [],
            ),
            ("no-schema-rejected", None, {"exclusiveMinimum": 1, "exclusiveMaximum": 10}, [(None, "schema-error")]),
        ]
    ],
    *[
        (
            f"schema_validate_missing_values_version_gate_field_inherits_schema[{name}]",
            pkg(
                res(
                    "table.csv",
                    schema={
                        "fields": [
                            {"name": "id", "type": "string", "missingValues": [{"value": "-99", "label": "REFUSED"}]},
                            {"name": "name", "type": "string"},
                        ]
                    },
                ),
                **({"$schema": package} if package else {}),
            ),
            {"table.csv": TABLE},
            expected,
        )
        for name, package, expected in [
            ("v1-schema-rejects-field-objects", DP1, [(None, "schema-error")]),
            ("v2-schema-accepts-field-objects", V2, []),
            ("no-schema-rejects-field-objects", None, [(None, "schema-error")]),
        ]
    ],
    (
        "schema_validate_fields_match_unknown_value",
        pkg(res("table.csv", schema={"fields": _string_fields("id", "name"), "fieldsMatch": "bogus"})),
        {"table.csv": TABLE},
        [(None, "schema-error")],
    ),
    (
        "schema_validate_inline_set_default_field_type_if_missing",
        pkg(res("table.csv", schema={"fields": [{"name": "id", "type": "integer"}, {"name": "name"}]})),
        {"table.csv": TABLE},
        [],
    ),
    # validator/__spec__/test_validator.py and actions/__spec__/test_validate.py
    *[
        (
            f"validator_returns_report[{kind}-{valid}]",
            pkg(
                res(
                    data=[["id"], [1 if valid else "invalid"]],
                    name="records",
                    schema={"fields": [{"name": "id", "type": "integer"}]},
                )
            ),
            {},
            [] if valid else [(2, "type-error")],
        )
        for kind in ("resource", "package")
        for valid in (True, False)
    ],
    ("validate_invalid_resource", pkg(res("table.csv", schema="bad")), {"table.csv": TABLE}, [(None, "schema-error")]),
    (
        "validate_package_descriptor_type_package_invalid",
        pkg(
            res("data.csv", name="data", schema=INVALID_PKG_SCHEMA),
            res(
                "data2.csv",
                name="data2",
                schema={
                    "fields": _string_fields("parent", "comment"),
                    "foreignKeys": [{"fields": "parent", "reference": {"resource": "data", "fields": "id"}}],
                },
            ),
            name="testing",
        ),
        {
            "data.csv": "id,name,description,amount\nA3001,Taxes,Taxes we collect,10000.5\n\n"
            "A5032,Parking Fees,Parking fees we collect,2000.5\n",
            "data2.csv": "parent,comment\nA3001,comment1\nA3001,comment2\n\nA5032,comment3\n",
        },
        [(3, "blank-row"), (3, "primary-key"), (4, "blank-row")],
    ),
    # console/commands/__spec__/test_validate.py: the verdicts, as packages
    ("console_validate_header_rows", pkg(res("table.csv", dialect={"headerRows": [1, 2]})), {"table.csv": TABLE}, []),
    (
        "console_validate_header_join",
        pkg(res("table.csv", dialect={"headerRows": [1, 2], "headerJoin": ":"})),
        {"table.csv": TABLE},
        [],
    ),
    ("console_validate_comment_rows", pkg(res("table.csv", dialect={"commentRows": [1]})), {"table.csv": TABLE}, []),
    (
        "console_validate_chucksum_hash",
        pkg(res("table.csv", hash="sha256:a1fd6c5ff3494f697874deeb07f69f8667e903dd94a7bc062dd57550cea26da8")),
        {"table.csv": TABLE},
        [],
    ),
    ("console_validate_chucksum_bytes", pkg(res("table.csv", bytes=30)), {"table.csv": TABLE}, []),
    ("console_validate_error_not_found", pkg(res("bad.csv")), {}, [(None, "scheme-error")]),
    (
        "console_validate_multipart_resource_1140",
        pkg(
            res(
                ["chunk1.csv", "chunk2.csv"],
                name="measurements",
                schema="resource-schema.json",
                profile="tabular-data-resource",
            ),
            profile="tabular-data-package",
        ),
        {
            "chunk1.csv": "id,name\n1,english\n",
            "chunk2.csv": "id,name\n2,中国人\n",
            "resource-schema.json": '{"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}',
        },
        [],
    ),
    (
        "console_validate_multipart_zipped_resource_1140",
        pkg(
            res(
                ["chunk1.csv.zip", "chunk2.csv.zip"],
                name="measurements",
                schema="resource-schema.json",
                profile="tabular-data-resource",
            ),
            profile="tabular-data-package",
        ),
        {
            "chunk1.csv.zip": _zip("chunk1.csv", "id,name\n1,english\n"),
            "chunk2.csv.zip": _zip("chunk2.csv", "id,name\n2,中国人\n"),
            "resource-schema.json": '{"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}',
        },
        [],
    ),
    (
        "console_validate_dialect_overrided_issue_1478",
        pkg(
            {
                "path": "table.csv",
                "name": "badegewasser-saisondauer",
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": "|", "header": False},
                "schema": {
                    "fields": [
                        {"type": "string", "name": "BADEGEWAESSERID"},
                        {"type": "date", "format": "%d.%m.%Y", "name": "SAISONBEGINN"},
                        {"type": "date", "format": "%d.%m.%Y", "name": "SAISONENDE"},
                        {
                            "type": "string",
                            "name": "GESCHLOSSEN",
                            "constraints": {
                                "enum": ["nicht geschlossen", "ganze Saison geschlossen", "zeitweise geschlossen"]
                            },
                        },
                    ]
                },
            }
        ),
        {
            "table.csv": "DESH_PR_0058|01.06.2015|15.09.2015|ganze Saison geschlossen\n"
            "DESH_PR_0273|01.06.2013|15.09.2013|nicht geschlossen\n"
        },
        [],
    ),
    # package/__spec__/test_validate.py
    ("package_validate", pkg(res("table.csv")), {"table.csv": TABLE}, []),
    (
        "package_validate_with_non_tabular",
        pkg(res("table.csv", name="table"), res("README.md", name="readme")),
        {"table.csv": TABLE, "README.md": "# readme\n"},
        [],
    ),
    (
        "package_validate_invalid_table",
        pkg(res("invalid.csv")),
        {"invalid.csv": INVALID},
        [
            (None, "blank-label"),
            (None, "duplicate-label"),
            (2, "missing-cell"),
            (3, "missing-cell"),
            (4, "blank-row"),
            (5, "extra-cell"),
        ],
    ),
    (
        "package_validate_dialect_header_false",
        pkg(
            res(
                data=[["a", "1", "aa"], ["b", "2", "bb"], ["c", "3", "cc"]],
                dialect={"header": False},
                schema={
                    "fields": [
                        {"name": "name", "type": "string"},
                        {"name": "id", "type": "integer"},
                        {"name": "description", "type": "string"},
                    ]
                },
            )
        ),
        {},
        [],
    ),
    (
        "package_validate_composite_primary_key_unique_issue_215",
        pkg(
            res(
                data=[["id1", "id2"], ["a", "1"], ["a", "2"]],
                schema={"fields": _string_fields("id1", "id2"), "primaryKey": ["id1", "id2"]},
            )
        ),
        {},
        [],
    ),
    (
        "package_validate_composite_primary_key_not_unique_issue_215",
        pkg(
            res(
                data=[["id1", "id2"], ["a", "1"], ["a", "1"]],
                schema={"fields": _string_fields("id1", "id2"), "primaryKey": ["id1", "id2"]},
            )
        ),
        {},
        [(3, "primary-key")],
    ),
    ("package_validate_schema_foreign_key_error", pkg(*FK), {}, []),
    ("package_validate_schema_foreign_key_not_defined", pkg(*fk(lambda d: d[0]["schema"].pop("foreignKeys"))), {}, []),
    (
        "package_validate_schema_foreign_key_self_referenced_resource_violation",
        pkg(*fk(lambda d: d[0]["data"].pop(4))),
        {},
        [(4, "foreign-key")],
    ),
    (
        "package_validate_schema_foreign_key_internal_resource_violation",
        pkg(*fk(lambda d: d[1]["data"].pop(4))),
        {},
        [(5, "foreign-key")],
    ),
    (
        "package_validate_schema_foreign_key_internal_resource_violation_non_existent",
        pkg(*fk(lambda d: d[1].update(data=[["label", "population"], [10, 10]]))),
        {},
        [(2, "foreign-key"), (3, "foreign-key"), (4, "foreign-key"), (5, "foreign-key")],
    ),
    ("package_validate_schema_multiple_foreign_key", pkg(*fk(lambda d: d.append(MULTI_FK))), {}, []),
    (
        "package_validate_schema_multiple_foreign_key_resource_violation_non_existent",
        pkg(*fk(lambda d: (d[0]["data"].pop(1), d.append(MULTI_FK)))),
        {},
        [(2, "foreign-key")],
    ),
    (
        "package_validate_with_diacritic_symbol_issue_905",
        pkg(res("d.csv", schema={"fields": [{"name": "Národnost", "type": "string"}]})),
        {"d.csv": "Národnost\nčeská\n"},
        [],
    ),
    (
        "package_validate_metadata_errors_with_missing_values_993",
        pkg(res("table.csv", schema={"fields": _string_fields("id", "name"), "missingValues": "NA"})),
        {"table.csv": TABLE},
        [(None, "schema-error")],
    ),
    (
        "package_validate_metadata_errors_with_fields_993",
        pkg(res("table.csv", schema={"fields": "id"})),
        {"table.csv": TABLE},
        [(None, "schema-error")],
    ),
    ("package_validate_stats_size", pkg(res("table.csv", bytes=30)), {"table.csv": TABLE}, []),
    (
        "package_validate_stats_size_invalid",
        pkg(res("table.csv", bytes=40)),
        {"table.csv": TABLE},
        [(None, "byte-count")],
    ),
    (
        "package_validate_stats_hash",
        pkg(res("table.csv", hash="sha256:a1fd6c5ff3494f697874deeb07f69f8667e903dd94a7bc062dd57550cea26da8")),
        {"table.csv": TABLE},
        [],
    ),
    (
        "package_validate_check_file_package_stats_hash_invalid",
        pkg(res("table.csv", hash="sha256:bad")),
        {"table.csv": TABLE},
        [(None, "hash-count")],
    ),
    *[
        (
            f"package_validate_missing_values_version_gate_inheritance[{name}]",
            pkg(
                res("table.csv", schema=_object_missing_values(own, where)), **({"$schema": package} if package else {})
            ),
            {"table.csv": TABLE},
            expected,
        )
        for name, package, own, where, expected in [
            ("schema-inherits-package-v1", DP1, None, "schema", [(None, "schema-error")]),
            ("schema-inherits-package-v2", V2, None, "schema", []),
            ("field-inherits-package-v1", DP1, None, "field", [(None, "schema-error")]),
            ("field-inherits-package-v2", V2, None, "field", []),
            ("schema-cannot-escape-package-v1", DP1, TS2, "schema", [(None, "schema-error")]),
            ("field-cannot-escape-package-v1", DP1, TS2, "field", [(None, "schema-error")]),
            ("schema-cannot-escape-absent-package-version", None, TS2, "schema", [(None, "schema-error")]),
        ]
    ],
    *[
        (
            f"package_validate_resource_name_version_gate[{name}]",
            pkg(
                {"name": "MEDGULL_ANTWERPEN-gps-2025.csv.gz", "path": "table.csv", **({"$schema": own} if own else {})},
                **({"$schema": package} if package else {}),
            ),
            {"table.csv": TABLE},
            expected,
        )
        for name, package, own, expected in [
            ("absent-package-is-v1", None, None, [(None, "package-error")]),
            ("resource-cannot-escape-absent-v1", None, DR2, [(None, "package-error")]),
            ("package-v2", V2, None, []),
            ("package-v2-resource-v2", V2, DR2, []),
            ("package-v2-resource-v1", V2, DR1, []),
            ("package-v1-resource-v2", DP1, DR2, [(None, "package-error")]),
        ]
    ],
    *[
        (
            f"package_validate_package_name_version_gate[{name}]",
            pkg(res("table.csv", name="table"), name="My Package", **({"$schema": package} if package else {})),
            {"table.csv": TABLE},
            expected,
        )
        for name, package, expected in [
            ("absent-is-v1", None, [(None, "package-error")]),
            ("package-v1", DP1, [(None, "package-error")]),
            ("package-v2", V2, []),
        ]
    ],
    (
        "package_validate_v2_inherited_by_detached_resource",
        pkg(
            res(
                data=[["name", "note"], ["a", "-99"], ["b", "ok"]],
                name="table",
                schema={
                    "fields": _string_fields("name", "note"),
                    "missingValues": [{"value": "-99", "label": "REFUSED"}],
                },
            ),
            **{"$schema": V2},
        ),
        {},
        [],
    ),
]

#: Cases natodata answers otherwise on purpose (docs/validate.md lists each with the spec's words).
DISAGREE = {
    # One cause, one finding: a blank row is a structural error, not a row of data with a
    # blank key, and a key field's repeat is the key's finding, not the unique constraint's.
    # And a primary key field is required (the spec: "equivalent to adding required: true"),
    # so row 4's blank id is a required-constraint error frictionless does not report.
    "resource_validate_schema_primary_key_error_composite": [
        (4, "constraint-error"),
        (5, "primary-key"),
        (6, "blank-row"),
    ],
    "resource_validate_schema_primary_key_and_unique_error": [(10, "primary-key")],
    "validate_package_descriptor_type_package_invalid": [(3, "blank-row"), (4, "blank-row")],
    # A custom profile is never fetched (issue 20): natodata refuses it rather than check
    # the package against a profile it has not read.
    "schema_validate_missing_values_version_gate[custom-objects-valid]": [(None, "unsupported-feature")],
    "schema_validate_exclusive_bounds_version_gate[custom-profile-valid]": [(None, "unsupported-feature")],
}

#: natodata's finding type -> frictionless's error type.
TYPE = {
    "blank-label": "blank-label",
    "duplicate-label": "duplicate-label",
    "missing-label": "missing-label",
    "extra-label": "extra-label",
    "header-order": "incorrect-label",
    "blank-row": "blank-row",
    "missing-cell": "missing-cell",
    "extra-cell": "extra-cell",
    "type-error": "type-error",
    "required-constraint": "constraint-error",
    "enum-constraint": "constraint-error",
    "pattern-constraint": "constraint-error",
    "minimum-constraint": "constraint-error",
    "maximum-constraint": "constraint-error",
    "exclusive-minimum-constraint": "constraint-error",
    "exclusive-maximum-constraint": "constraint-error",
    "min-length-constraint": "constraint-error",
    "max-length-constraint": "constraint-error",
    "json-schema-constraint": "constraint-error",
    "unique-constraint": "unique-error",
    "unique-key": "unique-error",
    "primary-key": "primary-key",
    "foreign-key": "foreign-key",
    "schema-error": "schema-error",
    "schema-path-error": "schema-error",
    "descriptor-error": "package-error",
    "empty-file": "source-error",
    "csv-error": "source-error",
    "file-unreadable": "source-error",
    "encoding-error": "encoding-error",
    "resource-path-error": "scheme-error",
    "unsupported-feature": "unsupported-feature",
    "file-too-large": "source-error",
}
#: Errors about a whole file: frictionless gives them no row.
FILE_TYPES = {"encoding-error", "source-error", "scheme-error", "compression-error"}
LABEL_TYPES = {"blank-label", "duplicate-label", "missing-label", "extra-label", "incorrect-label"}


def translate(finding) -> tuple:
    """A natodata finding as ``(row, frictionless type)``; label errors have no row."""
    if finding.type == "resource-hash-mismatch":
        return None, "byte-count" if finding.field == "bytes" else "hash-count"
    t = TYPE.get(finding.type, finding.type)
    if t == "unsupported-feature" and "compression" in finding.message:
        t = "compression-error"
    return (None if t in LABEL_TYPES | FILE_TYPES else finding.line), t
