"""Completeness: every quotation and every number in an article's content is coded or
deliberately left uncoded, as the schemas' ``x-covers`` declare.

A table whose schema has ``x-covers`` accounts for stretches of the article with its
anchored rows (``x-anchor``, ``x-source``):

- ``{"what": ["quotations", "numbers", "dates"]}``: a row covers a quotation whose marks
  enclose its span, and a number (``numbers``) or a number that is part of a date
  (``dates``) inside its span;
- ``{"content": false, "extent": FIELD}``: the rows' spans are not article content at all
  (page furniture): nothing in them is counted. ``extent`` names the field saying where a
  span ends: ``excerpt`` (with the anchored excerpt), ``line`` (at the end of its line) or
  ``rest`` (at the end of the article).

Quotations are pairs of double quotation marks (``"…"``, ``“…”``) on one line (a mark
left open runs to the end of its line); apostrophes and single marks are not counted.
Numbers are runs of digits (``5,200``, ``2020-02-12``, ``04:57``), cardinal number words and
the guide's vague quantity words (docs/CODING.md, section 7.1).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

import pandas as pd

from ..findings import Finding
from .frames import row_chunks

QUOTATIONS, NUMBERS, DATES = "quotations", "numbers", "dates"
OPENING, CLOSING, STRAIGHT = "\u201c", "\u201d", '"'

#: The numbers written as words, as a regular expression's alternatives (longest first).
WORDS = (
    "a couple of hundred|several hundred|a couple of|a few|several|dozens|hundreds|thousands|millions|"
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
    "million|billion"
)
NUMBER = re.compile(r"(?<![\w.,])(?:\d+(?:[,.:/-]\d+)*|(?i:" + WORDS + r"))(?!\w)")
# NUMBER's matches, found faster in two passes that cannot overlap (a word never starts
# with a digit): the digits, with the look-behind after the first one, where it tests the
# same character; and the words case-sensitively in the lowercased article. Lowercasing
# keeps the length, the word characters and what (?i) matches, except for these three
# letters (tests/checks/test_completeness.py checks that of the running Python's Unicode).
_DIGITS = re.compile(r"\d(?<![\w.,]\d)\d*(?:[,.:/-]\d+)*(?!\w)")
_NUMBER_WORDS = re.compile(r"(?<![\w.,])(?:" + WORDS + r")(?!\w)")
#: The letters whose lowercase changes what the fast number search relies on (see above).
FOLDS = "\u0130\u0131\u017f"  # İ ı ſ
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_MONTH_BEFORE = re.compile(_MONTH + r"\.?\s+$")
_MONTH_AFTER = re.compile(r"\s+" + _MONTH + r"\b")


@dataclass(frozen=True)
class Item:
    """A quotation (the span between its marks, marks included) or a number."""

    kind: str  # QUOTATIONS or NUMBERS
    start: int
    end: int
    text: str
    date: bool = False


_MARK_OR_BREAK = re.compile('["\u201c\u201d\n]')


def _quotation_spans(article: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each quotation, in the order :func:`quotations` gives them."""
    out, line_start, opened = [], 0, None
    for m in _MARK_OR_BREAK.finditer(article):
        c, at = m.group(), m.start()
        if c == "\n":  # a mark left open runs to the end of its line
            if opened is not None:
                out.append((opened, at))
                opened = None
            line_start = at + 1
        elif opened is None and c in (OPENING, STRAIGHT):
            opened = at
        elif opened is not None and c in (CLOSING, STRAIGHT):
            out.append((opened, at + 1))
            opened = None
        else:  # a closing mark with no opening one: the quotation runs from the line's start
            out.append((line_start, at + 1))
    if opened is not None:
        out.append((opened, len(article)))
    return out


def quotations(article: str) -> list[Item]:
    return [Item(QUOTATIONS, s, e, article[s:e]) for s, e in _quotation_spans(article)]


def _is_date(article: str, start: int, end: int) -> bool:
    s = article[start:end]
    if not s[0].isdigit():
        return False
    if re.fullmatch(r"(?:19|20)\d\d", s) or re.search(r"[-/:]", s):
        return True
    return bool(_MONTH_BEFORE.search(article[max(0, start - 12) : start]) or _MONTH_AFTER.match(article, end))


def numbers(article: str) -> list[Item]:
    return [
        Item(NUMBERS, m.start(), m.end(), m.group(), _is_date(article, m.start(), m.end()))
        for m in NUMBER.finditer(article)
    ]


def number_spans(article: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each number, in the order :func:`numbers` gives them: the spans
    of :data:`NUMBER`'s matches, found faster (what the completeness check counts)."""
    if any(c in article for c in FOLDS):
        return [m.span() for m in NUMBER.finditer(article)]
    found = [m.span() for m in _DIGITS.finditer(article)] + [m.span() for m in _NUMBER_WORDS.finditer(article.lower())]
    found.sort()
    return found


class _Reach:
    """Spans sorted by start, with the furthest end reached so far: whether some span
    starts at or before ``a`` and ends at or after ``b``, in logarithmic time."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.size = len(spans)
        starts, ends = zip(*sorted(spans)) if spans else ((), ())
        self.starts, self.ends = starts, list(accumulate(ends, max))

    def __call__(self, a: int, b: int) -> bool:
        i = bisect_right(self.starts, a)
        return i > 0 and self.ends[i - 1] >= b


@dataclass
class Spans:
    """One source's accounting: spans that are not content, and spans that cover items.

    The queries index the lists on first use, and again if a list has grown since."""

    furniture: list[tuple[int, int]] = field(default_factory=list)
    cover: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: {QUOTATIONS: [], NUMBERS: [], DATES: []})
    _index: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def _reach(self, kind: str) -> _Reach:
        spans = self.furniture if kind == "furniture" else self.cover[kind]
        reach = self._index.get(kind)
        if reach is None or reach.size != len(spans):
            reach = self._index[kind] = _Reach(spans)
        return reach

    def in_furniture(self, item: Item) -> bool:
        return self.furniture_at(item.start)

    def furniture_at(self, offset: int) -> bool:
        """Some furniture span holds ``offset``: s <= offset < e."""
        return self._reach("furniture")(offset, offset + 1)

    def covers_quotation(self, start: int, end: int) -> bool:
        """A span inside the marks (or holding them) accounts for them: s < end - 1 and e > start + 1."""
        return self._reach(QUOTATIONS)(end - 2, start + 2)

    def covers_number(self, start: int, end: int, date: bool = False) -> bool:
        """A ``numbers`` span (or, for a date, a ``dates`` span) holds it: s <= start and end <= e."""
        return self._reach(NUMBERS)(start, end) or (date and self._reach(DATES)(start, end))

    def covered(self, item: Item) -> bool:
        if item.kind == QUOTATIONS:
            return self.covers_quotation(item.start, item.end)
        return self.covers_number(item.start, item.end, item.date)


def furniture_end(article: str, start: int, end: int, how) -> int:
    """Where a furniture span ends: at its excerpt's end, the end of its line (``line``) or
    of the article (``rest``), as its ``extent`` says."""
    if how == "line":
        nl = article.find("\n", end)
        return len(article) if nl == -1 else nl
    if how == "rest":
        return len(article)
    return end


def covering_tables(tables: dict) -> list:
    return [
        t
        for t in tables.values()
        if isinstance(t.schema.descriptor.get("x-covers"), dict)
        and t.schema.anchor is not None
        and t.schema.source_field is not None
        and t.complete
    ]


def spans(tables: dict, articles: dict[str, str]) -> dict[str, Spans]:
    """Each source's spans, from every table with ``x-covers``."""
    out = {sid: Spans() for sid in articles}
    for t in covering_tables(tables):
        spec, a, source = t.schema.descriptor["x-covers"], t.schema.anchor, t.schema.source_field
        extent = spec.get("extent")
        content = spec.get("content", True) is not False
        whats = [w for w in spec.get("what", []) if w in (QUOTATIONS, NUMBERS, DATES)]
        cols = [source, a.start, a.end] + ([extent] if extent else [])
        for row in (row for _, chunk in row_chunks(t.typed, cols) for row in zip(*chunk)):
            sid, start, end = row[0], row[1], row[2]
            sp = out.get(sid)
            if sp is None:
                continue
            if type(start) is not int or type(end) is not int:
                if pd.isna(start) or pd.isna(end):
                    continue
                start, end = int(start), int(end)
            if not content:
                how = row[3] if extent else "excerpt"
                sp.furniture.append((start, furniture_end(articles[sid], start, end, how)))
                continue
            for what in whats:
                sp.cover[what].append((start, end))
    return out


@dataclass
class Coverage:
    """One source's count of quotations and numbers in content, and those left unaccounted for."""

    quotations: int
    numbers: int
    uncovered: list[Item]

    @property
    def percent(self) -> float:
        total = self.quotations + self.numbers
        return 100.0 if total == 0 else round(100 * (total - len(self.uncovered)) / total, 1)


def coverage(tables: dict, articles: dict[str, str]) -> dict[str, Coverage]:
    out = {}
    for sid, sp in spans(tables, articles).items():
        out[sid] = _coverage(articles[sid], sp)
    return out


def _coverage(article: str, sp: Spans) -> Coverage:
    """The quotations and numbers of ``article`` outside furniture, and those ``sp`` does
    not cover (quotations first, then numbers, each in article order). An item is built
    only for what is uncovered, and a number that a ``numbers`` span covers is not dated."""
    quoted = [(s, e) for s, e in _quotation_spans(article) if not sp.furniture_at(s)]
    counted = [(s, e) for s, e in number_spans(article) if not sp.furniture_at(s)]
    uncovered = [Item(QUOTATIONS, s, e, article[s:e]) for s, e in quoted if not sp.covers_quotation(s, e)]
    for s, e in counted:
        if not sp.covers_number(s, e):
            item = Item(NUMBERS, s, e, article[s:e], _is_date(article, s, e))
            if not sp.covered(item):
                uncovered.append(item)
    return Coverage(len(quoted), len(counted), uncovered)


def _line_of(article: str, offset: int) -> int:
    return article.count("\n", 0, offset) + 1


def completeness_findings(tables: dict, articles: dict[str, str], sources) -> list[Finding]:
    """``uncoded-quotation`` and ``uncoded-number`` findings, each on its source's row."""
    if not covering_tables(tables):
        return []
    key = sources.schema.primary_key[0]
    line_of = {sid: int(line) for line, sid in sources.typed[key].items()}
    out = []
    for sid, cov in coverage(tables, articles).items():
        article = articles[sid]
        for item in cov.uncovered:
            text = item.text if len(item.text) <= 60 else item.text[:59] + "…"
            where = f"{sid} line {_line_of(article, item.start)}, offset {item.start}..{item.end}"
            if item.kind == QUOTATIONS:
                type_, message = (
                    "uncoded-quotation",
                    (
                        f"quotation {text!r} at {where} is not coded: add a quotes row, or an uncoded row with "
                        "its reason (scare quotes, docs/CODING.md 6.1), or mark its span as furniture"
                    ),
                )
            else:
                type_, message = (
                    "uncoded-number",
                    (
                        f"number {text!r} at {where} is not coded: add a figures row, or an uncoded row with "
                        "its reason (a date, ordinal or name, docs/CODING.md 7.1), or mark its span as furniture"
                    ),
                )
            out.append(
                Finding(
                    type_,
                    message,
                    table=sources.name,
                    path=sources.path,
                    line=line_of.get(sid),
                    field=sources.schema.corpus.file,
                    value=item.text,
                )
            )
    return out
