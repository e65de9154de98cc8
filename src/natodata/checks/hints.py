"""Hints that tell a coder what to do: the nearest key to a mistyped one, and the near miss
of a verbatim text that differs from its article only in case, quotation marks or spaces."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

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

    def describe(self) -> str:
        return (f"the article has {self.found!r} at {self.start}..{self.end}, which differs only in "
                + " and ".join(self.differences))


def near_miss(article: str, text: str, near: int = 0) -> NearMiss | None:
    """The stretch of ``article`` closest to offset ``near`` that equals ``text`` but for
    case, quotation-mark style, NBSP and runs of whitespace, with the differences it has."""
    if not text.strip():
        return None
    best = None
    for m in re.finditer(_pattern(text), article):
        if best is None or abs(m.start() - near) < abs(best.start() - near):
            best = m
    if best is None or best.group() == text:
        return None
    found = best.group()
    needed = []
    for name, _ in DIFFERENCES:
        a, b = text, found
        for other, norm in DIFFERENCES:
            if other != name:
                a, b = norm(a), norm(b)
        if a != b:
            needed.append(name)
    return NearMiss(best.start(), best.end(), found, tuple(needed or ["whitespace"]))
