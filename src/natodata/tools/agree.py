"""``agree``: Krippendorff's alpha per table and field between two codings of the same articles.

Two packages (two coders' codings) are compared on the articles both register with the
same sha256. Units are matched as follows:

- rows of a table with ``x-anchor`` and ``x-source`` (quotes, figures, event evidence,
  furniture, uncoded): within one article, by the overlap of their spans, the largest
  overlaps first, one to one;
- rows of another table with ``x-source`` (aliases, titles) and of the sources table: by
  primary key;
- rows of a table that an anchored table refers to by a foreign key (events through their
  evidence, actors through quote speakers and figure owners): as the matched anchored
  rows pair them.

Each matched pair is then compared field by field: nominal for text and vocabularies (a
blank is a value of its own), interval for numbers. Left out: the primary key, the
fields that locate a span (start, end, prefix, suffix), the source field, the file name
and hash, text in our own words, and grouping ids the coder names freely (a slug field
that refers to no table: statement_id, claim_id). Alpha comes from the ``krippendorff``
library; a field whose matched values never vary has no alpha (its agreement is shown).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import NatodataError
from ..tables.read import LoadedTable, read_tables

RELIABLE, TENTATIVE = 0.800, 0.667
SLUG = "[a-z0-9]+(-[a-z0-9]+)*"
#: Descriptions that mark a field as our own prose, never compared.
OWN_WORDS = ("our own words", "in our words", "words of our own")


def verdict(alpha: float | None) -> str:
    if alpha is None:
        return "no variation"
    return "reliable" if alpha >= RELIABLE else "tentative" if alpha >= TENTATIVE else "unreliable"


@dataclass
class Variable:
    table: str
    field: str
    level: str  # nominal or interval
    units: int
    agreeing: int
    alpha: float | None

    @property
    def verdict(self) -> str:
        return "no units" if self.units == 0 else verdict(self.alpha)


@dataclass
class Agreement:
    sources: list[str]
    matched: dict[str, int] = field(default_factory=dict)
    only_a: dict[str, list[str]] = field(default_factory=dict)
    only_b: dict[str, list[str]] = field(default_factory=dict)
    variables: list[Variable] = field(default_factory=list)


def _compared_fields(t: LoadedTable) -> list:
    s = t.schema
    skip = set(s.primary_key) | {s.source_field}
    if s.anchor is not None:
        skip |= {s.anchor.start, s.anchor.end, s.anchor.prefix, s.anchor.suffix}
    if s.corpus is not None:
        skip |= {s.corpus.file, s.corpus.sha256}
    refs = {f for fk in s.foreign_keys for f in fk["fields"]}
    out = []
    for f in s.fields:
        desc = f.descriptor.get("description", "")
        pattern = f.descriptor.get("constraints", {}).get("pattern")
        if f.name in skip or any(w in desc for w in OWN_WORDS) or (pattern == SLUG and f.name not in refs):
            continue
        out.append(f)
    return out


def _alpha(values_a: list, values_b: list, level: str) -> float | None:
    import krippendorff

    if level == "interval":
        data = np.array([values_a, values_b], dtype=float)
    else:
        codes: dict = {}
        data = np.array([[codes.setdefault("" if pd.isna(v) else str(v), len(codes)) for v in vs]
                         for vs in (values_a, values_b)], dtype=float)
    if len(np.unique(data[~np.isnan(data)])) < 2:
        return None  # alpha is undefined without variation
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def _same(a, b) -> bool:
    return (pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and a == b)


def _compare(result: Agreement, name: str, ta: LoadedTable, tb: LoadedTable, pairs: list[tuple]) -> None:
    for f in _compared_fields(ta):
        level = "interval" if f.descriptor.get("type") in ("integer", "number") else "nominal"
        va = [ta.typed.at[i, f.name] for i, _ in pairs]
        vb = [tb.typed.at[j, f.name] for _, j in pairs]
        agreeing = sum(_same(a, b) for a, b in zip(va, vb))
        result.variables.append(Variable(name, f.name, level, len(pairs), agreeing,
                                         _alpha(va, vb, level) if pairs else None))


def _label(t: LoadedTable, line) -> str:
    s, row = t.schema, t.typed.loc[line]
    key = ",".join(str(row[k]) for k in s.primary_key) if s.primary_key else str(line)
    if s.anchor is None:
        return key
    text = str(row[s.anchor.text])
    text = text if len(text) <= 40 else text[:39] + "…"
    return f"{key} ({row[s.source_field]} {row[s.anchor.start]}..{row[s.anchor.end]} {text!r})"


def _match_spans(ta: LoadedTable, tb: LoadedTable, sources: list[str]) -> tuple[list[tuple], list, list]:
    a_, b_ = ta.schema.anchor, tb.schema.anchor
    src_a, src_b = ta.schema.source_field, tb.schema.source_field
    pairs, only_a, only_b = [], [], []
    for sid in sources:
        ra = ta.typed[ta.typed[src_a] == sid]
        rb = tb.typed[tb.typed[src_b] == sid]
        cands = []
        for i, (s1, e1) in zip(ra.index, ra[[a_.start, a_.end]].itertuples(index=False, name=None)):
            for j, (s2, e2) in zip(rb.index, rb[[b_.start, b_.end]].itertuples(index=False, name=None)):
                if pd.isna(s1) or pd.isna(s2):
                    continue
                overlap = min(e1, e2) - max(s1, s2)
                if overlap > 0:
                    cands.append((-overlap, i, j))
        used_a, used_b = set(), set()
        for _, i, j in sorted(cands):
            if i not in used_a and j not in used_b:
                used_a.add(i), used_b.add(j), pairs.append((i, j))
        only_a += [i for i in ra.index if i not in used_a]
        only_b += [j for j in rb.index if j not in used_b]
    return pairs, only_a, only_b


def _match_keys(ta: LoadedTable, tb: LoadedTable, keep_a, keep_b) -> tuple[list[tuple], list, list]:
    pk = ta.schema.primary_key
    ka = {tuple(r): i for i, r in zip(ta.typed.index, ta.typed[pk].itertuples(index=False, name=None)) if keep_a(i)}
    kb = {tuple(r): j for j, r in zip(tb.typed.index, tb.typed[pk].itertuples(index=False, name=None)) if keep_b(j)}
    pairs = [(ka[k], kb[k]) for k in ka if k in kb]
    return pairs, [ka[k] for k in ka if k not in kb], [kb[k] for k in kb if k not in ka]


def _record(result: Agreement, name: str, ta, tb, pairs, only_a, only_b) -> None:
    result.matched[name] = len(pairs)
    result.only_a[name] = [_label(ta, i) for i in only_a]
    result.only_b[name] = [_label(tb, j) for j in only_b]
    _compare(result, name, ta, tb, pairs)


def agree(path_a: Path | str, path_b: Path | str) -> Agreement:
    la, lb = read_tables(path_a), read_tables(path_b)
    for label, loaded in (("A", la), ("B", lb)):
        broken = [t.path for t in loaded.tables.values() if not t.complete or loaded.blocking(t)]
        broken += [r.path for r in loaded.package.resources if r.name not in loaded.tables]
        if broken:
            raise NatodataError(f"coding {label} cannot be read ({', '.join(broken)}); run natodata validate for details")
    src = next((t for t in la.tables.values() if t.schema.corpus is not None), None)
    if src is None or src.name not in lb.tables:
        raise NatodataError("both codings need the sources table (the table with x-corpus)")
    sb = lb.tables[src.name]
    key, sha = src.schema.primary_key[0], src.schema.corpus.sha256
    by_sha_b = dict(zip(sb.typed[sha], sb.typed[key]))
    sources, renamed = [], []
    for sid, digest in zip(src.typed[key], src.typed[sha]):
        if digest in by_sha_b:
            (sources if by_sha_b[digest] == sid else renamed).append(sid)
    if renamed:
        raise NatodataError(f"the codings give the same article different ids: {', '.join(renamed)}")
    if not sources:
        raise NatodataError("the codings share no article (no sha256 in common)")
    result = Agreement(sources)
    in_a = set(src.typed.index[src.typed[key].isin(sources)])
    in_b = set(sb.typed.index[sb.typed[key].isin(sources)])
    _record(result, src.name, src, sb, *_match_keys(src, sb, in_a.__contains__, in_b.__contains__))
    referenced: dict[str, set] = {}
    for name, ta in la.tables.items():
        tb = lb.tables.get(name)
        s = ta.schema
        if tb is None or s.source_field is None or name == src.name:
            continue
        if s.anchor is not None:
            pairs, only_a, only_b = _match_spans(ta, tb, sources)
            for fk in s.foreign_keys:
                target = la.tables.get(fk["resource"])
                if (len(fk["fields"]) == 1 and target is not None and target.schema.source_field is None
                        and target.schema.corpus is None):
                    f = fk["fields"][0]
                    referenced.setdefault(fk["resource"], set()).update(
                        (ta.typed.at[i, f], tb.typed.at[j, f]) for i, j in pairs
                        if not pd.isna(ta.typed.at[i, f]) and not pd.isna(tb.typed.at[j, f]))
        else:
            ia = set(ta.typed.index[ta.typed[s.source_field].isin(sources)])
            ib = set(tb.typed.index[tb.typed[s.source_field].isin(sources)])
            pairs, only_a, only_b = _match_keys(ta, tb, ia.__contains__, ib.__contains__)
        _record(result, name, ta, tb, pairs, only_a, only_b)
    for name, keys in sorted(referenced.items()):
        ta, tb = la.tables[name], lb.tables.get(name)
        if tb is None or len(ta.schema.primary_key) != 1:
            continue
        pk = ta.schema.primary_key[0]
        line_a, line_b = dict(zip(ta.typed[pk], ta.typed.index)), dict(zip(tb.typed[pk], tb.typed.index))
        pairs = [(line_a[a], line_b[b]) for a, b in sorted(keys) if a in line_a and b in line_b]
        result.matched[name] = len(pairs)
        _compare(result, name, ta, tb, pairs)
    return result


def _fmt(alpha: float | None) -> str:
    return "-" if alpha is None else f"{alpha:.3f}"


def render_text(r: Agreement) -> str:
    head = ["table", "field", "level", "units", "agree", "alpha", "verdict"]
    rows = [[v.table, v.field, v.level, str(v.units), f"{v.agreeing}/{v.units}", _fmt(v.alpha), v.verdict]
            for v in r.variables]
    widths = [max(len(x) for x in col) for col in zip(head, *rows)]
    lines = [f"articles compared: {', '.join(r.sources)}",
             f"alpha >= {RELIABLE:.3f} reliable, >= {TENTATIVE:.3f} tentative; '-': the values never vary", ""]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in [head, *rows]]
    lines += ["", "matched units: " + ", ".join(f"{t} {n}" for t, n in r.matched.items())]
    unmatched = [(t, "A", x) for t, xs in r.only_a.items() for x in xs] + [(t, "B", x) for t, xs in r.only_b.items() for x in xs]
    lines.append("")
    lines.append(f"unmatched units: {len(unmatched)}" if unmatched else "unmatched units: none")
    lines += [f"  {t}: only in {side}: {x}" for t, side, x in sorted(unmatched)]
    return "\n".join(lines) + "\n"


def render_json(r: Agreement) -> str:
    doc = {
        "sources": r.sources,
        "thresholds": {"reliable": RELIABLE, "tentative": TENTATIVE},
        "variables": [{"table": v.table, "field": v.field, "level": v.level, "units": v.units,
                       "agreeing": v.agreeing, "alpha": v.alpha, "verdict": v.verdict} for v in r.variables],
        "matched": r.matched,
        "unmatched": {"a": {t: xs for t, xs in r.only_a.items() if xs}, "b": {t: xs for t, xs in r.only_b.items() if xs}},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
