"""Canonical form: validate reports it, fmt restores it."""

import pytest

from natodata.errors import NatodataError
from natodata.tools.fmt import format_package
from natodata.checks.validate import validate

from tests.helpers import added


def swap_first_rows(pkg, table):
    rows = pkg.rows(table)
    rows[1], rows[2] = rows[2], rows[1]
    pkg.write_rows(table, rows)


def test_unsorted_rows_are_not_canonical_and_fmt_restores_them(pkg):
    original = pkg.csv("actor_aliases").read_bytes()
    swap_first_rows(pkg, "actor_aliases")
    report = validate(pkg.root)
    assert added(report, keep_canonical=True) == [("not-canonical", "actor_aliases", 2, None)]
    assert report.valid  # a warning
    assert format_package(pkg.root, check=True) == ["data/actor_aliases.csv"]
    assert format_package(pkg.root) == ["data/actor_aliases.csv"]
    assert pkg.csv("actor_aliases").read_bytes() == original
    assert format_package(pkg.root) == []


def test_fmt_repairs_column_order_crlf_and_needless_quotes(pkg):
    original = pkg.csv("actors").read_bytes()
    rows = pkg.rows("actors")
    order = [1, 0, *range(2, len(rows[0]))]
    text = "\r\n".join(",".join(f'"{r[i]}"' for i in order) for r in rows) + "\r\n"
    pkg.csv("actors").write_bytes(text.encode())
    assert format_package(pkg.root) == ["data/actors.csv"]
    assert pkg.csv("actors").read_bytes() == original


def test_fmt_refuses_ragged_files_and_writes_nothing(pkg):
    rows = pkg.rows("actors")
    rows[1] = rows[1] + ["extra"]
    pkg.write_rows("actors", rows)
    before = pkg.csv("actors").read_bytes()
    with pytest.raises(NatodataError, match=r"data/actors.csv:2: extra-cell"):
        format_package(pkg.root)
    assert pkg.csv("actors").read_bytes() == before
