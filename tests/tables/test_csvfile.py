"""Structure of each CSV: encoding, line endings, header, blank and ragged rows."""

import pytest

from natodata.checks.validate import validate

from tests.helpers import added, found


def test_bom(pkg):
    p = pkg.csv("actors")
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
    assert found(validate(pkg.root), "encoding-bom") == [("encoding-bom", "actors", 1, None)]


def test_invalid_utf8_names_the_line(pkg):
    p = pkg.csv("actors")
    lines = p.read_bytes().split(b"\n")
    lines[2] = lines[2] + b"\xff"
    p.write_bytes(b"\n".join(lines))
    report = validate(pkg.root)
    assert found(report, "encoding-error") == [("encoding-error", "actors", 3, None)]
    assert "byte 0xff at line 3" in report.errors[0].message or any("byte 0xff at line 3" in f.message for f in report.errors)


def test_crlf(pkg):
    p = pkg.csv("actors")
    p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n"))
    assert found(validate(pkg.root), "line-ending") == [("line-ending", "actors", 1, None)]


def test_blank_row(pkg):
    p = pkg.csv("actors")
    n = len(pkg.rows("actors"))
    p.write_text(p.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert found(validate(pkg.root), "blank-row") == [("blank-row", "actors", n + 1, None)]


def test_extra_and_missing_cells(pkg):
    rows = pkg.rows("actors")
    rows[1] = rows[1] + ["surplus"]
    rows[2] = rows[2][:-1]
    pkg.write_rows("actors", rows)
    report = validate(pkg.root)
    assert found(report, "extra-cell") == [("extra-cell", "actors", 2, None)]
    assert found(report, "missing-cell") == [("missing-cell", "actors", 3, None)]


def test_header_missing_extra_duplicate_and_order(pkg):
    rows = pkg.rows("actors")
    header = rows[0]
    pkg.write_rows("actors", [[h if h != "description" else "notes" for h in header]] + rows[1:])
    report = validate(pkg.root)
    assert found(report, "missing-label") == [("missing-label", "actors", 1, "description")]
    assert found(report, "extra-label") == [("extra-label", "actors", 1, "notes")]

    pkg.write_rows("actors", [[header[1], header[0], *header[2:]]] + rows[1:])
    assert found(validate(pkg.root), "header-order") == [("header-order", "actors", 1, None)]

    pkg.write_rows("actors", [[*header[:-1], "name"]] + rows[1:])
    assert found(validate(pkg.root), "duplicate-label") == [("duplicate-label", "actors", 1, "name")]


def test_empty_file(pkg):
    pkg.csv("figures").write_bytes(b"")
    assert found(validate(pkg.root), "empty-file") == [("empty-file", "figures", None, None)]


def test_huge_cell(pkg):
    pkg.set("actors", 2, "description", "x" * 200_000)
    assert found(validate(pkg.root), "cell-too-large") == [("cell-too-large", "actors", 2, None)]


def test_malformed_quoting(pkg):
    p = pkg.csv("actors")
    lines = p.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1] + ',"unterminated "x"'
    p.write_text("\n".join(lines), encoding="utf-8")
    assert [t[:3] for t in found(validate(pkg.root), "csv-error")] == [("csv-error", "actors", 2)]


def test_line_numbers_count_physical_lines(pkg):
    """A quoted cell spanning two lines shifts later rows' line numbers, as in the file."""
    rows = pkg.rows("actors")
    rows[1][rows[0].index("description")] = "two\nlines"
    rows.append(list(rows[1]))  # duplicate id on the last row
    pkg.write_rows("actors", rows)
    last_line = len(rows) + 1  # one extra physical line from the embedded newline
    assert ("primary-key", "actors", last_line, "id") in found(validate(pkg.root))


#: What a table that could not be read stopped: the references of four tables into it.
ACTORS_STOPPED = "; so table 'actors' could not be read, which stopped 5 checks that depend on it (foreign-key): fix this first"


@pytest.mark.parametrize("name, edit, expected", [
    ("latin-1", lambda b: b.replace(b"Stoltenberg", b"Stolt\xe9nberg", 1),
     ("encoding-error", "file is not valid UTF-8: byte 0xe9 at line 18 cannot be decoded" + ACTORS_STOPPED)),
    ("cesu-8 surrogate", lambda b: b.replace(b"Stoltenberg", b"Stolt\xed\xa0\x80nberg", 1),
     ("encoding-error", "file is not valid UTF-8: byte 0xed at line 18 cannot be decoded" + ACTORS_STOPPED)),
    ("overlong NUL", lambda b: b.replace(b"Stoltenberg", b"Stolt\xc0\x80nberg", 1),
     ("encoding-error", "file is not valid UTF-8: byte 0xc0 at line 18 cannot be decoded" + ACTORS_STOPPED)),
    ("CR only", lambda b: b.replace(b"\n", b"\r"), ("line-ending", "file has CR or CRLF line endings; use LF only")),
    ("NUL byte", lambda b: b.replace(b"Stoltenberg", b"Stolt\x00nberg", 1), ("csv-error", "file contains a NUL character" + ACTORS_STOPPED)),
])
def test_broken_bytes_are_named_with_exit_1(pkg, name, edit, expected):
    from typer.testing import CliRunner

    from natodata.cli import app

    f = pkg.csv("actors")
    f.write_bytes(edit(f.read_bytes()))
    result = CliRunner().invoke(app, ["validate", str(pkg.root), "--format", "json"])
    assert result.exit_code == 1
    import json

    found = [(d["type"], d["message"]) for d in json.loads(result.stdout)["findings"] if d["path"] == "data/actors.csv"]
    assert found == [expected]


def test_a_declared_dialect_and_encoding_are_honoured(pkg):
    import json

    import csv
    import io

    rows = pkg.rows("actors")
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
    pkg.csv("actors").write_text(buf.getvalue(), encoding="utf-8")
    d = json.loads((pkg.root / "datapackage.json").read_text())
    res = next(r for r in d["resources"] if r["name"] == "actors")
    res["dialect"] = {"delimiter": ";"}
    (pkg.root / "datapackage.json").write_text(json.dumps(d))
    assert added(validate(pkg.root)) == []
    # No header row: the fields map by order.
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows[1:])
    pkg.csv("actors").write_text(buf.getvalue(), encoding="utf-8")
    res["dialect"] = {"delimiter": ";", "header": False}
    (pkg.root / "datapackage.json").write_text(json.dumps(d))
    assert added(validate(pkg.root)) == []
    res["dialect"] = {"lineTerminator": ";"}
    (pkg.root / "datapackage.json").write_text(json.dumps(d))
    f = next(f for f in validate(pkg.root).findings if f.type == "unsupported-feature")
    assert (f.pointer, f.message) == ("/resources/1/dialect/lineTerminator",
                                      "lineTerminator ';' is not supported (records end with \\n, \\r\\n or \\r)"
                                      + ACTORS_STOPPED)


def test_a_file_that_contradicts_its_declared_encoding_is_an_encoding_error(pkg):
    import json

    d = json.loads((pkg.root / "datapackage.json").read_text())
    next(r for r in d["resources"] if r["name"] == "quotes")["encoding"] = "ascii"
    (pkg.root / "datapackage.json").write_text(json.dumps(d))
    f = next(f for f in validate(pkg.root).findings if f.type == "encoding-error")
    assert f.message.startswith("file is not valid ascii, its declared encoding: byte 0x")
