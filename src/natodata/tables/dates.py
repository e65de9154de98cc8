"""ISO 8601 partial dates (YYYY, YYYY-MM, YYYY-MM-DD) and the periods they name."""

from __future__ import annotations

import pandas as pd

#: The precisions a partial date can have, and how many characters it has at each.
PRECISION_LENGTHS = {"year": 4, "month": 7, "day": 10}
PRECISIONS = list(PRECISION_LENGTHS)


def precision_of(s: pd.Series) -> pd.Series:
    """The precision each partial date is written to (NaN where the length fits none)."""
    return s.str.len().map({n: p for p, n in PRECISION_LENGTHS.items()})


def partial_date_bounds(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First and last day of the period each ISO 8601 partial date names (NaT if invalid)."""
    if len(s) > 1:
        # Work out each distinct date once: a column names far fewer periods than it has rows.
        codes, values = pd.factorize(s, use_na_sentinel=False)
        if len(values) < len(s):
            first, last = _bounds(pd.Series(values, dtype=s.dtype))
            return first.take(codes).set_axis(s.index), last.take(codes).set_axis(s.index)
    return _bounds(s)


def _bounds(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    y = pd.to_numeric(s.str.slice(0, 4), errors="coerce")
    m = pd.to_numeric(s.str.slice(5, 7), errors="coerce")
    d = pd.to_numeric(s.str.slice(8, 10), errors="coerce")
    n = s.str.len()
    first = pd.to_datetime(
        pd.DataFrame({"year": y, "month": m.where(n >= 7, 1), "day": d.where(n >= 10, 1)}).astype("float64"),
        errors="coerce")
    last_month = m.where(n >= 7, 12)
    month_start = pd.to_datetime(pd.DataFrame({"year": y, "month": last_month, "day": 1}).astype("float64"), errors="coerce")
    month_end = month_start + pd.offsets.MonthEnd(0)
    last = first.where(n >= 10, month_end)
    last = last.where(first.notna())
    return first, last
