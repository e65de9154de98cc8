"""``anchor``: fill or refresh start/end/prefix/suffix from each row's verbatim text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..checks.columns import CONTROL_RE
from ..checks.hints import near_miss
from ..checks.provenance import load_articles
from ..errors import AnchorError, UnreadableInput
from ..atomic import recover, write_files
from ..model.location import locate
from ..report import finding_line
from ..tables.canonical import canonical_text
from ..tables.read import read_tables

#: Where a context ends: a line break or any other character no cell may hold.
_CONTEXT_END = re.compile(CONTROL_RE)
NOT_FOUND = "does not occur in the article"
#: Code points of context kept when the schema does not limit ``prefix``/``suffix``
#: (``constraints.maxLength``, which the shipped schemas set to this).
DEFAULT_CONTEXT = 20


def occurrences(article: str, text: str) -> list[int]:
    out, i = [], article.find(text)
    while i != -1:
        out.append(i)
        i = article.find(text, i + 1)
    return out


def context_limits(schema, anchor) -> tuple[int, int]:
    """How many code points the schema lets ``prefix`` and ``suffix`` hold: their fields'
    ``maxLength``, else :data:`DEFAULT_CONTEXT`."""

    def limit(name: str) -> int:
        f = schema.field(name)
        n = f.constraints.get("maxLength") if f is not None else None
        return n if isinstance(n, int) and not isinstance(n, bool) and n >= 0 else DEFAULT_CONTEXT

    return limit(anchor.prefix), limit(anchor.suffix)


def context(
    article: str, start: int, end: int, limits: tuple[int, int] = (DEFAULT_CONTEXT, DEFAULT_CONTEXT)
) -> tuple[str, str]:
    """Prefix and suffix: exactly the article's characters before and after the text, up
    to ``limits`` code points (before, after: the schema's, :func:`context_limits`),
    stopping at a line break or a control character (which no
    cell may hold). Nothing else is dropped: a suffix may start with "-" or "=", and
    they are verbatim fields of the schema's ``x-anchor``, which validate exempts from the formula check."""
    before = article[max(0, start - limits[0]) : start]
    after = article[end : end + limits[1]]
    cut = [m.end() for m in _CONTEXT_END.finditer(before)]
    stop = _CONTEXT_END.search(after)
    return before[cut[-1] if cut else 0 :], after[: stop.start() if stop else len(after)]


def choose(article: str, text: str, start, prefix, suffix) -> tuple[int | None, str]:
    """Pick the occurrence of ``text``; return ``(offset, "")`` or ``(None, reason)``."""
    found = occurrences(article, text)
    if not found:
        return None, NOT_FOUND
    if len(found) == 1:
        return found[0], ""
    prefix = "" if pd.isna(prefix) else prefix
    suffix = "" if pd.isna(suffix) else suffix
    if prefix or suffix:
        fit = [i for i in found if article[:i].endswith(prefix) and article[i + len(text) :].startswith(suffix)]
        if len(fit) == 1:
            return fit[0], ""
    if not pd.isna(start) and int(start) in found:
        return int(start), ""
    return (
        None,
        f"occurs {len(found)} times (at {', '.join(map(str, found))}); set start, or a prefix or suffix that picks one",
    )


@dataclass
class AnchorResult:
    rows: int
    changed_rows: int
    changed_files: list[str]


def anchor_package(path: Path | str | None, corpus: Path | str) -> AnchorResult:
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise UnreadableInput(f"corpus directory not found: {corpus}")
    recover(locate(path).parent)  # a write a killed run left half done: finished first
    loaded = read_tables(path)
    src = loaded.sources
    if src is None or not src.complete:
        raise AnchorError("sources table cannot be read; run natodata validate for details")
    articles, corpus_findings = load_articles(src.typed, src.schema, src.name, corpus, src.path)
    problems: list[str] = [finding_line(f) for f in corpus_findings]
    updates = []
    rows = changed = 0
    for res in loaded.package.resources:
        if res.schema is None or res.schema.anchor is None or res.schema.source_field is None:
            continue
        t = loaded.tables.get(res.name)
        if t is not None and not t.file_backed:
            problems.append(
                f"{res.path}: the table is not one CSV file (inline, several files or compressed); "
                "anchor rewrites CSV files only"
            )
            continue
        if t is None:
            problems += [finding_line(f) for f in loaded.report.findings if f.table == res.name] or [
                f"{res.path}: cannot be read"
            ]
            continue
        a, source = t.schema.anchor, t.schema.source_field
        field = a.text
        blocking = [finding_line(f) for f in loaded.blocking(t)]
        if blocking or not t.complete:
            problems += blocking or [f"{t.path}: header lacks schema fields"]
            continue
        new = t.raw.copy()
        limits = context_limits(t.schema, a)
        for line, row in t.typed.iterrows():
            rows += 1
            text, sid = row[field], row[source]
            if pd.isna(text) or sid not in articles:
                problems.append(f"{t.path}:{line}: no {field} or unknown source {sid!r}")
                continue
            start, why = choose(articles[sid], text, row[a.start], row[a.prefix], row[a.suffix])
            if start is None:
                miss = near_miss(articles[sid], text) if why == NOT_FOUND else None
                problems.append(
                    f"{t.path}:{line}: {field} {text!r} {why} {sid}" + (f"; {miss.describe()}" if miss else "")
                )
                continue
            end = start + len(text)
            prefix, suffix = context(articles[sid], start, end, limits)
            values = {a.start: str(start), a.end: str(end), a.prefix: prefix, a.suffix: suffix}
            if any(new.at[line, k] != v for k, v in values.items()):
                changed += 1
                for k, v in values.items():
                    new.at[line, k] = v
        updates.append((t, new, a))
    if problems:
        raise AnchorError("nothing written; these rows cannot be anchored:\n  " + "\n  ".join(problems))
    root, files = loaded.package.root, {}
    for t, new, a in updates:
        typed = t.typed.assign(**{a.start: pd.to_numeric(new[a.start]).astype("Int64")})  # the sort key may change
        data = canonical_text(new, typed, t.schema).encode("utf-8")
        if (root / t.path).read_bytes() != data:
            files[t.path] = data
    write_files({root / p: data for p, data in files.items()}, home=root)  # every file or none
    return AnchorResult(rows, changed, list(files))
