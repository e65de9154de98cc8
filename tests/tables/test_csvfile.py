"""Structure of each CSV (natodata.tables.csvfile): encoding, line endings, header, blank
and ragged rows, each read by :func:`read_csv` from a small file written here, with the
exact findings, the rows kept and their line numbers.

A file that cannot be read as a whole gives no frame (``frame is None``): what that stops
downstream (a table that could not be read, and the checks it stopped) is the report's
business, tested on whole packages in tests/test_report_causes.py."""

from __future__ import annotations

import pytest

from natodata.tables.csvfile import read_csv

HEADER = ["id", "name", "kind", "description"]
#: A canonical file (as natodata writes it): LF, UTF-8 without BOM, quotes only where needed.
TEXT = (
    "id,name,kind,description\n"
    "nato,NATO,organisation,The alliance.\n"
    'jens,Jens Stoltenberg,person,"Its Secretary General, from 2014."\n'
    "iraq,Iraq,state,A country.\n"
)
LINES = [2, 3, 4]
VALUES = {
    "id": ["nato", "jens", "iraq"],
    "name": ["NATO", "Jens Stoltenberg", "Iraq"],
    "kind": ["organisation", "person", "state"],
    "description": ["The alliance.", "Its Secretary General, from 2014.", "A country."],
}


def read(tmp_path, data: bytes | str, expected=HEADER, **options):
    """read_csv of ``data`` as table 'actors' at data/actors.csv, under x-canonicalFiles
    (as the shipped package asks) unless ``canonical=False``."""
    f = tmp_path / "actors.csv"
    f.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return read_csv(f, "actors", "data/actors.csv", expected, **options)


def findings(table) -> list[tuple]:
    """(type, table, path, line, field, value, message) of each finding, in order."""
    return [(f.type, f.table, f.path, f.line, f.field, f.value, f.message) for f in table.findings]


def rows(table) -> tuple[list[int], dict[str, list[str]]]:
    """The frame's line numbers and its columns' values."""
    return table.frame.index.tolist(), table.frame.to_dict("list")


def test_a_canonical_file_is_read_as_its_canonical_rendering_with_the_line_of_each_row(tmp_path):
    t = read(tmp_path, TEXT)
    assert (findings(t), rows(t), t.header, t.canonical_rendering, t.first_diff) == (
        [],
        (LINES, VALUES),
        HEADER,
        True,
        None,
    )
    assert t.frame.index.name == "line" and all(str(t.frame[c].dtype) == "str" for c in HEADER)


def test_bom(tmp_path):
    t = read(tmp_path, b"\xef\xbb\xbf" + TEXT.encode())
    assert findings(t) == [
        (
            "encoding-bom",
            "actors",
            "data/actors.csv",
            1,
            None,
            None,
            "file starts with a UTF-8 byte order mark (BOM); save it as UTF-8 without BOM",
        )
    ]
    assert rows(t) == (LINES, VALUES)
    # Without x-canonicalFiles the BOM is dropped, as the spec's CSV dialect allows.
    t = read(tmp_path, b"\xef\xbb\xbf" + TEXT.encode(), canonical=False)
    assert (findings(t), rows(t)) == ([], (LINES, VALUES))


def test_invalid_utf8_names_the_line(tmp_path):
    lines = TEXT.encode().split(b"\n")
    lines[2] = lines[2] + b"\xff"
    t = read(tmp_path, b"\n".join(lines))
    assert findings(t) == [
        (
            "encoding-error",
            "actors",
            "data/actors.csv",
            3,
            None,
            None,
            "file is not valid UTF-8: byte 0xff at line 3 cannot be decoded",
        )
    ]
    assert t.frame is None  # the file could not be read as a whole: none of its rows is used


@pytest.mark.parametrize(
    "name, edit, byte",
    [
        ("latin-1", lambda b: b.replace(b"Stoltenberg", b"Stolt\xe9nberg", 1), "0xe9"),
        ("cesu-8 surrogate", lambda b: b.replace(b"Stoltenberg", b"Stolt\xed\xa0\x80nberg", 1), "0xed"),
        ("overlong NUL", lambda b: b.replace(b"Stoltenberg", b"Stolt\xc0\x80nberg", 1), "0xc0"),
    ],
)
def test_bytes_that_are_not_utf8_are_named_with_their_line(tmp_path, name, edit, byte):
    t = read(tmp_path, edit(TEXT.encode()))
    assert findings(t) == [
        (
            "encoding-error",
            "actors",
            "data/actors.csv",
            3,
            None,
            None,
            f"file is not valid UTF-8: byte {byte} at line 3 cannot be decoded",
        )
    ]
    assert t.frame is None


def test_a_nul_byte_stops_the_file(tmp_path):
    t = read(tmp_path, TEXT.encode().replace(b"Stoltenberg", b"Stolt\x00nberg", 1))
    assert findings(t) == [("csv-error", "actors", "data/actors.csv", 3, None, None, "file contains a NUL character")]
    assert t.frame is None


@pytest.mark.parametrize("ending", [b"\r\n", b"\r"])
def test_crlf_and_cr(tmp_path, ending):
    t = read(tmp_path, TEXT.encode().replace(b"\n", ending))
    assert findings(t) == [
        ("line-ending", "actors", "data/actors.csv", 1, None, None, "file has CR or CRLF line endings; use LF only")
    ]
    assert rows(t) == (LINES, VALUES)  # a finding about the file: its rows are read
    assert (t.canonical_rendering, t.first_diff) == (False, 1)


def test_blank_row(tmp_path):
    t = read(tmp_path, TEXT + "\n")
    assert findings(t) == [("blank-row", "actors", "data/actors.csv", 5, None, None, "blank row")]
    assert rows(t) == (LINES, VALUES)


def test_extra_and_missing_cells(tmp_path):
    lines = TEXT.split("\n")
    lines[1] += ",surplus"
    lines[2] = "jens,Jens Stoltenberg,person"  # no description
    t = read(tmp_path, "\n".join(lines))
    assert findings(t) == [
        ("extra-cell", "actors", "data/actors.csv", 2, None, None, "row has 5 cells; the header has 4"),
        ("missing-cell", "actors", "data/actors.csv", 3, None, None, "row has 3 cells; the header has 4"),
    ]
    assert rows(t) == ([4], {k: v[2:] for k, v in VALUES.items()})  # a ragged row is not kept


def test_header_missing_extra_duplicate_and_order(tmp_path):
    body = TEXT.split("\n", 1)[1]
    t = read(tmp_path, "id,name,kind,notes\n" + body)
    assert findings(t) == [
        (
            "missing-label",
            "actors",
            "data/actors.csv",
            1,
            "description",
            None,
            "the header lacks the schema field 'description'",
        ),
        (
            "extra-label",
            "actors",
            "data/actors.csv",
            1,
            "notes",
            "notes",
            "the header has 'notes', which is not a field of the schema",
        ),
    ]
    assert rows(t) == (
        LINES,
        {"id": VALUES["id"], "name": VALUES["name"], "kind": VALUES["kind"], "notes": VALUES["description"]},
    )

    t = read(tmp_path, "name,id,kind,description\n" + body)
    assert findings(t) == [
        (
            "header-order",
            "actors",
            "data/actors.csv",
            1,
            None,
            None,
            "header fields are out of order; the schema's order is: id,name,kind,description",
        )
    ]
    assert t.header == ["name", "id", "kind", "description"] and t.frame["name"].tolist() == VALUES["id"]

    t = read(tmp_path, "id,name,kind,name\n" + body)
    assert findings(t) == [
        (
            "duplicate-label",
            "actors",
            "data/actors.csv",
            1,
            "name",
            None,
            "column 'name' appears more than once in the header",
        ),
        (
            "missing-label",
            "actors",
            "data/actors.csv",
            1,
            "description",
            None,
            "the header lacks the schema field 'description'",
        ),
    ]
    assert list(t.frame.columns) == ["id", "name", "kind"] and t.frame["name"].tolist() == VALUES["name"]


def test_empty_file(tmp_path):
    t = read(tmp_path, b"")
    assert findings(t) == [
        ("empty-file", "actors", "data/actors.csv", None, None, None, "file is empty; it needs at least a header line")
    ]
    assert t.frame is None


def test_huge_cell(tmp_path):
    t = read(tmp_path, TEXT.replace("The alliance.", "x" * 200_000))
    assert findings(t) == [
        (
            "cell-too-large",
            "actors",
            "data/actors.csv",
            2,
            None,
            None,
            "a cell is longer than 100000 characters; reading stopped here",
        )
    ]
    assert t.frame is None


def test_malformed_quoting(tmp_path):
    lines = TEXT.split("\n")
    lines[1] = lines[1] + ',"unterminated "x"'
    t = read(tmp_path, "\n".join(lines))
    assert findings(t) == [
        (
            "csv-error",
            "actors",
            "data/actors.csv",
            2,
            None,
            None,
            "malformed CSV: ',' expected after '\"'; reading stopped here",
        )
    ]
    assert t.frame is None


def test_line_numbers_count_physical_lines(tmp_path):
    """A quoted cell spanning two lines shifts later rows' line numbers, as in the file
    (every check reports the frame's index as the line)."""
    t = read(tmp_path, TEXT.replace("The alliance.", '"two\nlines"'))
    assert findings(t) == []
    assert rows(t) == ([2, 4, 5], {**VALUES, "description": ["two\nlines", *VALUES["description"][1:]]})
