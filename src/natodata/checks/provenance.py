"""Provenance: each source's article file and every verbatim anchor, against the corpus."""

from __future__ import annotations

import errno
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from ..findings import Finding
from ..safeio import NotRegular, TooLarge, read_capped, reason
from .frames import row_chunks
from .hints import near_miss
from ..model.tableschema import TableSchema

#: The largest article file read, in bytes (a news article is a few tens of kilobytes).
MAX_ARTICLE_BYTES = 8 * 1024**2


def declares_provenance(pkg) -> bool:
    """Whether a package's schemas ask for the provenance checks: a table listing the
    articles (``x-corpus``) or anchored rows (``x-anchor``)."""
    return any(
        r.schema is not None and (r.schema.corpus is not None or r.schema.anchor is not None) for r in pkg.resources
    )


def load_articles(
    sources: pd.DataFrame, schema: TableSchema, table: str, corpus: Path, path: str
) -> tuple[dict[str, str], list[Finding]]:
    """Read each source's article (the table whose schema has ``x-corpus``); check it
    exists and matches its sha256. Returns ``{source id: text}`` and the findings.

    Only an article whose recorded sha256 it has is returned, so no later message can
    quote a file that is not known to be the article: a blank sha256 is a
    ``corpus-hash-missing`` finding. An article file must be a regular file directly in
    the corpus directory, no larger than :data:`MAX_ARTICLE_BYTES`; a symbolic link (to
    anywhere), a device, a FIFO or a socket is a ``corpus-file-unsafe`` finding and is
    never opened for reading (see :func:`read_article`)."""
    texts: dict[str, str] = {}
    out: list[Finding] = []
    spec, key = schema.corpus, schema.primary_key[0]

    def column(name: str) -> list:
        return sources[name].tolist() if name in sources.columns else [None] * len(sources)

    for line, name, sid, sha in zip(sources.index.tolist(), column(spec.file), column(key), column(spec.sha256)):
        if pd.isna(name) or pd.isna(sid):
            continue

        def finding(type_: str, message: str, fld: str = spec.file, value=name) -> None:
            out.append(Finding(type_, message, table=table, path=path, line=int(line), field=fld, value=value))

        data, problem = read_article(corpus, name)
        if problem is not None:
            type_, why = problem
            finding(type_, f"article file {name!r} {why}")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if pd.isna(sha):
            finding(
                "corpus-hash-missing",
                f"source {sid} records no sha256, so {name} cannot be verified as its article; "
                f"the rows of {sid} are not checked against it",
                spec.sha256,
                "",
            )
            continue
        if digest != sha:
            finding(
                "corpus-hash-mismatch",
                f"{name} has sha256 {digest}, not the recorded {sha}: the article changed "
                f"or --corpus names another corpus; the rows of {sid} are not checked against it",
                spec.sha256,
                sha,
            )
            continue  # its rows' anchors would only repeat this finding
        try:
            texts[sid] = data.decode("utf-8")
        except UnicodeDecodeError:
            finding("corpus-file-missing", f"article file {name!r} is not UTF-8")
    return texts, out


def read_article(corpus: Path, name: str) -> tuple[bytes | None, tuple[str, str] | None]:
    """The bytes of article ``name`` in ``corpus``, or ``(None, (finding type, reason))``.

    A symbolic link is refused before anything is opened, and the file is opened without
    following one (``O_NOFOLLOW``); what it is and its size are asked of the open file
    (:func:`natodata.safeio.read_capped`)."""
    if not isinstance(name, str) or name in ("", ".", "..") or any(c in name for c in "/\\\0"):
        return None, ("corpus-file-missing", f"is not in the corpus {corpus}")
    try:
        return read_capped(corpus / name, MAX_ARTICLE_BYTES, follow_symlinks=False), None
    except FileNotFoundError:
        return None, ("corpus-file-missing", f"is not in the corpus {corpus}")
    except NotRegular as exc:
        if "directory" in str(exc):
            return None, ("corpus-file-missing", f"is not in the corpus {corpus}")
        link = "" if "link" not in str(exc) else ", never what a symbolic link points to"
        return None, ("corpus-file-unsafe", f"{exc}; natodata reads only regular files in the corpus directory{link}")
    except TooLarge as exc:
        return None, ("corpus-file-unsafe", f"{exc} for an article")
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link that appeared after the check
            return None, (
                "corpus-file-unsafe",
                "is a symbolic link; natodata reads only regular files in the corpus "
                "directory, never what a symbolic link points to",
            )
        return None, ("file-unreadable", f"cannot be read: {reason(exc)}")


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


def shown_found(found: str, text: str) -> str:
    """What a mismatch message quotes of the article's ``found`` text in place of the
    row's ``text``: no more characters than the row's own excerpt has (and at most 60),
    whatever span its offsets claim."""
    n = max(len(text), 1)
    return _short(found if len(found) <= n else found[:n] + "…")


def anchor_findings(
    frame: pd.DataFrame, schema: TableSchema, table: str, path: str, articles: dict[str, str]
) -> list[Finding]:
    """Every row's verbatim text (``x-anchor``) against its article (``x-source``).

    A row whose text, prefix and suffix are all where it says passes a cheap test; only
    the others are looked at closely (:func:`_anchor_row`), in row order."""
    a, source = schema.anchor, schema.source_field
    out: list[Finding] = []
    if a is None or source is None or not {source, *a.fields} <= set(frame.columns):
        return out
    get = articles.get
    for lines, cols in row_chunks(frame, (source, *a.fields)):
        ok = [
            type(text) is str
            and type(start) is int
            and type(end) is int
            and start >= 0
            and (article := get(sid)) is not None
            and article[start:end] == text
            and (
                type(prefix) is not str
                or (len(prefix) <= start and article[max(0, start - len(prefix)) : start] == prefix)
            )
            and (type(suffix) is not str or article[end : end + len(suffix)] == suffix)
            for sid, text, start, end, prefix, suffix in zip(*cols)
        ]
        for i in (i for i, good in enumerate(ok) if not good):
            _anchor_row(out, a, table, path, articles, lines[i], *(c[i] for c in cols))
    return out


def _anchor_row(
    out: list[Finding], a, table: str, path: str, articles: dict[str, str], line, sid, text, start, end, prefix, suffix
) -> None:
    """One row's anchor findings, appended to ``out``."""
    article = articles.get(sid)
    if article is None or pd.isna(text) or pd.isna(start) or pd.isna(end):
        return
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
            a.text,
            text,
            f"expected {_short(text)!r} at {start}..{end} of {sid}, found {shown_found(found, text)!r}; {where} (run natodata anchor)",
        )
        return
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
        for line, sid, value in (
            row for lines, (sids, values) in row_chunks(frame, (source, field)) for row in zip(lines, sids, values)
        ):
            article = articles.get(sid)
            if article is None or (type(value) is not str and pd.isna(value)) or mentioned(value, article):
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


#: Characters that join the parts of a compound word (US-led, 500-strong).
HYPHENS = "-\u2010\u2011"


def _whole(value: str, article: str, at: int) -> bool:
    """Whether the occurrence of ``value`` at ``at`` is a whole mention (see :func:`mentioned`)."""
    end = at + len(value)
    before = article[at - 1] if at else ""
    after = article[end] if end < len(article) else ""
    if (before.isalnum() or before == "_") or (after.isalnum() or after == "_"):
        return False
    return not (before and before in HYPHENS and value[:1].islower())


def mentioned(value: str, article: str) -> bool:
    """Whether ``value`` occurs in ``article`` as a whole mention: not inside a longer word
    ("Trump administratio"), and not a lowercase continuation of a hyphenated compound
    ("led multinational coalition" in "US-led multinational coalition"). A capitalised
    name after a hyphen ("IS" in "Anti-IS") and a possessive after it ("Trump's") count.

    The occurrences looked at are those a left-to-right search finds without overlap."""
    if not value:  # it occurs everywhere, and a search without overlap finds every place
        return any(_whole(value, article, m.start()) for m in re.finditer("", article))
    return next(occurrences(value, article), None) is not None


def occurrences(value: str, article: str) -> Iterator[int]:
    """The offsets of the whole mentions of a non-empty ``value`` in ``article`` (see
    :func:`mentioned`), in article order."""
    at = article.find(value) if value else -1
    while at != -1:
        if _whole(value, article, at):
            yield at
        at = article.find(value, at + len(value))
