"""ISO 8601 partial dates (YYYY, YYYY-MM, YYYY-MM-DD) and the periods they name."""

from __future__ import annotations

import calendar
import re
from datetime import date

import numpy as np
import pandas as pd

#: The precisions a partial date can have, and how many characters it has at each.
PRECISION_LENGTHS = {"year": 4, "month": 7, "day": 10}
PRECISIONS = list(PRECISION_LENGTHS)


def precision_of(s: pd.Series) -> pd.Series:
    """The precision each partial date is written to (NaN where the length fits none)."""
    return s.str.len().map({n: p for p, n in PRECISION_LENGTHS.items()})


#: The shape of a partial date; whether it names a real period is for the calendar to say.
PARTIAL_DATE_RE = r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?"


#: Up to this many distinct dates, Python's calendar is faster than pandas' vectorised
#: parsing (whose cost is a fixed overhead per operation); beyond it, vectorised wins.
SMALL = 2000


def partial_date_bounds(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First and last day of the period each ISO 8601 partial date names (NaT if invalid)."""
    if len(s) > 1:
        # Work out each distinct date once: a column names far fewer periods than it has rows.
        codes, values = pd.factorize(s, use_na_sentinel=False)
        if len(values) < len(s):
            first, last = partial_date_bounds(pd.Series(values, dtype=s.dtype))
            return first.take(codes).set_axis(s.index), last.take(codes).set_axis(s.index)
    if len(s) <= SMALL:
        return _bounds_by_calendar(s)
    return _bounds(s)


_SHAPE = re.compile(PARTIAL_DATE_RE)


def _period(text) -> tuple[date, date] | None:
    if not isinstance(text, str) or not _SHAPE.fullmatch(text):
        return None
    parts = [int(p) for p in text.split("-")]
    try:
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        if len(parts) == 2:
            return date(*parts, 1), date(*parts, calendar.monthrange(*parts)[1])
        day = date(*parts)
        return day, day
    except ValueError:  # month 13, 30 February, year 0
        return None


def _bounds_by_calendar(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    periods = [_period(v) for v in s.tolist()]
    nat = np.datetime64("NaT", "us")
    first = np.array([np.datetime64(p[0], "us") if p else nat for p in periods], dtype="datetime64[us]")
    last = np.array([np.datetime64(p[1], "us") if p else nat for p in periods], dtype="datetime64[us]")
    return pd.Series(first, index=s.index), pd.Series(last, index=s.index)


def _bounds(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    s = s.astype("string")
    n = s.str.len()
    shaped = s.str.fullmatch(PARTIAL_DATE_RE).fillna(False).astype(bool)
    # Pad to a full day (2020 -> 2020-01-01, 2020-02 -> 2020-02-01) and parse once.
    padded = s.where(n != 4, s + "-01-01").where(n != 7, s + "-01").where(shaped)
    padded = padded.where(~padded.str.startswith("0000"))  # there is no year 0 in the calendar
    first = pd.to_datetime(padded, format="%Y-%m-%d", errors="coerce").astype("datetime64[us]")
    # The last day: the start of the next month or year, less a day (numpy calendar units).
    days = first.to_numpy()
    month_end = (days.astype("datetime64[M]") + 1).astype("datetime64[us]") - np.timedelta64(1, "D")
    year_end = (days.astype("datetime64[Y]") + 1).astype("datetime64[us]") - np.timedelta64(1, "D")
    n = n.to_numpy(dtype="float64", na_value=0)
    last = np.where(n == 10, days, np.where(n == 7, month_end, year_end))
    last = pd.Series(last, index=s.index, dtype="datetime64[us]")
    return first, last.where(first.notna())
