"""The canonical form of a CSV file: schema column order, rows sorted by primary key,
LF line endings, minimal quoting, UTF-8 without BOM."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

from ..model.tableschema import TableSchema


def canonical_text(raw: pd.DataFrame, typed: pd.DataFrame, schema: TableSchema) -> str:
    """Render ``raw`` (strings, indexed by line) canonically; ``typed`` gives the sort order."""
    fields = schema.field_names
    pk = [f for f in schema.primary_key if f in typed.columns]
    order = typed.sort_values(pk, kind="stable", na_position="first").index if pk and len(typed) else raw.index
    rows = raw.loc[order, fields]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(fields)
    # Columns as object arrays: iterating Arrow-backed columns cell by cell is slow.
    w.writerows(zip(*(rows[f].to_numpy(dtype=object) for f in fields)))
    return buf.getvalue()


def in_canonical_order(typed: pd.DataFrame, schema: TableSchema) -> bool:
    """True when the rows are already in the order :func:`canonical_text` writes them:
    the stable sort by primary key leaves them in place, i.e. the keys never decrease."""
    pk = [f for f in schema.primary_key if f in typed.columns]
    if not pk or len(typed) < 2:
        return True
    keys = [typed[f] for f in pk]
    if any(k.hasnans for k in keys):  # blanks sort first; let the sort itself decide
        return typed.sort_values(pk, kind="stable", na_position="first").index.equals(typed.index)
    ok = None  # row i <= row i + 1, comparing the key fields in turn
    for k in reversed(keys):
        a, b = k.array[:-1], k.array[1:]
        lt, eq = np.asarray(a < b, dtype=bool), np.asarray(a == b, dtype=bool)
        ok = (lt | eq) if ok is None else (lt | (eq & ok))
    return bool(ok.all())


def first_difference(a: str, b: str) -> int:
    """1-based line of the first difference between two texts."""
    for i, (x, y) in enumerate(zip(a.split("\n"), b.split("\n")), start=1):
        if x != y:
            return i
    return min(a.count("\n"), b.count("\n")) + 1
