"""Table Schema constraints (types, required, unique, vocabularies, patterns, ranges)
and the generic column checks, each with a failing fixture and its exact finding."""

import json

import pytest

from natodata.checks.validate import validate

from tests.helpers import added


@pytest.mark.slow  # one whole-package validation per case
@pytest.mark.parametrize(
    "table,field,value,type_",
    [
        ("actors", "name", "", "required-constraint"),
        ("actors", "kind", "wizard", "enum-constraint"),
        ("sources", "sha256", "xyz", "pattern-constraint"),
        ("sources", "id", "Not A Slug", "pattern-constraint"),
        ("quotes", "start", "-1", "minimum-constraint"),
        ("actors", "name", " Jens Stoltenberg", "surrounding-whitespace"),
        ("actors", "description", "Ends with a non-breaking space\xa0", "surrounding-whitespace"),
        ("actors", "description", '=HYPERLINK("http://x")', "formula-injection"),
        ("actors", "description", "@SUM(A1)", "formula-injection"),
        ("actors", "description", "zero\u200bwidth", "control-character"),
        ("actors", "name", "Jens\ufeffStoltenberg", "control-character"),
        ("actors", "description", "two\nlines", "control-character"),
    ],
)
def test_cell_constraint(pkg, table, field, value, type_):
    pkg.set(table, 2, field, value)
    new = added(validate(pkg.root))
    assert (type_, table, 2, field) in new
    assert [f for f in new if f[0] == type_] == [(type_, table, 2, field)]


def one_table(root, fields: list[dict], rows: list[str], name: str = "t", **schema):
    """A package of one table (``name``.csv, its schema inline) with ``rows`` under a header
    of the fields' names."""
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{name}.csv").write_text("\n".join([",".join(f["name"] for f in fields), *rows]) + "\n", encoding="utf-8")
    (root / "datapackage.json").write_text(
        json.dumps({"resources": [{"name": name, "path": f"{name}.csv", "schema": {"fields": fields, **schema}}]}),
        encoding="utf-8",
    )
    return root


def findings(root) -> list[tuple]:
    return [(f.type, f.table, f.line, f.field, f.message) for f in validate(root).findings]


def test_numbers_are_not_formulas(tmp_path):
    root = one_table(
        tmp_path,
        [{"name": "id", "type": "string"}, {"name": "value_low", "type": "number"}],
        ["f-negative,-5", "f-positive,5"],
        "figures",
        **{"x-cellChecks": ["formula-injection"]},
    )
    assert findings(root) == []
    # nor in a string field, where the check is on: a formula is flagged
    root = one_table(
        tmp_path / "text",
        [{"name": "id", "type": "string"}, {"name": "value_low", "type": "string"}],
        ["f-negative,-5", "f-formula,=1+1"],
        "figures",
        **{"x-cellChecks": ["formula-injection"]},
    )
    assert [f[:4] for f in findings(root)] == [("formula-injection", "figures", 3, "value_low")]


def test_unique_constraint_reports_the_repeat_only(tmp_path):
    root = one_table(
        tmp_path,
        [{"name": "id", "type": "string"}, {"name": "corpus_file", "type": "string", "constraints": {"unique": True}}],
        ["a,one.txt", "b,one.txt", "c,two.txt"],
        "sources",
    )
    assert [f[:4] for f in findings(root)] == [("unique-constraint", "sources", 3, "corpus_file")]


def test_type_error_is_not_also_a_required_error(tmp_path):
    """A cell that fails its type is NA after casting (tests/tables/test_casting.py); the
    required constraint does not report it again."""
    (tmp_path / "datapackage.json").write_text(
        json.dumps(
            {
                "resources": [
                    {
                        "name": "quotes",
                        "path": "quotes.csv",
                        "schema": {
                            "fields": [
                                {"name": "id", "type": "string"},
                                {"name": "end", "type": "integer", "constraints": {"required": True}},
                            ]
                        },
                    }
                ]
            }
        )
    )
    (tmp_path / "quotes.csv").write_text("id,end\na,ten\nb,\nc,3\n")
    assert [(f.type, f.table, f.line, f.field) for f in validate(tmp_path).findings] == [
        ("type-error", "quotes", 2, "end"),
        ("required-constraint", "quotes", 3, "end"),
    ]


def test_invalid_partial_date(tmp_path):
    root = one_table(
        tmp_path,
        [{"name": "actor_id", "type": "string"}, {"name": "as_of", "type": "string", "x-partialDate": True}],
        ["nato,2020-12", "nato,2020-13"],
        "actor_titles",
    )
    assert [f[:4] for f in findings(root)] == [("invalid-date", "actor_titles", 3, "as_of")]


def test_unknown_iso_code(tmp_path):
    root = one_table(
        tmp_path,
        [{"name": "id", "type": "string"}, {"name": "iso3", "type": "string", "x-codeList": "iso3166-1-alpha-3"}],
        ["iraq,IRQ", "atlantis,ATL"],
        "actors",
    )
    assert [f[:4] for f in findings(root)] == [("iso3-unknown", "actors", 3, "iso3")]


def test_a_check_that_raises_is_a_check_error_not_a_pass(tmp_path):
    """Uniqueness over JSON objects: pandas cannot hash them, so the check raises. The
    run says so and fails; it does not pass the table."""
    import json

    from typer.testing import CliRunner

    from natodata.cli import app

    (tmp_path / "datapackage.json").write_text(
        json.dumps(
            {
                "name": "objects",
                "resources": [
                    {
                        "name": "t",
                        "path": "t.csv",
                        "schema": {
                            "primaryKey": ["id"],
                            "fields": [
                                {"name": "id", "type": "integer"},
                                {"name": "meta", "type": "object", "constraints": {"unique": True}},
                            ],
                        },
                    }
                ],
            }
        )
    )
    (tmp_path / "t.csv").write_text('id,meta\n1,"{""a"": 1}"\n2,"{""a"": 1}"\n')
    result = CliRunner().invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout == (
        "t.csv: error check-error: the checks of table 't' raised TypeError: unhashable type: "
        "'dict' instead of returning a verdict; its values are unchecked\n"
        "invalid: 1 error, 0 warnings\n"
    )


@pytest.mark.slow  # one whole-package validation per case
@pytest.mark.parametrize(
    "char, name",
    [
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
        ("\u061c", "ARABIC LETTER MARK"),
        ("\u200f", "RIGHT-TO-LEFT MARK"),
        ("\xad", "SOFT HYPHEN"),
        ("\U000e0041", "TAG LATIN CAPITAL LETTER A"),
    ],
)
def test_bidi_and_invisible_characters_are_named_by_code_point(pkg, char, name):
    pkg.set("actors", 2, "description", f"Tro{char}jan")
    f = next(f for f in validate(pkg.root).findings if f.type == "control-character")
    assert (f.table, f.line, f.field) == ("actors", 2, "description")
    assert (
        f.message
        == f"{'Tro' + char + 'jan'!r} contains a control, line-break or invisible character: U+{ord(char):04X} ({name}) at character 4"
    )


@pytest.mark.slow  # one whole-package validation per case
@pytest.mark.parametrize("table", ["quotes", "figures", "event_evidence", "furniture", "uncoded"])
def test_a_context_longer_than_20_code_points_is_refused(pkg, table):
    # 21 code points (the NBSP is one), where the schemas allow 20
    pkg.set(table, 2, "prefix", "x" * 19 + "\xa0y")
    pkg.set(table, 2, "suffix", "\u201c" * 20)  # exactly 20: allowed
    assert added(validate(pkg.root)) == [("max-length-constraint", table, 2, "prefix")]
