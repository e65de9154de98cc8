"""The provenance and completeness checks as they were before they were made fast
(commit 92c667d), kept as the reference the differential test compares the
current ones with. Not used by natodata itself. Changed since only where behaviour
was meant to change: an article with no recorded sha256 is not read (issue 20), and a
mismatch quotes no more of the article than the row's excerpt (``shown_found``)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from natodata.checks.completeness import (
    DATES,
    NUMBERS,
    QUOTATIONS,
    OPENING,
    CLOSING,
    STRAIGHT,
    Coverage,
    Item,
    covering_tables,
    numbers,
)
from natodata.checks.hints import near_miss
from natodata.checks.provenance import HYPHENS, nearest, shown_found
from natodata.findings import Finding
from natodata.model.tableschema import TableSchema


# The private helpers the old code called, as they were (the reference imports nothing
# private from the code it is compared with).
def _short(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _extent(article: str, start: int, end: int, how) -> int:
    if how == "line":
        nl = article.find("\n", end)
        return len(article) if nl == -1 else nl
    if how == "rest":
        return len(article)
    return end


def _line_of(article: str, offset: int) -> int:
    return article.count("\n", 0, offset) + 1


def load_articles(
    sources: pd.DataFrame, schema: TableSchema, table: str, corpus: Path, path: str
) -> tuple[dict[str, str], list[Finding]]:
    """Read each source's article (the table whose schema has ``x-corpus``); check it
    exists and matches its sha256. Returns ``{source id: text}`` and the findings."""
    texts: dict[str, str] = {}
    out: list[Finding] = []
    spec, key = schema.corpus, schema.primary_key[0]
    for line, row in sources.iterrows():
        name, sid, sha = row.get(spec.file), row.get(key), row.get(spec.sha256)
        if pd.isna(name) or pd.isna(sid):
            continue
        file = corpus / name
        if "/" in name or "\\" in name or not file.is_file():
            out.append(
                Finding(
                    "corpus-file-missing",
                    f"article file {name!r} is not in the corpus {corpus}",
                    table=table,
                    path=path,
                    line=int(line),
                    field=spec.file,
                    value=name,
                )
            )
            continue
        data = file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if pd.isna(sha):  # since issue 20: nothing unverified is read as an article
            out.append(
                Finding(
                    "corpus-hash-missing",
                    f"source {sid} records no sha256, so {name} cannot be verified as "
                    f"its article; the rows of {sid} are not checked against it",
                    table=table,
                    path=path,
                    line=int(line),
                    field=spec.sha256,
                    value="",
                )
            )
            continue
        if digest != sha:
            out.append(
                Finding(
                    "corpus-hash-mismatch",
                    f"{name} has sha256 {digest}, not the recorded {sha}: the article changed "
                    f"or --corpus names another corpus; the rows of {sid} are not checked against it",
                    table=table,
                    path=path,
                    line=int(line),
                    field=spec.sha256,
                    value=sha,
                )
            )
            continue  # its rows' anchors would only repeat this finding
        try:
            texts[sid] = data.decode("utf-8")
        except UnicodeDecodeError:
            out.append(
                Finding(
                    "corpus-file-missing",
                    f"article file {name!r} is not UTF-8",
                    table=table,
                    path=path,
                    line=int(line),
                    field=spec.file,
                    value=name,
                )
            )
    return texts, out


def anchor_findings(
    frame: pd.DataFrame, schema: TableSchema, table: str, path: str, articles: dict[str, str]
) -> list[Finding]:
    """Every row's verbatim text (``x-anchor``) against its article (``x-source``)."""
    a, source = schema.anchor, schema.source_field
    out: list[Finding] = []
    if a is None or source is None or not {source, *a.fields} <= set(frame.columns):
        return out
    field = a.text
    for line, sid, text, start, end, prefix, suffix in frame[[source, *a.fields]].itertuples(name=None):
        article = articles.get(sid)
        if article is None or pd.isna(text) or pd.isna(start) or pd.isna(end):
            continue
        start, end, line = int(start), int(end), int(line)

        def add(type_, fld, value, message):
            out.append(Finding(type_, message, table=table, path=path, line=line, field=fld, value=value))

        found = article[start:end]
        if found != text:
            at = nearest(article, text, start)
            if at is not None:
                where = f"it occurs at {at}..{at + len(text)}"
            elif (miss := near_miss(article, text, start)) is not None:
                where = f"it does not occur in the article; {miss.describe()}"
            else:
                where = "it does not occur in the article"
            add(
                "anchor-text-mismatch",
                field,
                text,
                f"expected {_short(text)!r} at {start}..{end} of {sid}, found {shown_found(found, text)!r}; {where} (run natodata anchor)",
            )
            continue
        prefix = "" if pd.isna(prefix) else prefix
        suffix = "" if pd.isna(suffix) else suffix
        if article[max(0, start - len(prefix)) : start] != prefix or len(prefix) > start:
            add(
                "anchor-prefix-mismatch",
                a.prefix,
                prefix,
                f"prefix {prefix!r} does not precede the text; the article has {article[max(0, start - len(prefix)) : start]!r}",
            )
        if article[end : end + len(suffix)] != suffix:
            add(
                "anchor-suffix-mismatch",
                a.suffix,
                suffix,
                f"suffix {suffix!r} does not follow the text; the article has {article[end : end + len(suffix)]!r}",
            )
    return out


def mention_findings(
    frame: pd.DataFrame, schema: TableSchema, table: str, path: str, articles: dict[str, str]
) -> list[Finding]:
    """Values of fields said to be as written (``x-asWritten``) must occur in the article
    of their row's source (``x-source``)."""
    out: list[Finding] = []
    source = schema.source_field
    if source is None or source not in frame.columns:
        return out
    for field in (f.name for f in schema.fields if f.as_written and f.name in frame.columns):
        for line, sid, value in frame[[source, field]].itertuples(name=None):
            article = articles.get(sid)
            if article is None or pd.isna(value) or mentioned(value, article):
                continue
            inside = " (only inside a longer word or name)" if value in article else ""
            out.append(
                Finding(
                    "not-in-source",
                    f"{value!r} does not occur in the article of {sid}{inside}",
                    table=table,
                    path=path,
                    line=int(line),
                    field=field,
                    value=value,
                )
            )
    return out


def mentioned(value: str, article: str) -> bool:
    """Whether ``value`` occurs in ``article`` as a whole mention: not inside a longer word
    ("Trump administratio"), and not a lowercase continuation of a hyphenated compound
    ("led multinational coalition" in "US-led multinational coalition"). A capitalised
    name after a hyphen ("IS" in "Anti-IS") and a possessive after it ("Trump's") count."""
    import re

    for m in re.finditer(re.escape(value), article):
        before = article[m.start() - 1] if m.start() else ""
        after = article[m.end()] if m.end() < len(article) else ""
        if (before.isalnum() or before == "_") or (after.isalnum() or after == "_"):
            continue
        if before and before in HYPHENS and value[:1].islower():
            continue
        return True
    return False


def quotations(article: str) -> list[Item]:
    out, offset = [], 0
    for line in article.split("\n"):
        opened = None
        for m in re.finditer(r'["\u201c\u201d]', line):
            c, at = m.group(), offset + m.start()
            if opened is None and c in (OPENING, STRAIGHT):
                opened = at
            elif opened is not None and c in (CLOSING, STRAIGHT):
                out.append(Item(QUOTATIONS, opened, at + 1, article[opened : at + 1]))
                opened = None
            else:  # a closing mark with no opening one: the quotation runs from the line's start
                out.append(Item(QUOTATIONS, offset, at + 1, article[offset : at + 1]))
        if opened is not None:
            out.append(Item(QUOTATIONS, opened, offset + len(line), article[opened : offset + len(line)]))
        offset += len(line) + 1
    return out


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


def coverage(tables: dict, articles: dict[str, str]) -> dict[str, Coverage]:
    out = {}
    for sid, sp in spans(tables, articles).items():
        article = articles[sid]
        items = [i for i in quotations(article) + numbers(article) if not sp.in_furniture(i)]
        out[sid] = Coverage(
            sum(i.kind == QUOTATIONS for i in items),
            sum(i.kind == NUMBERS for i in items),
            [i for i in items if not sp.covered(i)],
        )
    return out


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
