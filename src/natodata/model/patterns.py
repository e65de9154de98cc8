"""Table Schema ``pattern`` constraints as natodata runs them: in RE2, whose time is linear
in the text (pyarrow's regular-expression engine), never in a backtracking engine."""

from __future__ import annotations

from functools import lru_cache


def anchored_pattern(pattern: str) -> str:
    """A Table Schema ``pattern`` as RE2 matches a whole value with it."""
    return f"\\A(?:{pattern})\\z"


@lru_cache(maxsize=256)
def linear_time_problem(pattern: str) -> str | None:
    """Why RE2 (pyarrow's regular expression engine, which runs in time linear in the
    text) cannot compile ``pattern``: lookaround, backreferences and the like. None if
    it can."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        pc.match_substring_regex(pa.array([""], pa.large_string()), anchored_pattern(pattern))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        return str(exc).removeprefix("Invalid regular expression: ")
    return None
