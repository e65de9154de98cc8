"""What the view draws, from the schemas alone, and what it shows of each drawn row.

A *layer* is a table drawn on the articles:

* a table with ``x-anchor`` and ``x-source`` draws each row on its span, in a colour and
  an underline pattern of its own, with a short text label (:data:`PALETTE`); a table whose
  ``x-covers`` says ``"content": false`` (page furniture) draws the span up to its
  ``extent``, as completeness counts it;
* a table with ``x-source`` and fields marked ``x-asWritten`` (aliases, titles) underlines
  each place its values occur in the article, as ``not-in-source`` finds them.

Each drawn row is shown with its fields, the label of each row a field refers to (a
single-field foreign key; the label column is the one Datasette shows), and for a row
that refers to a row with dates or link tables (an event) that row's dates and members
(its participants): rows of a table without ``x-source`` whose primary key starts with a
field referring to it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from ...tables.read import Loaded, LoadedTable
from ..datasette import label_column


@dataclass(frozen=True)
class Style:
    colour: str  # underline, label background and swatch: at least 4.5:1 against white
    tint: str  # the span's background, under near-black text
    pattern: str  # the underline's CSS border style
    hatched: bool = False  # a hatched background as well

    @property
    def describe(self) -> str:
        return self.pattern + (" underline, hatched" if self.hatched else " underline")


#: One style per layer, in the descriptor's order of the drawn tables (then again, with the
#: label telling them apart). Every colour carries white label text at WCAG AA (4.5:1).
PALETTE = (
    Style("#0b57d0", "#e3ecfd", "solid"),
    Style("#8a4b00", "#fbeedd", "double"),
    Style("#146c2e", "#e2f3e6", "dashed"),
    Style("#6f3fb5", "#efe7fa", "dotted"),
    Style("#00687a", "#ddf1f4", "solid", True),
    Style("#a2156b", "#fae4f1", "double", True),
    Style("#4d5b23", "#eef1e0", "dashed", True),
    Style("#5b5b5b", "#ececec", "dotted", True),
)
#: Quotations and numbers no row accounts for (and the findings' marks).
UNCOVERED = Style("#b3261e", "#fde7e5", "dashed")
#: The underline of an as-written mention.
MENTION = Style("#3d3d3d", "", "dotted")


@dataclass(frozen=True)
class Layer:
    table: str
    title: str
    tag: str  # the short label drawn at the start of each span
    index: int  # the position in PALETTE: CSS class t<index>
    mentions: tuple[str, ...] = ()  # the x-asWritten fields of a mention layer
    furniture: bool = False  # "content": false: the span runs to the row's extent

    @property
    def style(self) -> Style:
        return PALETTE[self.index % len(PALETTE)]

    @property
    def anchored(self) -> bool:
        return not self.mentions


def _title(loaded: Loaded, name: str) -> str:
    res = loaded.package.resource(name)
    title = res.descriptor.get("title") if res is not None else None
    return title if isinstance(title, str) and title.strip() else name


def _tags(names: list[str]) -> dict[str, str]:
    """Each table's label: the shortest prefix (3 letters at least) of the last word of
    its name (``actor_aliases``: ``ali``) that tells it from the others' labels."""
    words = {name: name.replace("-", "_").rstrip("_").rsplit("_", 1)[-1] or name for name in names}
    out = {}
    for name, word in words.items():
        n = min(3, len(word))
        while n < len(word) and any(o != name and w.startswith(word[:n]) for o, w in words.items()):
            n += 1
        out[name] = word[:n]
    clash = {t for t in out.values() if list(out.values()).count(t) > 1}
    return {name: name if tag in clash else tag for name, tag in out.items()}  # the same last word: the names


def layers(loaded: Loaded) -> list[Layer]:
    """The drawn tables, in the descriptor's order: anchored tables, then mention tables."""
    anchored, mentioned = [], []
    for name, t in loaded.tables.items():
        s = t.schema
        if s.source_field is None or not t.complete:
            continue
        if s.anchor is not None:
            covers = s.descriptor.get("x-covers")
            anchored.append((name, isinstance(covers, dict) and covers.get("content", True) is False))
        elif any(f.as_written for f in s.fields):
            mentioned.append(name)
    tags = _tags([n for n, _ in anchored] + mentioned)
    out = [Layer(n, _title(loaded, n), tags[n], i, furniture=fur) for i, (n, fur) in enumerate(anchored)]
    for name in mentioned:
        fields = tuple(f.name for f in loaded.tables[name].schema.fields if f.as_written)
        out.append(Layer(name, _title(loaded, name), tags[name], len(out), mentions=fields))
    return out


def text(value) -> str:
    """A cell as written ("" for a missing one)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


@dataclass
class Related:
    """A row another row refers to: its label, dates and members."""

    title: str  # the referenced table's title and the row's key
    label: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    members: list[tuple[str, str]] = field(default_factory=list)  # (table title, member)


@dataclass
class Row:
    id: str  # the HTML id of its details
    layer: Layer
    key: str  # the primary key's values, comma-joined
    fields: list[tuple[str, str, str]]  # (name, value as written, label of the row it refers to)
    related: list[Related]
    href: str | None  # the row in Datasette, when served
    line: int | None = None  # its line in the table's file
    locating: frozenset[str] = frozenset()  # the fields that locate its span (offsets, context)
    span: str | None = None  # the HTML id of its span, if it is drawn as one

    def value(self, name: str) -> str:
        return next((v for n, v, _ in self.fields if n == name), "")


_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def tilde(s: str) -> str:
    """Datasette's tilde encoding of a table name or key value in a URL."""
    return "".join(chr(b) if b in _SAFE else "+" if b == 0x20 else f"~{b:02X}" for b in s.encode("utf-8"))


class Details:
    """Row details over a loaded package; ``datasette`` is the URL of the database when
    the pages are served beside Datasette (``../natodata``), else None."""

    def __init__(self, loaded: Loaded, datasette: str | None = None):
        self.loaded, self.datasette = loaded, datasette
        self._by_key: dict[str, dict[str, dict]] = {}
        self._members: dict[str, list[tuple[LoadedTable, str]]] = defaultdict(list)
        for t in loaded.tables.values():
            s = t.schema
            if s.source_field is not None or s.anchor is not None or not t.complete or not s.primary_key:
                continue
            for fk in s.foreign_keys:
                if len(fk["fields"]) == 1 and fk["fields"][0] == s.primary_key[0]:
                    self._members[fk["resource"] or t.name].append((t, fk["fields"][0]))
        self._grouped: dict[tuple[str, str], dict[str, list[dict]]] = {}
        self._labels: dict[str, str | None] = {}

    def rows_of(self, table: str) -> dict[str, dict]:
        """A table with a one-field primary key, by key: {field: value as written}."""
        if table not in self._by_key:
            t = self.loaded.tables.get(table)
            out: dict[str, dict] = {}
            if t is not None and len(t.schema.primary_key) == 1 and t.schema.primary_key[0] in t.raw.columns:
                cols = list(t.raw.columns)
                for values in t.raw.itertuples(index=False, name=None):
                    row = {c: text(v) for c, v in zip(cols, values)}
                    out.setdefault(row[t.schema.primary_key[0]], row)
            self._by_key[table] = out
        return self._by_key[table]

    def label(self, table: str, key: str) -> str:
        """The row's label: the value of its table's label column (as Datasette shows it)."""
        if table not in self._labels:
            t = self.loaded.tables.get(table)
            self._labels[table] = label_column(t.schema) if t is not None else None
        col = self._labels[table]
        row = self.rows_of(table).get(key)
        return row.get(col, "") if row is not None and col else ""

    def _group(self, t: LoadedTable, fld: str) -> dict[str, list[dict]]:
        if (t.name, fld) not in self._grouped:
            groups: dict[str, list[dict]] = defaultdict(list)
            cols = list(t.raw.columns)
            for values in t.raw.itertuples(index=False, name=None):
                row = {c: text(v) for c, v in zip(cols, values)}
                groups[row[fld]].append(row)
            self._grouped[(t.name, fld)] = groups
        return self._grouped[(t.name, fld)]

    def related(self, table: str, key: str) -> Related | None:
        """A referenced row with dates or members (an event), else None."""
        t = self.loaded.tables.get(table)
        row = self.rows_of(table).get(key)
        if t is None or row is None:
            return None
        dates = [(f.name, row.get(f.name, "")) for f in t.schema.fields if f.is_partial_date and row.get(f.name)]
        members = []
        for link, fld in self._members.get(table, []):
            refs = {
                fk["fields"][0]: fk["resource"] or link.name
                for fk in link.schema.foreign_keys
                if len(fk["fields"]) == 1 and fk["fields"][0] not in (fld,)
            }
            rest = [f for f in link.schema.field_names if f != fld and f not in refs]
            for m in self._group(link, fld).get(key, []):
                names = [self.label(refs[f], m[f]) or m[f] for f in refs if m.get(f)]
                extra = [m[f] for f in rest if m.get(f)]
                members.append(
                    (_title(self.loaded, link.name), ", ".join(names) + (f" ({', '.join(extra)})" if extra else ""))
                )
        if not dates and not members:
            return None
        return Related(f"{_title(self.loaded, table)}: {key}", self.label(table, key), dates, members)

    def _is_corpus(self, table: str) -> bool:
        t = self.loaded.tables.get(table)
        return t is not None and t.schema.corpus is not None

    def row(self, html_id: str, layer: Layer, values: dict[str, str], line: int | None = None) -> Row:
        t = self.loaded.tables[layer.table]
        s = t.schema
        refs = {fk["fields"][0]: fk["resource"] or t.name for fk in s.foreign_keys if len(fk["fields"]) == 1}
        fields, related = [], []
        for name in s.field_names:
            value = values.get(name, "")
            target = refs.get(name)
            label = self.label(target, value) if target and value else ""
            fields.append((name, value, label if label != value else ""))
            if target and value and target != layer.table and not self._is_corpus(target):
                rel = self.related(target, value)
                if rel is not None:
                    related.append(rel)
        key_values = [values.get(k, "") for k in s.primary_key]
        href = None
        if self.datasette is not None and s.primary_key:
            href = f"{self.datasette}/{tilde(layer.table)}/{','.join(tilde(v) for v in key_values)}"
        a = s.anchor
        locating = frozenset((a.start, a.end, a.prefix, a.suffix) if a is not None else ())
        return Row(html_id, layer, ", ".join(key_values), fields, related, href, line, locating)
