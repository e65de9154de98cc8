"""Structure of each CSV: encoding, line endings, header, blank and ragged rows."""

from natodata.checks.validate import validate

from conftest import found


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
