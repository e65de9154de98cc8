"""The CSV dialect natodata writes, and csv's options for a dialect."""

import csv
import io
from dataclasses import replace

import pytest

from natodata.model.dialect import CANONICAL, CHARACTER_PROPERTIES, Dialect


def written(dialect, rows):
    buf = io.StringIO()
    csv.writer(buf, **dialect.writer_options()).writerows(rows)
    return buf.getvalue()


def test_the_canonical_dialect_is_comma_double_quotes_minimal_quoting_lf_utf8():
    assert (
        CANONICAL.delimiter,
        CANONICAL.quote_char,
        CANONICAL.double_quote,
        CANONICAL.line_terminator,
        CANONICAL.encoding,
        CANONICAL.header_rows,
    ) == (",", '"', True, "\n", "utf-8", (1,))
    assert CANONICAL.default and CANONICAL.plain_rows
    assert (
        written(CANONICAL, [["a", "b,c", 'say "x"', ""], ["1", "two\nlines", " ", "-"]])
        == 'a,"b,c","say ""x""",\n1,"two\nlines", ,-\n'
    )


def test_writer_options_follow_the_dialect():
    semi = Dialect(delimiter=";", quote_char="'", line_terminator="\r\n")
    assert written(semi, [["a;b", "it's", "c"]]) == "'a;b';'it''s';c\r\n"
    bare = Dialect(delimiter="\t", quote_char=None, escape_char="\\")
    assert written(bare, [["a\tb", "c"]]) == "a\\\tb\tc\n"
    assert bare.writer_options()["quoting"] == csv.QUOTE_NONE


@pytest.mark.parametrize("prop", CHARACTER_PROPERTIES)
def test_the_character_properties_are_dialect_fields(prop):
    other = replace(
        Dialect(header_rows=(1, 2), comment_char="#"), **{p: getattr(CANONICAL, p) for p in CHARACTER_PROPERTIES}
    )
    assert getattr(other, prop) == getattr(CANONICAL, prop)
    assert (other.header_rows, other.comment_char) == ((1, 2), "#")  # where the rows are: kept
