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
from dataclasses import dataclass, field

import pandas as pd

from ..findings import Finding

QUOTATIONS, NUMBERS, DATES = "quotations", "numbers", "dates"
OPENING, CLOSING, STRAIGHT = "\u201c", "\u201d", '"'

_WORDS = ("a couple of hundred|several hundred|a couple of|a few|several|dozens|hundreds|thousands|millions|"
          "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
          "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
          "million|billion")
NUMBER = re.compile(r"(?<![\w.,])(?:\d+(?:[,.:/-]\d+)*|(?i:" + _WORDS + r"))(?!\w)")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
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


def quotations(article: str) -> list[Item]:
    out, offset = [], 0
    for line in article.split("\n"):
        opened = None
        for m in re.finditer(r'["\u201c\u201d]', line):
            c, at = m.group(), offset + m.start()
            if opened is None and c in (OPENING, STRAIGHT):
                opened = at
            elif opened is not None and c in (CLOSING, STRAIGHT):
                out.append(Item(QUOTATIONS, opened, at + 1, article[opened:at + 1]))
                opened = None
            else:  # a closing mark with no opening one: the quotation runs from the line's start
                out.append(Item(QUOTATIONS, offset, at + 1, article[offset:at + 1]))
        if opened is not None:
            out.append(Item(QUOTATIONS, opened, offset + len(line), article[opened:offset + len(line)]))
        offset += len(line) + 1
    return out


def _is_date(article: str, m: re.Match) -> bool:
    s = m.group()
    if not s[0].isdigit():
        return False
    if re.fullmatch(r"(?:19|20)\d\d", s) or re.search(r"[-/:]", s):
        return True
    return bool(_MONTH_BEFORE.search(article[max(0, m.start() - 12):m.start()])
                or _MONTH_AFTER.match(article, m.end()))


def numbers(article: str) -> list[Item]:
    return [Item(NUMBERS, m.start(), m.end(), m.group(), _is_date(article, m)) for m in NUMBER.finditer(article)]


@dataclass
class Spans:
    """One source's accounting: spans that are not content, and spans that cover items."""

    furniture: list[tuple[int, int]] = field(default_factory=list)
    cover: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: {QUOTATIONS: [], NUMBERS: [], DATES: []})

    def in_furniture(self, item: Item) -> bool:
        return any(s <= item.start < e for s, e in self.furniture)

    def covered(self, item: Item) -> bool:
        if item.kind == QUOTATIONS:  # a span inside the marks (or holding them) accounts for them
            return any(s < item.end - 1 and e > item.start + 1 for s, e in self.cover[QUOTATIONS])
        spans = self.cover[NUMBERS] + (self.cover[DATES] if item.date else [])
        return any(s <= item.start and item.end <= e for s, e in spans)


def _extent(article: str, start: int, end: int, how) -> int:
    if how == "line":
        nl = article.find("\n", end)
        return len(article) if nl == -1 else nl
    if how == "rest":
        return len(article)
    return end


def covering_tables(tables: dict) -> list:
    return [t for t in tables.values()
            if isinstance(t.schema.descriptor.get("x-covers"), dict) and t.schema.anchor is not None
            and t.schema.source_field is not None and t.complete]


def spans(tables: dict, articles: dict[str, str]) -> dict[str, Spans]:
    """Each source's spans, from every table with ``x-covers``."""
    out = {sid: Spans() for sid in articles}
    for t in covering_tables(tables):
        spec, a, source = t.schema.descriptor["x-covers"], t.schema.anchor, t.schema.source_field
        extent = spec.get("extent")
        cols = [source, a.start, a.end] + ([extent] if extent else [])
        for row in t.typed[cols].itertuples(index=False, name=None):
            sid, start, end = row[0], row[1], row[2]
            if sid not in out or pd.isna(start) or pd.isna(end):
                continue
            start, end = int(start), int(end)
            if spec.get("content", True) is False:
                how = row[3] if extent else "excerpt"
                out[sid].furniture.append((start, _extent(articles[sid], start, end, how)))
                continue
            for what in spec.get("what", []):
                if what in out[sid].cover:
                    out[sid].cover[what].append((start, end))
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
        article = articles[sid]
        items = [i for i in quotations(article) + numbers(article) if not sp.in_furniture(i)]
        out[sid] = Coverage(sum(i.kind == QUOTATIONS for i in items), sum(i.kind == NUMBERS for i in items),
                            [i for i in items if not sp.covered(i)])
    return out


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
                type_, message = "uncoded-quotation", (
                    f"quotation {text!r} at {where} is not coded: add a quotes row, or an uncoded row with "
                    "its reason (scare quotes, docs/CODING.md 6.1), or mark its span as furniture")
            else:
                type_, message = "uncoded-number", (
                    f"number {text!r} at {where} is not coded: add a figures row, or an uncoded row with "
                    "its reason (a date, ordinal or name, docs/CODING.md 7.1), or mark its span as furniture")
            out.append(Finding(type_, message, table=sources.name, path=sources.path, line=line_of.get(sid),
                               field=sources.schema.corpus.file, value=item.text))
    return out
