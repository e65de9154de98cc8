"""The byte screening never changes a verdict: each screened cell check, and a column's
one check of all its tests, agree with the exact tests on every cell, whatever characters
it holds."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natodata.checks.cellbytes import candidates
from natodata.checks.columns import CELL_CHECKS, column_check

#: The registered cell checks that screen bytes.
SCREENED = {name: c for name, c in CELL_CHECKS.items() if c.screen is not None}
# Every character CONTROL_RE names, its neighbours in UTF-8, whitespace and formula starts.
SPECIAL = [
    "\x00",
    "\x1f",
    "\x7f",
    "\x80",
    "\x9f",
    "\xa0",
    "\xad",
    "\xac",
    "\u061c",
    "\u061b",
    "\u180e",
    "\u180f",
    "\u200a",
    "\u200b",
    "\u200f",
    "\u2010",
    "\u2027",
    "\u2028",
    "\u202e",
    "\u202f",
    "\u205f",
    "\u2060",
    "\u206f",
    "\u2070",
    "\ufeff",
    "\ufefe",
    "\ufff8",
    "\ufff9",
    "\ufffb",
    "\ufffc",
    "\U000e0000",
    "\U000e007f",
    "\U000e0080",
    "\u201c",
    "\u201d",
    "\u2014",
    "\u3000",
    "\u1680",
    "\n",
    "\t",
    "\r",
    " ",
    "=",
    "+",
    "-",
    "@",
    "1",
    "a",
    "é",
    ".",
    "e",
]
CELLS = st.lists(
    st.one_of(st.text(alphabet=SPECIAL, max_size=5), st.text(max_size=5), st.none()), min_size=0, max_size=30
)


def test_the_three_x_cell_checks_screen_their_bytes():
    assert sorted(SCREENED) == ["control-character", "formula-injection", "surrounding-whitespace"]


@given(CELLS)
@settings(max_examples=120, deadline=None)
def test_screened_checks_agree_with_the_exact_tests(values):
    s = pd.Series(values, dtype="str")
    present = s.notna().to_numpy()
    for name, c in SCREENED.items():
        want = c.test(s).fillna(True).to_numpy(dtype=bool)
        got = column_check([c])(s).to_numpy(dtype=bool)
        assert (got[present] == want[present]).all(), name
        maybe = candidates(s, [c.screen])
        assert maybe is not None and not (~maybe[0] & ~want & present).any()  # every failing cell is a candidate


@pytest.mark.parametrize("name", sorted(SCREENED))
def test_sliced_and_chunked_columns_are_screened_by_their_own_bytes(name):
    s = pd.concat(
        [
            pd.Series(["ok", " x", "=1+1", "a\u202eb"], dtype="str"),
            pd.Series(["fine", "y ", "@x", "\x00"], dtype="str"),
        ],
        ignore_index=True,
    ).iloc[1:]
    want = SCREENED[name].test(s).fillna(True).to_numpy(dtype=bool)
    assert (column_check([SCREENED[name]])(s).to_numpy(dtype=bool) == want).all()
    assert not want.all()


@given(CELLS)
@settings(max_examples=80, deadline=None)
def test_the_column_check_is_every_exact_test_at_once(values):
    s = pd.Series(values, dtype="str")
    present = s.notna().to_numpy()
    want = present.copy()
    want[:] = True
    for c in SCREENED.values():
        want &= c.test(s).fillna(True).to_numpy(dtype=bool)
    got = column_check(list(SCREENED.values()))(s).to_numpy(dtype=bool)
    assert (got[present] == want[present]).all()
