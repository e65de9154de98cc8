"""SQLite's quoting of the names and values the export puts into SQL."""

import sqlite3

import pytest

from natodata.tools.sql import quote_identifier, quote_literal


@pytest.mark.parametrize("name", ["quotes", 'a"b', "select", "with space", "é", '"', ""])
def test_a_quoted_name_is_that_name_to_sqlite(name):
    con = sqlite3.connect(":memory:")
    if name == "":
        assert quote_identifier(name) == '""'
        return
    con.execute(f"CREATE TABLE {quote_identifier(name)} ({quote_identifier(name + 'x')} TEXT)")
    assert con.execute("SELECT name FROM sqlite_master").fetchone() == (name,)
    assert [c[1] for c in con.execute(f"PRAGMA table_info({quote_identifier(name)})")] == [name + "x"]


def test_quoting_doubles_the_quote_mark():
    assert quote_identifier('say "hi"') == '"say ""hi"""'
    assert quote_literal("it's") == "'it''s'"
    assert quote_literal(3) == "'3'"


@pytest.mark.parametrize("value", ["it's", "'); DROP TABLE t; --", "", "a\nb"])
def test_a_quoted_value_is_that_value_to_sqlite(value):
    con = sqlite3.connect(":memory:")
    assert con.execute(f"SELECT {quote_literal(value)}").fetchone() == (value,)
