"""The canonical form of a CSV file: schema column order, rows sorted by primary key,
LF line endings, minimal quoting, UTF-8 without BOM."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from ..model.dialect import CANONICAL
from ..model.tableschema import TableSchema
from .fastcsv import RowWriter


def canonical_text(
    raw: pd.DataFrame, typed: pd.DataFrame, schema: TableSchema, dialect=None, line_terminator: str = "\n"
) -> str:
    """Render ``raw`` (strings, indexed by line) canonically; ``typed`` gives the sort order.
    With ``dialect`` (a :class:`~natodata.model.dialect.Dialect`), in its delimiter and
    quoting, ending lines with ``line_terminator``."""
    fields = schema.field_names
    pk = [f for f in schema.primary_key if f in typed.columns]
    order = typed.sort_values(pk, kind="stable", na_position="first").index if pk and len(typed) else raw.index
    rows = raw.loc[order, fields]
    buf = io.StringIO()
    opts = (dialect or CANONICAL).writer_options()
    del opts["lineterminator"]  # line_terminator's
    cr_cells = any(rows[f].astype("str").str.contains("\r", regex=False).any() for f in fields)
    w = RowWriter(buf, line_terminator, cr_cells=cr_cells, **opts)
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
        values = comparable(k)
        a, b = values[:-1], values[1:]
        lt, eq = np.asarray(a < b, dtype=bool), np.asarray(a == b, dtype=bool)
        ok = (lt | eq) if ok is None else (lt | (eq & ok))
    return bool(ok.all())


def first_moved(typed: pd.DataFrame, schema: TableSchema) -> int | None:
    """The line of the first row that sorting by primary key (as :func:`canonical_text`
    does) moves, or None when the rows are in canonical order."""
    if in_canonical_order(typed, schema):
        return None
    pk = [f for f in schema.primary_key if f in typed.columns]
    order = typed.sort_values(pk, kind="stable", na_position="first").index.to_numpy()
    moved = order != typed.index.to_numpy()
    return int(typed.index[moved.argmax()])


def comparable(s: pd.Series):
    """The values of ``s`` in a form ``<`` and ``==`` compare element-wise, in value order:
    a categorical with sorted categories (as the validator keeps repeated strings) by its
    codes, any other categorical by its values."""
    arr = s.array
    if isinstance(arr, pd.Categorical):
        return arr.codes if arr.categories.is_monotonic_increasing else np.asarray(arr, dtype=object)
    return arr
