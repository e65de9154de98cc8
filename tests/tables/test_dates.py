"""Partial dates: shape, calendar validity and the period each names, against Python's
own calendar (``datetime.date``) as the oracle."""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from natodata.tables.dates import partial_date_bounds, precision_of


def oracle(text: str):
    """(first, last) day of the period, or None when ``text`` is no partial date."""
    import re

    if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", text):
        return None
    parts = [int(p) for p in text.split("-")]
    try:
        if len(parts) == 1:
            return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
        if len(parts) == 2:
            y, m = parts
            return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
        day = dt.date(*parts)
        return day, day
    except ValueError:
        return None


def check(values: list[str]) -> None:
    first, last = partial_date_bounds(pd.Series(values, dtype="string"))
    for v, lo, hi in zip(values, first, last, strict=True):
        expected = oracle(v)
        if expected is None:
            assert pd.isna(lo) and pd.isna(hi), v
            continue
        assert (lo.date(), hi.date()) == expected, v


def test_examples():
    check(
        [
            "2016",
            "2020-02",
            "2020-02-29",
            "2019-02-29",
            "2020-13",
            "2020-00",
            "2020-1-05",
            "20",
            "",
            "2020-02-30",
            "2016-12-31",
            " 2016",
            "2016 ",
            "２０１６",
            "2016-06-31",
            "1900-02",
            "2020-02-28x",
            "0000",
            "0001",
            "9999-12",
            "1500-02-29",
            "1600-02-29",
        ]
    )


def test_repeated_values_are_worked_out_once_and_keep_their_index():
    s = pd.Series(["2016", "2016", "2017-05"], index=[10, 11, 12], dtype="string")
    first, last = partial_date_bounds(s)
    assert list(first.index) == [10, 11, 12]
    assert [d.date().isoformat() for d in last] == ["2016-12-31", "2016-12-31", "2017-05-31"]


def test_precision():
    s = pd.Series(["2016", "2016-05", "2016-05-01", "16"], dtype="string")
    assert precision_of(s).tolist()[:3] == ["year", "month", "day"]
    assert pd.isna(precision_of(s).iloc[3])


@given(
    st.lists(
        st.one_of(
            st.dates().map(lambda d: d.isoformat()),
            st.dates().map(lambda d: d.isoformat()[:7]),
            st.from_regex(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", fullmatch=True),
            st.text(alphabet="0123456789- ", max_size=11),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_matches_the_calendar(values):
    check(values)


def test_the_vectorised_path_agrees_with_the_calendar(monkeypatch):
    """Many distinct dates take the vectorised path; it must give what the calendar does."""
    from natodata.tables import dates

    monkeypatch.setattr(dates, "SMALL", 0)
    check(
        [
            "2016",
            "2020-02",
            "2020-02-29",
            "2019-02-29",
            "2020-13",
            "2020-00",
            "2020-1-05",
            "",
            "0000",
            "0001",
            "9999-12",
            "1500-02-29",
            "1600-02-29",
            "2020-12",
            "2021-12-31",
        ]
    )
