"""SQLite's quoting, for the SQL the export writes (natodata.tools.export) and Datasette's
additions to it (natodata.tools.datasette): names and values come from the package, so
every one is quoted, never pasted into a statement as written."""

from __future__ import annotations


def quote_identifier(name: str) -> str:
    """A table, column, index or view name as SQL: in double quotes, each ``"`` doubled."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: object) -> str:
    """A value as an SQL string literal: in single quotes, each ``'`` doubled."""
    return "'" + str(value).replace("'", "''") + "'"
