"""Column tests, and the generic cell checks registered once each.

A :class:`ColumnTest` is one test of a column's values (a Table Schema constraint or a
cell check): its finding type, its exact test (True where a value passes), the message for
a failing value and, optionally, a byte screen (:mod:`natodata.checks.cellbytes`).
:func:`column_check` runs all of a column's tests as one pandera check, in one pass: the
column's bytes are laid out once for every screen, each exact test runs on its candidates
only (or on the whole column if it has no screen), and the verdicts are ANDed.
:func:`failures` then tells the failing values' tests apart.

The generic cell checks are registered here, each once (``@_cell_check``): its finding type
(declared with its severity and meaning in :mod:`natodata.findings`, whose ``switch`` says
which schema property turns it on), its exact test, its message, its screen and the fields
it applies to. :data:`CELL_CHECKS` is that registry; nothing is registered with pandera.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Callable

import numpy as np
import pandas as pd

from ..escape import CONTROL_RE
from ..findings import TYPES, Registry
from ..model.tableschema import Field, TableSchema
from ..tables.casting import NUMBER_RE
from ..tables.dates import partial_date_bounds
from .cellbytes import Screen, candidates, controls, edges, formula_starts


@dataclass(frozen=True)
class ColumnTest:
    type: str  # the finding type of a failing value
    test: Callable[[pd.Series], pd.Series]  # the exact test: True where a value passes
    describe: Callable[[str], str]  # the message for a failing value (as findings show it)
    #: Which cells may fail, from their bytes alone; the exact test runs on those only.
    screen: Screen | None = None

    @property
    def bundled(self) -> bool:
        """One of the ``x-cellChecks`` checks, whose findings come row by row (each row's
        failing checks together) rather than check by check."""
        return TYPES[self.type].switch == "x-cellChecks"


@dataclass(frozen=True)
class CellCheck(ColumnTest):
    #: Whether the check applies to a field of a schema (the schema opted into it).
    applies: Callable[[Field, TableSchema], bool] = lambda fld, schema: False


_CELLS: Registry[CellCheck] = Registry("x-cellChecks", "x-partialDate", "x-codeList")


def _cell_check(
    name: str,
    describe: Callable[[str], str],
    applies: Callable[[Field, TableSchema], bool],
    screen: Screen | None = None,
) -> Callable[[Callable[[pd.Series], pd.Series]], CellCheck]:
    """Register the decorated exact test as the cell check ``name``."""

    def register(test: Callable[[pd.Series], pd.Series]) -> CellCheck:
        return _CELLS.register(name, CellCheck(name, test, describe, screen, applies))

    return register


def _opted(name: str, also: Callable[[Field, TableSchema], bool] = lambda fld, schema: True):
    """A check of ``x-cellChecks``: on the string fields of a schema that lists it."""
    return lambda fld, schema: fld.type == "string" and name in schema.cell_checks and also(fld, schema)


@cache
def iso3_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


#: The code lists an ``x-codeList`` property may name: their values.
CODE_LISTS: Mapping[str, Callable[[], frozenset[str]]] = {"iso3166-1-alpha-3": iso3_codes}


def invisible_characters(value: str) -> str:
    """Name the control or invisible characters in ``value``, for messages: 'U+202E
    (RIGHT-TO-LEFT OVERRIDE) at character 3'."""
    import re
    import unicodedata

    found = [
        f"U+{ord(m.group()):04X} ({unicodedata.name(m.group(), 'control character')}) at character {m.start() + 1}"
        for m in re.finditer(CONTROL_RE, value)
    ]
    shown = ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
    return f"a control, line-break or invisible character: {shown}" if found else "a control or invisible character"


# --- the cell checks ------------------------------------------------------------------


@_cell_check(
    "surrounding-whitespace",
    lambda v: f"{v!r} has leading or trailing whitespace",
    _opted("surrounding-whitespace", lambda fld, schema: not fld.preserve_whitespace),
    edges,
)
def _trimmed(s: pd.Series) -> pd.Series:
    return s == s.str.strip()


# Control characters, line breaks and invisible format characters (CONTROL_RE). The
# characters are written literally (not as regex escapes) so that pandas can run the
# search in pyarrow's RE2 instead of falling back to Python's re, cell by cell.
@_cell_check(
    "control-character", lambda v: f"{v!r} contains {invisible_characters(v)}", _opted("control-character"), controls
)
def _no_controls(s: pd.Series) -> pd.Series:
    return ~s.str.contains(CONTROL_RE, regex=True)


# A verbatim field holds the article's own characters, which may begin with = + - @
# ("-strong"). Invisible characters are still reported there: without --corpus nothing
# else would, and the corpus holds none.
@_cell_check(
    "formula-injection",
    lambda v: f"{v!r} starts with =, +, - or @ and a spreadsheet would run it as a formula",
    _opted("formula-injection", lambda fld, schema: fld.name not in schema.verbatim_fields),
    formula_starts,
)
def _not_formula(s: pd.Series) -> pd.Series:
    risky = s.str.match(r"[=+\-@\t\r]")
    if not risky.any():  # the common case: no need to look for numbers
        return ~risky
    return ~risky | s.str.fullmatch(NUMBER_RE)


@_cell_check(
    "invalid-date",
    lambda v: f"{v!r} is not a real calendar date (YYYY, YYYY-MM or YYYY-MM-DD)",
    lambda fld, schema: fld.type == "string" and fld.is_partial_date,
)
def _partial_date(s: pd.Series) -> pd.Series:
    first, _ = partial_date_bounds(s)
    return first.notna()


@_cell_check(
    "iso3-unknown",
    lambda v: f"{v!r} is not an ISO 3166-1 alpha-3 country code",
    lambda fld, schema: fld.type == "string" and fld.code_list == "iso3166-1-alpha-3",
)
def _iso3(s: pd.Series) -> pd.Series:
    return s.isin(iso3_codes())


#: Every cell check, by finding type, as registered above.
CELL_CHECKS: Mapping[str, CellCheck] = _CELLS.freeze()


def cell_tests(fld: Field, schema: TableSchema) -> list[ColumnTest]:
    """The cell checks of a field, in registry order."""
    return [c for c in CELL_CHECKS.values() if c.applies(fld, schema)]


# --- a column's tests as one check -----------------------------------------------------


def _verdict(test: ColumnTest, s: pd.Series) -> np.ndarray:
    out = test.test(s)
    return np.asarray((out if out.dtype == bool else out.astype(bool)).to_numpy(dtype=bool))


def column_check(tests: Sequence[ColumnTest]) -> Callable[[pd.Series], pd.Series]:
    """All of ``tests`` as one check of a column (its blanks already dropped by pandera):
    True where a value passes every test. The bytes of an Arrow string column are laid
    out once for every screen; a screened test runs on its candidates only."""
    screened = [t for t in tests if t.screen is not None]

    def check(s: pd.Series) -> pd.Series:
        masks = candidates(s, [t.screen for t in screened if t.screen is not None]) if screened else None
        maybe = dict(zip(map(id, screened), masks)) if masks is not None else {}
        ok = np.ones(len(s), dtype=bool)
        for t in tests:
            m = maybe.get(id(t))
            if m is None:
                ok &= _verdict(t, s)
            elif m.any():
                at = np.flatnonzero(m)
                ok[at] &= t.test(s.iloc[at]).fillna(True).to_numpy(dtype=bool)
        return pd.Series(ok, index=s.index)

    return check


def failures(tests: Sequence[ColumnTest], values: pd.Series) -> list[tuple[int, ColumnTest]]:
    """Which tests each of ``values`` (the values that failed :func:`column_check`) fails,
    as ``(position, test)`` pairs in the order findings come (:func:`in_order`)."""
    return in_order(tests, [~_verdict(t, values) for t in tests])


def in_order(tests: Sequence[ColumnTest], failed: Sequence[np.ndarray]) -> list[tuple[int, ColumnTest]]:
    """``(position, test)`` for each mask of ``failed`` (one per test), in the order
    findings come: test by test, except the ``x-cellChecks`` checks, whose findings come
    row by row (each row's together) where the first of them stands."""
    first_bundled = next((i for i, t in enumerate(tests) if t.bundled), None)
    order = []
    for i, t in enumerate(tests):
        group = first_bundled if t.bundled else i
        order += [((group, int(pos), i), int(pos), t) for pos in np.flatnonzero(failed[i])]
    return [(pos, t) for _, pos, t in sorted(order, key=lambda x: x[0])]
