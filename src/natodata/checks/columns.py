"""Generic column checks, registered with pandera (:func:`register_check_method`), so a
schema can name them: ``pa.Check.clean_cells(checks=...)`` (the ``x-cellChecks`` of a
field, its bytes screened once), ``pa.Check.partial_date()`` and
``pa.Check.in_code_list(code_list=...)``. The exact test of each cell check is
:data:`EXACT_TESTS`; :func:`failed_cell_checks` tells a failing value's checks apart."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Callable

import numpy as np
import pandas as pd
from pandera.extensions import register_check_method

from ..model.patterns import anchored_pattern
from ..tables.casting import NUMBER_RE
from ..tables.dates import partial_date_bounds
from .cellbytes import candidates, candidates_for


@cache
def iso3_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


@dataclass(frozen=True)
class CodeList:
    values: Callable[[], frozenset[str]]
    finding: str  # the finding type for a value outside the list
    label: str  # what a value must be, for messages


#: The code lists an ``x-codeList`` property may name.
CODE_LISTS = {"iso3166-1-alpha-3": CodeList(iso3_codes, "iso3-unknown", "an ISO 3166-1 alpha-3 country code")}


def _trimmed(s: pd.Series) -> pd.Series:
    return s == s.str.strip()


def _not_formula(s: pd.Series) -> pd.Series:
    risky = s.str.match(r"[=+\-@\t\r]")
    if not risky.any():  # the common case: no need to look for numbers
        return ~risky
    return ~risky | s.str.fullmatch(NUMBER_RE)


def _no_controls(s: pd.Series) -> pd.Series:
    return ~s.str.contains(CONTROL_RE, regex=True)


@register_check_method()
def no_surrounding_whitespace(s: pd.Series) -> pd.Series:
    return _trimmed(s)


@register_check_method()
def no_formula(s: pd.Series) -> pd.Series:
    return _not_formula(s)


#: Control characters, line breaks and invisible format characters: zero-width spaces
#: and joiners, bidi embeddings, overrides, isolates and marks (Trojan Source), the soft
#: hyphen, the BOM, interlinear annotations and Unicode tag characters. Never meaningful
#: in a cell that is not verbatim, and not in the corpus.
#: The characters are written literally (not as regex escapes) so that pandas can run
#: the search in pyarrow's RE2 instead of falling back to Python's re, cell by cell.
from ..escape import CONTROL_RE  # noqa: E402 - defined once, with the escaping of output


def invisible_characters(value: str) -> str:
    """Name the control or invisible characters in ``value``, for messages: 'U+202E
    (RIGHT-TO-LEFT OVERRIDE) at character 3'."""
    import re
    import unicodedata

    found = [f"U+{ord(m.group()):04X} ({unicodedata.name(m.group(), 'control character')}) at character {m.start() + 1}"
             for m in re.finditer(CONTROL_RE, value)]
    shown = ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
    return f"a control, line-break or invisible character: {shown}" if found else "a control or invisible character"


@register_check_method()
def no_control_characters(s: pd.Series) -> pd.Series:
    return _no_controls(s)


def _screened(name: str, exact):
    """``exact``, run only on the cells whose bytes leave the verdict open
    (:func:`natodata.checks.cellbytes.candidates`); every other cell passes."""
    def test(s: pd.Series) -> pd.Series:
        maybe = candidates(s, name)
        if maybe is None:
            return exact(s)
        ok = np.ones(len(s), dtype=bool)
        if maybe.any():
            at = np.flatnonzero(maybe)
            ok[at] = exact(s.iloc[at]).fillna(True).to_numpy(dtype=bool)
        return pd.Series(ok, index=s.index)

    return test


#: The generic cell checks (``x-cellChecks``), by finding type: the exact test of a value ...
EXACT_TESTS = {"surrounding-whitespace": _trimmed, "control-character": _no_controls, "formula-injection": _not_formula}
#: ... and the test of a column, the exact one run only where the bytes leave the verdict
#: open. True where a value passes.
CELL_TESTS = {name: _screened(name, exact) for name, exact in EXACT_TESTS.items()}


@register_check_method(statistics=["checks"])
def clean_cells(s: pd.Series, *, checks: tuple[str, ...]) -> pd.Series:
    """Several generic cell checks as one pandera check: one pass of pandera's machinery
    per column instead of one per check, the column's bytes screened once. A failing value
    is then told apart by :func:`failed_cell_checks`."""
    maybe = candidates_for(s, checks)
    if maybe is None:
        ok = CELL_TESTS[checks[0]](s)
        for name in checks[1:]:
            ok &= CELL_TESTS[name](s)
        return ok
    ok = np.ones(len(s), dtype=bool)
    for name in checks:
        if maybe[name].any():
            at = np.flatnonzero(maybe[name])
            ok[at] &= EXACT_TESTS[name](s.iloc[at]).fillna(True).to_numpy(dtype=bool)
    return pd.Series(ok, index=s.index)


def failed_cell_checks(value: str, checks: tuple[str, ...]) -> list[str]:
    """Which of ``checks`` the value fails, by the same tests."""
    one = pd.Series([value], dtype="str")
    return [name for name in checks if not bool(CELL_TESTS[name](one).iloc[0])]


@register_check_method(statistics=["code_list"])
def in_code_list(s: pd.Series, *, code_list: str) -> pd.Series:
    return s.isin(CODE_LISTS[code_list].values())


@register_check_method(statistics=["pattern"])
def matches_pattern(s: pd.Series, *, pattern: str) -> pd.Series:
    """A Table Schema ``pattern``, matched against whole values by RE2 (pyarrow), whose
    time is linear in the text; the schema gate refused every pattern RE2 cannot compile
    (:func:`natodata.model.schemacheck.linear_time_problem`). Blanks pass."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pa.array(s.astype("str").array if not isinstance(s.dtype, pd.StringDtype) else s.array,
                      type=pa.large_string(), from_pandas=True)
    matched = pc.match_substring_regex(values, anchored_pattern(pattern))
    return pd.Series(matched.to_numpy(zero_copy_only=False), index=s.index).fillna(True).astype(bool)


@register_check_method()
def partial_date(s: pd.Series) -> pd.Series:
    first, _ = partial_date_bounds(s)
    return first.notna()
