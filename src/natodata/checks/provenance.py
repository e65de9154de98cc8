"""Provenance: each source's article file and every verbatim anchor, against the corpus."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from ..findings import Finding
from .completeness import completeness_findings
from .hints import near_miss
from ..model.tableschema import TableSchema

CONTEXT = 20  # code points kept in prefix and suffix


def load_articles(sources: pd.DataFrame, schema: TableSchema, table: str, corpus: Path, path: str) -> tuple[dict[str, str], list[Finding]]:
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
            out.append(Finding("corpus-file-missing", f"article file {name!r} is not in the corpus {corpus}",
                               table=table, path=path, line=int(line), field=spec.file, value=name))
            continue
        data = file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if not pd.isna(sha) and digest != sha:
            out.append(Finding("corpus-hash-mismatch", f"{name} has sha256 {digest}, not the recorded {sha}: the article changed "
                               f"or --corpus names another corpus; the rows of {sid} are not checked against it",
                               table=table, path=path, line=int(line), field=spec.sha256, value=sha))
            continue  # its rows' anchors would only repeat this finding
        try:
            texts[sid] = data.decode("utf-8")
        except UnicodeDecodeError:
            out.append(Finding("corpus-file-missing", f"article file {name!r} is not UTF-8",
                               table=table, path=path, line=int(line), field=spec.file, value=name))
    return texts, out


def nearest(article: str, text: str, near: int) -> int | None:
    """Offset of the occurrence of ``text`` closest to ``near``, or None."""
    best, i = None, article.find(text)
    while i != -1:
        if best is None or abs(i - near) < abs(best - near):
            best = i
        i = article.find(text, i + 1)
    return best


def _short(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def anchor_findings(frame: pd.DataFrame, schema: TableSchema, table: str, path: str, articles: dict[str, str]) -> list[Finding]:
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
            add("anchor-text-mismatch", field, text,
                f"expected {_short(text)!r} at {start}..{end} of {sid}, found {_short(found)!r}; {where} (run natodata anchor)")
            continue
        prefix = "" if pd.isna(prefix) else prefix
        suffix = "" if pd.isna(suffix) else suffix
        if article[max(0, start - len(prefix)):start] != prefix or len(prefix) > start:
            add("anchor-prefix-mismatch", a.prefix, prefix,
                f"prefix {prefix!r} does not precede the text; the article has {article[max(0, start - len(prefix)):start]!r}")
        if article[end:end + len(suffix)] != suffix:
            add("anchor-suffix-mismatch", a.suffix, suffix,
                f"suffix {suffix!r} does not follow the text; the article has {article[end:end + len(suffix)]!r}")
    return out


def mention_findings(frame: pd.DataFrame, schema: TableSchema, table: str, path: str, articles: dict[str, str]) -> list[Finding]:
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
            out.append(Finding("not-in-source", f"{value!r} does not occur in the article of {sid}{inside}",
                               table=table, path=path, line=int(line), field=field, value=value))
    return out


#: Characters that join the parts of a compound word (US-led, 500-strong).
HYPHENS = "-\u2010\u2011"


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


def provenance_findings(tables: dict, corpus: Path) -> list[Finding]:
    """Every provenance check over read tables (``natodata.tables.read.LoadedTable``s)."""
    src = next((t for t in tables.values() if t.schema.corpus is not None), None)
    if src is None or not src.complete:
        return []
    articles, out = load_articles(src.typed, src.schema, src.name, corpus, src.path)
    for t in tables.values():
        out += anchor_findings(t.typed, t.schema, t.name, t.path, articles)
    for t in tables.values():
        out += mention_findings(t.typed, t.schema, t.name, t.path, articles)
    out += completeness_findings(tables, articles, src)
    return out
