"""The canonical form of a CSV file: schema column order, rows sorted by primary key,
LF line endings, minimal quoting, UTF-8 without BOM."""

from __future__ import annotations

import csv
import io

import pandas as pd

from .tableschema import TableSchema


def canonical_text(raw: pd.DataFrame, typed: pd.DataFrame, schema: TableSchema) -> str:
    """Render ``raw`` (strings, indexed by line) canonically; ``typed`` gives the sort order."""
    fields = schema.field_names
    pk = [f for f in schema.primary_key if f in typed.columns]
    order = typed.sort_values(pk, kind="stable", na_position="first").index if pk and len(typed) else raw.index
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(fields)
    w.writerows(raw.loc[order, fields].itertuples(index=False, name=None))
    return buf.getvalue()


def first_difference(a: str, b: str) -> int:
    """1-based line of the first difference between two texts."""
    for i, (x, y) in enumerate(zip(a.split("\n"), b.split("\n")), start=1):
        if x != y:
            return i
    return min(a.count("\n"), b.count("\n")) + 1
