"""The site: an index and one page per article, with the findings of ``validate --corpus``
placed on their articles and spans, written all or none.

A finding belongs to an article when it names a row of the table listing the articles
(``x-corpus``; ``uncoded-quotation`` and ``uncoded-number`` are then linked to the
quotation or number they report) or a row of a table with ``x-source`` (linked to the
row's span, or to its details when it has none). The others are the package's, listed on
the index.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib.resources import files
from numbers import Integral
from pathlib import Path

from ...errors import NatodataError, NothingToDraw, UnreadableInput, UnwritableOutput
from ...findings import Finding
from .layers import MENTION, PALETTE, UNCOVERED, Details, Layer, Row, layers, text
from .spans import MENTION as MENTIONED, ROW, UNCOVERED as UNACCOUNTED, Span, valid

STYLESHEET, SCRIPT = "view.css", "view.js"
HATCH = "repeating-linear-gradient(135deg, transparent 0 5px, rgba(0, 0, 0, .09) 5px 7px)"


@dataclass
class Placed:
    """A finding as a page lists it: its HTML id and where it links to."""

    id: str
    finding: Finding
    href: str | None = None  # "#s3" on the article's page


@dataclass
class Article:
    sid: str
    page: str  # the file name of its page
    file: str
    headline: str
    published: str
    text: str | None  # None when the file is missing or not the one recorded
    findings: list[Placed] = field(default_factory=list)
    rows: dict[str, list[Row]] = field(default_factory=dict)  # by table
    spans: list[Span] = field(default_factory=list)
    coverage: dict[str, object] = field(default_factory=dict)

    def count(self, severity: str) -> int:
        return sum(p.finding.severity == severity for p in self.findings)


_PAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,80}")


def _pages(ids: list[str]) -> list[str]:
    """A file name per source: its id where that is a safe, unused name, else source-N."""
    out, used = [], {"index"}
    for i, sid in enumerate(ids):
        name = (
            sid if _PAGE.fullmatch(sid) and sid.lower() not in used and not sid.startswith(".") else f"source-{i + 1}"
        )
        while name.lower() in used:
            name += "-"
        used.add(name.lower())
        out.append(name + ".html")
    return out


def _offset(value) -> int | None:
    """An offset as an int; None for a blank or anything that is not an integer."""
    return int(value) if isinstance(value, Integral) and not isinstance(value, bool) else None


class _Site:
    def __init__(self, root: Path, corpus: Path, datasette: str | None):
        from ...checks.completeness import covering_tables
        from ...checks.provenance import load_articles
        from ...checks.validate import validate
        from ...tables.read import read_tables

        self.report = validate(root, corpus)
        self.loaded = read_tables(root)
        src = self.loaded.sources
        if src is None or not src.schema.primary_key or not src.complete:
            raise NothingToDraw(
                "nothing to view: the package has no readable table listing its articles "
                "(x-corpus); run natodata validate for details"
            )
        self.src, self.corpus = src, corpus
        self.texts, _ = load_articles(src.typed, src.schema, src.name, corpus, src.path)
        self.layers = layers(self.loaded)
        self.details = Details(self.loaded, datasette)
        self.complete = bool(covering_tables(self.loaded.tables))
        self._ids = 0

    def next_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}{self._ids}"

    def articles(self) -> list[Article]:
        s = self.src.schema
        key, spec = s.primary_key[0], s.corpus
        label = self.details.label
        rows = [(int(line), text(sid)) for line, sid in self.src.raw[key].items() if text(sid)]
        out = []
        for (line, sid), page in zip(rows, _pages([sid for _, sid in rows])):
            raw = self.src.raw.loc[line]
            out.append(
                Article(
                    sid,
                    page,
                    text(raw.get(spec.file)),
                    label(self.src.name, sid),
                    text(raw.get(spec.published)) if spec.published else "",
                    self.texts.get(sid),
                )
            )
        return out

    def draw(self, arts: list[Article]) -> None:
        """Each article's rows and spans."""
        by_sid = {a.sid: a for a in arts}
        for layer in self.layers:
            t = self.loaded.tables[layer.table]
            source, anchor = t.schema.source_field, t.schema.anchor
            cols = list(t.raw.columns)
            for line, values in zip(t.raw.index.tolist(), t.raw.itertuples(index=False, name=None)):
                row = {c: text(v) for c, v in zip(cols, values)}
                art = by_sid.get(row.get(source, ""))
                if art is None:
                    continue
                r = self.details.row(self.next_id("r"), layer, row, int(line))
                art.rows.setdefault(layer.table, []).append(r)
                if art.text is None:
                    continue
                if anchor is not None:
                    self._anchored(art, layer, r, t.typed, line, anchor)
                else:
                    for name in layer.mentions:
                        self._mentions(art, layer, r, row.get(name, ""))

    def _anchored(self, art: Article, layer: Layer, r: Row, typed, line, anchor) -> None:
        from ...checks.completeness import furniture_end

        start, end = (_offset(typed.at[line, f]) for f in (anchor.start, anchor.end))
        if not valid(start, end, len(art.text)):
            return
        if layer.furniture:
            extent = self.loaded.tables[layer.table].schema.descriptor["x-covers"].get("extent")
            end = furniture_end(art.text, start, end, r.value(extent) if extent else "excerpt")
        r.span = self.next_id("s")
        art.spans.append(Span(start, end, ROW, r.id, f"t{layer.index}", layer.tag, r.span, r.href, len(art.spans)))

    def _mentions(self, art: Article, layer: Layer, r: Row, value: str) -> None:
        from ...checks.provenance import occurrences

        for at in occurrences(value, art.text) if value else ():
            art.spans.append(
                Span(at, at + len(value), MENTIONED, r.id, f"mention m{layer.index}", order=len(art.spans))
            )

    def place(self, arts: list[Article]) -> list[Placed]:
        """Put each finding on its article (and span); return the package's own findings."""
        by_sid = {a.sid: a for a in arts}
        src = self.src
        sid_at = {int(line): text(sid) for line, sid in src.raw[src.schema.primary_key[0]].items()}
        rows_at = {(r.layer.table, r.line): (a, r) for a in arts for rs in a.rows.values() for r in rs}
        package, uncoded = [], defaultdict(list)
        for f in self.report.sorted():
            placed = Placed(self.next_id("f"), f)
            if f.table == src.name and f.line in sid_at and sid_at[f.line] in by_sid:
                art = by_sid[sid_at[f.line]]
                art.findings.append(placed)
                if f.type in ("uncoded-quotation", "uncoded-number"):
                    uncoded[(art.sid, f.type, f.value)].append(placed)
            elif (f.table, f.line) in rows_at:
                art, r = rows_at[(f.table, f.line)]
                placed.href = f"#{r.span or r.id}"
                art.findings.append(placed)
            else:
                package.append(placed)
        if self.complete:
            self._uncovered(arts, uncoded)
        return package

    def _uncovered(self, arts: list[Article], uncoded: dict) -> None:
        """Mark what the completeness check reports unaccounted for, linked to its finding."""
        from ...checks.completeness import QUOTATIONS, coverage

        cov = coverage(self.loaded.tables, self.texts)
        for art in arts:
            for item in cov[art.sid].uncovered if art.sid in cov else ():
                kind = "uncoded-quotation" if item.kind == QUOTATIONS else "uncoded-number"
                waiting = uncoded.get((art.sid, kind, item.text))
                placed = waiting.pop(0) if waiting else None
                span = Span(
                    item.start,
                    item.end,
                    UNACCOUNTED,
                    placed.id if placed else "",
                    tag="!",
                    id=self.next_id("s"),
                    order=len(art.spans),
                )
                if placed is not None:
                    placed.href = f"#{span.id}"
                art.spans.append(span)

    def coverage(self, arts: list[Article]) -> list[str]:
        """``stats --corpus`` per article (its columns), where the package allows it."""
        from .. import stats

        try:
            table = stats.coverage_of(self.loaded, self.corpus)
        except (NatodataError, KeyError):  # a package without the tables or columns stats counts: still drawn
            return []
        for a in arts:
            if a.sid in table.index:
                a.coverage = {c: table.at[a.sid, c] for c in table.columns}
        return list(table.columns)


def build_site(root: Path | str, corpus: Path | str, out: Path | str, datasette: str | None = None) -> list[Path]:
    """Write the site for the package at ``root`` into ``out``: ``index.html``, a page per
    article, the stylesheet and the script. ``datasette`` is the database's URL relative to
    the pages when they are served beside Datasette. Returns the files written."""
    from ...atomic import write_files
    from .pages import render_pages

    corpus, out = Path(corpus), Path(out)
    if not corpus.is_dir():
        raise UnreadableInput(f"corpus directory not found: {corpus}")
    if out.exists() and not out.is_dir():
        raise UnwritableOutput(f"cannot write into {out}: it is not a directory; nothing written")
    site = _Site(Path(root), corpus, datasette)
    arts = site.articles()
    site.draw(arts)
    package = site.place(arts)
    columns = site.coverage(arts)
    pages = render_pages(site.loaded.package, site.layers, arts, package, columns, datasette)
    static = files("natodata.tools.view") / "static"
    pages[STYLESHEET] = static.joinpath(STYLESHEET).read_text(encoding="utf-8") + palette_css(site.layers)
    pages[SCRIPT] = static.joinpath(SCRIPT).read_text(encoding="utf-8")
    return write_files({out / name: text.encode("utf-8") for name, text in pages.items()}, home=out)


def palette_css(drawn: list[Layer]) -> str:
    """The layers' colours and patterns, generated from :data:`~.layers.PALETTE`."""
    lines = ["", "/* generated from natodata.tools.view.layers.PALETTE */"]
    for i in sorted({layer.index for layer in drawn} | set(range(len(PALETTE)))):
        s = PALETTE[i % len(PALETTE)]
        hatch = f" --hatch: {HATCH};" if s.hatched else ""
        lines.append(f".t{i} {{ --c: {s.colour}; --tint: {s.tint}; --pattern: {s.pattern};{hatch} }}")
    lines.append(f".uncovered {{ --c: {UNCOVERED.colour}; --tint: {UNCOVERED.tint}; --pattern: {UNCOVERED.pattern}; }}")
    lines.append(f".mention {{ --c: {MENTION.colour}; }}")
    return "\n".join(lines) + "\n"
