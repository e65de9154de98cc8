"""``agree``: Krippendorff's alpha per table and field between two codings of the same articles.

Two packages (two coders' codings) are compared on the articles both register with the
same sha256. Every table is compared; how units are paired is in ``agree_match``: anchored
rows by the overlap of their spans, entities (actors, events) through every row that refers
to them, aliases and titles by the string as printed, event participants through the
matched events and actors.

Each matched pair is then compared field by field: nominal for text and vocabularies (a
blank is a value of its own), interval for numbers. A field that refers to an entity is
compared through the matched entities (coding B's id read as its partner in coding A). Left
out: an id the coder names (a primary key that refers to no entity), the fields that locate
a span (start, end, prefix, suffix), the source field, the file name and hash, text in our
own words, and grouping ids the coder names freely (a slug field that refers to no table:
statement_id, claim_id). Alpha comes from the ``krippendorff`` library; a field whose
matched values never vary has no alpha (its agreement is shown). Units only one coding has
are listed, entities and link rows included.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import NatodataError
from ..tables.read import LoadedTable, read_tables
from .texttable import text_table
from .agree_match import (
    Kinds,
    Mapping,
    classify,
    entity_refs,
    keyed_groups,
    link_groups,
    link_votes,
    match_spans,
    missing,
    one_to_one,
    pair_groups,
    same_value,
    vote_pairs,
)

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

    def tables(self) -> list[dict]:
        """Per table: units matched and only in A or B, values agreeing, and the table's alpha,
        the lowest of its fields' (a table is as reliable as its least reliable field)."""
        out = []
        for t, matched in self.matched.items():
            vs = [v for v in self.variables if v.table == t]
            low = min((v for v in vs if v.alpha is not None), key=lambda v: v.alpha, default=None)
            out.append(
                {
                    "table": t,
                    "matched": matched,
                    "only_a": len(self.only_a.get(t, [])),
                    "only_b": len(self.only_b.get(t, [])),
                    "agreeing": sum(v.agreeing for v in vs),
                    "values": sum(v.units for v in vs),
                    "alpha": None if low is None else low.alpha,
                    "lowest": None if low is None else low.field,
                    "verdict": "no units" if not matched else verdict(None if low is None else low.alpha),
                }
            )
        return out


def _compared_fields(t: LoadedTable, refs: dict[str, str], key_refs: bool = False) -> list:
    """The fields compared for a matched pair of rows of ``t``. ``refs``: its fields that
    refer to an entity, compared through the matched entities unless they are the key the
    rows were matched by (``key_refs``, link tables)."""
    s = t.schema
    skip = {k for k in s.primary_key if (k in refs if key_refs else k not in refs)} | {s.source_field}
    if s.anchor is not None:
        skip |= {s.anchor.start, s.anchor.end, s.anchor.prefix, s.anchor.suffix}
    if s.corpus is not None:
        skip |= {s.corpus.file, s.corpus.sha256}
    fks = {f for fk in s.foreign_keys for f in fk["fields"]}
    out = []
    for f in s.fields:
        desc = f.descriptor.get("description", "")
        pattern = f.descriptor.get("constraints", {}).get("pattern")
        if f.name in skip or any(w in desc for w in OWN_WORDS) or (pattern == SLUG and f.name not in fks):
            continue
        out.append(f)
    return out


def _alpha(values_a: list, values_b: list, level: str) -> float | None:
    import krippendorff

    if level == "interval":
        data = np.array([values_a, values_b], dtype=float)
    else:
        codes: dict = {}
        data = np.array(
            [[codes.setdefault("" if missing(v) else str(v), len(codes)) for v in vs] for vs in (values_a, values_b)],
            dtype=float,
        )
    if len(np.unique(data[~np.isnan(data)])) < 2:
        return None  # alpha is undefined without variation
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def _compare(
    result: Agreement,
    name: str,
    ta: LoadedTable,
    tb: LoadedTable,
    pairs: list[tuple],
    refs: dict[str, str],
    mapping: Mapping,
    key_refs: bool = False,
) -> None:
    for f in _compared_fields(ta, refs, key_refs):
        level = "interval" if f.descriptor.get("type") in ("integer", "number") else "nominal"
        va = [ta.typed.at[i, f.name] for i, _ in pairs]
        vb = [tb.typed.at[j, f.name] for _, j in pairs]
        if f.name in refs:
            vb = [mapping.translate(refs[f.name], v) for v in vb]
        agreeing = sum(same_value(a, b) for a, b in zip(va, vb))
        result.variables.append(
            Variable(name, f.name, level, len(pairs), agreeing, _alpha(va, vb, level) if pairs else None)
        )


def _label(t: LoadedTable, line) -> str:
    s, row = t.schema, t.typed.loc[line]
    key = ",".join(str(row[k]) for k in s.primary_key) if s.primary_key else str(line)
    if s.anchor is None:
        return key
    text = str(row[s.anchor.text])
    text = text if len(text) <= 40 else text[:39] + "…"
    return f"{key} ({row[s.source_field]} {row[s.anchor.start]}..{row[s.anchor.end]} {text!r})"


def _record(result: Agreement, name: str, ta, tb, matched, refs, mapping, key_refs=False) -> None:
    pairs, only_a, only_b = matched
    result.matched[name] = len(pairs)
    result.only_a[name] = [_label(ta, i) for i in only_a]
    result.only_b[name] = [_label(tb, j) for j in only_b]
    _compare(result, name, ta, tb, pairs, refs, mapping, key_refs)


def _shared_sources(la, lb) -> tuple[LoadedTable, LoadedTable, list[str]]:
    for label, loaded in (("A", la), ("B", lb)):
        broken = [t.path for t in loaded.tables.values() if not t.complete or loaded.blocking(t)]
        broken += [r.path for r in loaded.package.resources if r.name not in loaded.tables]
        if broken:
            raise NatodataError(
                f"coding {label} cannot be read ({', '.join(broken)}); run natodata validate for details"
            )
    differ = [n for n, t in la.tables.items() if n in lb.tables and _shape(t) != _shape(lb.tables[n])]
    if differ:
        raise NatodataError(
            f"the codings' tables are defined differently ({', '.join(differ)}): "
            "compare codings made with the same schemas"
        )
    src = la.sources
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
    return src, sb, sources


def _shape(t: LoadedTable) -> tuple:
    """What matching relies on: the fields, keys, references, source and anchor of a table."""
    s = t.schema
    refs = sorted((tuple(fk["fields"]), fk["resource"]) for fk in s.foreign_keys)
    return [f.name for f in s.fields], s.primary_key, refs, s.source_field, s.anchor, s.corpus


def _in_sources(t: LoadedTable, sources: list[str]) -> list:
    return list(t.typed.index[t.typed[t.schema.source_field].isin(sources)])


def agree(path_a: Path | str, path_b: Path | str) -> Agreement:
    la, lb = read_tables(path_a), read_tables(path_b)
    src, sb, sources = _shared_sources(la, lb)
    result, mapping = Agreement(sources), Mapping()
    kinds = classify({n: t for n, t in la.tables.items() if n in lb.tables}, src)
    A, B = la.tables, lb.tables
    refs = {n: entity_refs(A[n], kinds.entities) for n in kinds.anchored + kinds.keyed + kinds.links}
    in_a = set(src.typed.index[src.typed[src.schema.primary_key[0]].isin(sources)])
    in_b = set(sb.typed.index[sb.typed[sb.schema.primary_key[0]].isin(sources)])
    _record(
        result,
        src.name,
        src,
        sb,
        pair_groups(
            keyed_groups(src, in_a.__contains__, {}), keyed_groups(sb, in_b.__contains__, {}), lambda i, j: True
        ),
        {},
        mapping,
    )
    # 1. anchored rows by their spans, keyed rows by their strings; both vote for entities
    votes: dict[str, Counter] = defaultdict(Counter)
    spans = {n: match_spans(A[n], B[n], sources) for n in kinds.anchored}
    for n, (pairs, _, _) in spans.items():
        vote_pairs(A[n], B[n], pairs, refs[n], votes)
    groups = {
        n: (
            keyed_groups(A[n], set(_in_sources(A[n], sources)).__contains__, refs[n]),
            keyed_groups(B[n], set(_in_sources(B[n], sources)).__contains__, refs[n]),
        )
        for n in kinds.keyed
    }
    for n, (ga, gb) in groups.items():
        vote_pairs(A[n], B[n], [(i, j) for k in ga for i in ga[k] for j in gb.get(k, [])], refs[n], votes)
    mapping.set({e: one_to_one(votes[e]) for e in kinds.entities})
    # 2. the entities a row's identity rests on (events, in event evidence's key) are matched
    # by anchored rows alone; the others (actors) also by link rows through matched entities
    defining = {e for n in kinds.anchored for f, e in refs[n].items() if f in A[n].schema.primary_key}
    scope_a, scope_b = _scope(A, kinds, refs, sources), _scope(B, kinds, refs, sources)
    link_rows = {
        n: (
            [i for i in A[n].typed.index if _linked(A[n], i, refs[n], scope_a, defining)],
            [j for j in B[n].typed.index if _linked(B[n], j, refs[n], scope_b, defining)],
        )
        for n in kinds.links
    }
    for n in kinds.links:
        link_votes(A[n], B[n], refs[n], link_rows[n], mapping, votes, set(kinds.entities) - defining)
    mapping.set({e: one_to_one(votes[e]) for e in kinds.entities})
    # 3. compare every table
    for n in kinds.anchored:
        _record(result, n, A[n], B[n], spans[n], refs[n], mapping)
    for n in kinds.keyed:
        ga, gb = groups[n]
        same = lambda i, j, n=n: all(
            same_value(A[n].typed.at[i, f], mapping.translate(e, B[n].typed.at[j, f])) for f, e in refs[n].items()
        )
        _record(result, n, A[n], B[n], pair_groups(ga, gb, same), refs[n], mapping)
    for e in kinds.entities:
        pk_a, pk_b = A[e].schema.primary_key[0], B[e].schema.primary_key[0]
        line_a, line_b = dict(zip(A[e].typed[pk_a], A[e].typed.index)), dict(zip(B[e].typed[pk_b], B[e].typed.index))
        pairs = [(line_a[a], line_b[b]) for a, b in sorted(mapping.a_to_b[e].items()) if a in line_a and b in line_b]
        partners = set(mapping.a_to_b[e].values())
        only_a = [line_a[x] for x in sorted(scope_a[e]) if x in line_a and x not in mapping.a_to_b[e]]
        only_b = [line_b[x] for x in sorted(scope_b[e]) if x in line_b and x not in partners]
        _record(result, e, A[e], B[e], (pairs, only_a, only_b), {}, mapping)
    for n in kinds.links:
        ga = link_groups(A[n], refs[n], set(link_rows[n][0]).__contains__, lambda e, v: v)
        gb = link_groups(B[n], refs[n], set(link_rows[n][1]).__contains__, mapping.translate)
        rest = [f.name for f in A[n].schema.fields if f.name not in refs[n]]
        same = lambda i, j, n=n, rest=rest: all(same_value(A[n].typed.at[i, f], B[n].typed.at[j, f]) for f in rest)
        _record(result, n, A[n], B[n], pair_groups(ga, gb, same), refs[n], mapping, key_refs=True)
    return result


def _scope(tables, kinds: Kinds, refs, sources) -> dict[str, set]:
    """The entity ids a coding's rows of the compared articles refer to, with the actors of
    the link rows (participants) of those events."""
    scope: dict[str, set] = {e: set() for e in kinds.entities}
    for n in kinds.anchored + kinds.keyed:
        rows = tables[n].typed.loc[_in_sources(tables[n], sources)]
        for f, e in refs[n].items():
            scope[e] |= {v for v in rows[f] if not missing(v)}
    defining = {e for n in kinds.anchored for f, e in refs[n].items() if f in tables[n].schema.primary_key}
    for n in kinds.links:
        t = tables[n]
        for i in t.typed.index:
            if _linked(t, i, refs[n], scope, defining):
                for f, e in refs[n].items():
                    scope[e].add(t.typed.at[i, f])
    return scope


def _linked(t: LoadedTable, i, refs, scope, defining) -> bool:
    """A link row belongs to the compared articles when its defining entity (the event) does,
    or, when none of its references is a defining one, when any of them does."""
    keys = [(f, e) for f, e in refs.items() if e in defining] or list(refs.items())
    return any(t.typed.at[i, f] in scope[e] for f, e in keys)


def _fmt(alpha: float | None) -> str:
    return "-" if alpha is None else f"{alpha:.3f}"


def render_text(r: Agreement) -> str:
    head = ["table", "field", "level", "units", "agree", "alpha", "verdict"]
    rows = [
        [v.table, v.field, v.level, str(v.units), f"{v.agreeing}/{v.units}", _fmt(v.alpha), v.verdict]
        for v in r.variables
    ]
    lines = [
        f"articles compared: {', '.join(r.sources)}",
        f"alpha >= {RELIABLE:.3f} reliable, >= {TENTATIVE:.3f} tentative; '-': the values never vary",
        "",
    ]
    lines += text_table(head, rows)
    head = ["table", "matched", "only A", "only B", "agree", "alpha", "lowest field", "verdict"]
    rows = [
        [
            t["table"],
            str(t["matched"]),
            str(t["only_a"]),
            str(t["only_b"]),
            f"{t['agreeing']}/{t['values']}",
            _fmt(t["alpha"]),
            t["lowest"] or "-",
            t["verdict"],
        ]
        for t in r.tables()
    ]
    lines += ["", "per table (alpha: the lowest of its fields'):", ""]
    lines += text_table(head, rows)
    unmatched = [(t, "A", x) for t, xs in r.only_a.items() for x in xs] + [
        (t, "B", x) for t, xs in r.only_b.items() for x in xs
    ]
    lines.append("")
    lines.append(f"unmatched units: {len(unmatched)}" if unmatched else "unmatched units: none")
    lines += [f"  {t}: only in {side}: {x}" for t, side, x in sorted(unmatched)]
    return "\n".join(lines) + "\n"


def render_json(r: Agreement) -> str:
    doc = {
        "sources": r.sources,
        "thresholds": {"reliable": RELIABLE, "tentative": TENTATIVE},
        "variables": [
            {
                "table": v.table,
                "field": v.field,
                "level": v.level,
                "units": v.units,
                "agreeing": v.agreeing,
                "alpha": v.alpha,
                "verdict": v.verdict,
            }
            for v in r.variables
        ],
        "tables": r.tables(),
        "matched": r.matched,
        "unmatched": {
            "a": {t: xs for t, xs in r.only_a.items() if xs},
            "b": {t: xs for t, xs in r.only_b.items() if xs},
        },
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
