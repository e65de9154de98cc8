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


#: The shape of a partial date; whether it names a real period is for the calendar to say.
PARTIAL_DATE_RE = r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?"


def _bounds(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    s = s.astype("string")
    n = s.str.len()
    shaped = s.str.fullmatch(PARTIAL_DATE_RE).fillna(False).astype(bool)
    # Pad to a full day (2020 -> 2020-01-01, 2020-02 -> 2020-02-01) and parse once.
    padded = s.where(n != 4, s + "-01-01").where(n != 7, s + "-01").where(shaped)
    padded = padded.where(~padded.str.startswith("0000"))  # there is no year 0 in the calendar
    first = pd.to_datetime(padded, format="%Y-%m-%d", errors="coerce").astype("datetime64[us]")
    last = first.where(n == 10, (first + pd.offsets.MonthEnd(0)).where(n == 7, first + pd.offsets.YearEnd(0)))
    return first, last.where(first.notna())
