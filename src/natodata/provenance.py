"""Provenance: each source's article file and every verbatim anchor, against the corpus."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from .findings import Finding, Severity
from .tableschema import TableSchema

CONTEXT = 20  # code points kept in prefix and suffix


def load_articles(sources: pd.DataFrame, corpus: Path, path: str) -> tuple[dict[str, str], list[Finding]]:
    """Read each source's article; check it exists and matches its sha256."""
    texts: dict[str, str] = {}
    out: list[Finding] = []
    for line, row in sources.iterrows():
        name = row.get("corpus_file")
        if pd.isna(name) or pd.isna(row.get("id")):
            continue
        file = corpus / name
        if "/" in name or "\\" in name or not file.is_file():
            out.append(Finding("corpus-file-missing", Severity.ERROR, f"article file {name!r} is not in the corpus {corpus}",
                               table="sources", path=path, line=int(line), field="corpus_file", value=name))
            continue
        data = file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if not pd.isna(row.get("sha256")) and digest != row["sha256"]:
            out.append(Finding("corpus-hash-mismatch", Severity.ERROR,
                               f"{name} has sha256 {digest}, not the recorded {row['sha256']}: the article changed",
                               table="sources", path=path, line=int(line), field="sha256", value=row["sha256"]))
        try:
            texts[row["id"]] = data.decode("utf-8")
        except UnicodeDecodeError:
            out.append(Finding("corpus-file-missing", Severity.ERROR, f"article file {name!r} is not UTF-8",
                               table="sources", path=path, line=int(line), field="corpus_file", value=name))
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
    field = schema.anchor_field
    out: list[Finding] = []
    need = {field, "source_id", "start", "end", "prefix", "suffix"}
    if field is None or not need <= set(frame.columns):
        return out
    for line, sid, text, start, end, prefix, suffix in frame[["source_id", field, "start", "end", "prefix", "suffix"]].itertuples(name=None):
        article = articles.get(sid)
        if article is None or pd.isna(text) or pd.isna(start) or pd.isna(end):
            continue
        start, end, line = int(start), int(end), int(line)

        def add(type_, fld, value, message):
            out.append(Finding(type_, Severity.ERROR, message, table=table, path=path, line=line, field=fld, value=value))

        found = article[start:end]
        if found != text:
            at = nearest(article, text, start)
            where = f"it occurs at {at}..{at + len(text)}" if at is not None else "it does not occur in the article"
            add("anchor-text-mismatch", field, text,
                f"expected {_short(text)!r} at {start}..{end} of {sid}, found {_short(found)!r}; {where} (run natodata anchor)")
            continue
        prefix = "" if pd.isna(prefix) else prefix
        suffix = "" if pd.isna(suffix) else suffix
        if article[max(0, start - len(prefix)):start] != prefix or len(prefix) > start:
            add("anchor-prefix-mismatch", "prefix", prefix,
                f"prefix {prefix!r} does not precede the text; the article has {article[max(0, start - len(prefix)):start]!r}")
        if article[end:end + len(suffix)] != suffix:
            add("anchor-suffix-mismatch", "suffix", suffix,
                f"suffix {suffix!r} does not follow the text; the article has {article[end:end + len(suffix)]!r}")
    return out


def mention_findings(frame: pd.DataFrame, table: str, path: str, field: str, articles: dict[str, str]) -> list[Finding]:
    """Names and titles said to be "as written" must occur in their source's article."""
    out: list[Finding] = []
    if not {field, "source_id"} <= set(frame.columns):
        return out
    for line, sid, value in frame[["source_id", field]].itertuples(name=None):
        article = articles.get(sid)
        if article is None or pd.isna(value) or value in article:
            continue
        out.append(Finding("not-in-source", Severity.ERROR, f"{value!r} does not occur in the article of {sid}",
                           table=table, path=path, line=int(line), field=field, value=value))
    return out
