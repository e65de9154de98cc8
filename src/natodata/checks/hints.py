"""Hints that tell a coder what to do: the nearest key to a mistyped one, and the near miss
of a verbatim text that differs from its article only in case, quotation marks or spaces."""

from __future__ import annotations

import difflib
import re
from array import array
from dataclasses import dataclass
from functools import lru_cache

#: Quotation marks and apostrophes a coder may type for one another.
QUOTE_GROUPS = ("'\u2018\u2019\u201a\u201b\u2032", '"\u201c\u201d\u201e\u201f\u2033')
_QUOTE_OF = {c: group for group in QUOTE_GROUPS for c in group}
#: Above this many keys, or findings, no "did you mean" is computed (difflib is quadratic).
MAX_KEYS = 20_000
MAX_HINTS = 50


def did_you_mean(value: str, keys) -> str:
    """`` did you mean 'x'?`` for the closest key to a mistyped ``value``, or ``""``."""
    match = difflib.get_close_matches(value, keys, n=1, cutoff=0.75)
    return f"; did you mean {match[0]!r}?" if match else ""


def _pattern(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            while i < len(text) and text[i].isspace():
                i += 1
            out.append(r"\s+")
            continue
        if c in _QUOTE_OF:
            out.append("[" + re.escape(_QUOTE_OF[c]) + "]")
        elif len(c.lower()) == 1 and len(c.upper()) == 1 and c.lower() != c.upper():
            out.append("[" + re.escape(c.lower() + c.upper()) + "]")
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def _quotes(s: str) -> str:
    return "".join(_QUOTE_OF[c][0] if c in _QUOTE_OF else c for c in s)


#: The differences a near miss may have, each with the normalisation that removes it.
DIFFERENCES = (
    ("case", str.lower),
    ("quotation-mark style (straight vs curly)", _quotes),
    ("NBSP vs space", lambda s: s.replace("\xa0", " ")),
    ("whitespace", lambda s: re.sub(r"[^\S\xa0]+", " ", s)),
)


@dataclass(frozen=True)
class NearMiss:
    start: int
    end: int
    found: str
    differences: tuple[str, ...]
    #: How much of the article a message may quote: about the excerpt's own length, since
    #: runs of whitespace can make the stretch found any length.
    quote_limit: int = 60

    def describe(self) -> str:
        n = self.quote_limit
        shown = self.found if len(self.found) <= n else self.found[: n - 1] + "…"
        return f"the article has {shown!r} at {self.start}..{self.end}, which differs only in " + " and ".join(
            self.differences
        )


def near_miss(article: str, text: str, near: int = 0) -> NearMiss | None:
    """The stretch of ``article`` closest to offset ``near`` that equals ``text`` but for
    case, quotation-mark style, NBSP and runs of whitespace, with the differences it has.

    The stretches are those a left-to-right search for :func:`_pattern` finds without
    overlap, but found in linear time: ``article`` and ``text`` are folded alike (each run
    of whitespace to one space, each quotation mark to its group's first, each cased
    letter to lower case) and searched with ``str.find``. (A regular expression with
    ``\\s+`` backtracks quadratically on an article of spaces.)"""
    if not text.strip():
        return None
    folded, starts = _folded(article)
    needle = _folded(text)[0]
    pattern = None
    best: tuple[int, int] | None = None
    at = folded.find(needle)
    while at != -1:
        span = starts[at], starts[at + len(needle)]
        pattern = pattern or re.compile(_pattern(text))
        if pattern.fullmatch(article, *span) and (best is None or abs(span[0] - near) < abs(best[0] - near)):
            best = span
        at = folded.find(needle, at + len(needle))
    if best is None or article[best[0] : best[1]] == text:
        return None
    found = article[best[0] : best[1]]
    needed = []
    for name, _ in DIFFERENCES:
        a, b = text, found
        for other, norm in DIFFERENCES:
            if other != name:
                a, b = norm(a), norm(b)
        if a != b:
            needed.append(name)
    return NearMiss(best[0], best[1], found, tuple(needed or ["whitespace"]), max(60, len(text) + 20))


def _fold_char(c: str) -> str:
    """What :func:`_pattern` lets stand for ``c``: its quotation-mark group's first, or its
    lower case when the pattern makes a class of its two cases."""
    if c in _QUOTE_OF:
        return _QUOTE_OF[c][0]
    low, up = c.lower(), c.upper()
    if len(low) == 1 and len(up) == 1 and low != up and c in (low, up):
        return low
    return c


@lru_cache(maxsize=4)
def _folded(s: str) -> tuple[str, array]:
    """``s`` folded (see :func:`near_miss`), with the offset in ``s`` where each folded
    character starts (and, last, ``len(s)``): a run of whitespace ends where the next
    folded character starts."""
    out, starts = [], array("q")
    fold: dict[str, str] = {}
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        starts.append(i)
        if c.isspace():
            j = i + 1
            while j < n and s[j].isspace():
                j += 1
            out.append(" ")
            i = j
            continue
        f = fold.get(c)
        if f is None:
            f = fold[c] = _fold_char(c)
        out.append(f)
        i += 1
    starts.append(n)
    return "".join(out), starts
