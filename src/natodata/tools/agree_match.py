"""How ``agree`` pairs the units of two codings: every table, ids never trusted.

Coders name rows freely, so units are matched by what they hold, never by id:

- rows anchored in an article (``x-anchor`` and ``x-source``): within one article, by the
  overlap of their spans, largest overlap first (the tighter pair on a tie), one to one;
- the sources table (``x-corpus``): by primary key, which ``agree`` has checked names the
  same article (sha256) in both codings;
- **entities**, the tables other rows refer to and that have no source of their own (actors,
  events): one to one, by votes. Every matched row that refers to an entity votes for the
  pair of ids it holds: anchored rows (event evidence, quote occasions and speakers, figure
  owners), rows keyed by a verbatim string (an alias or title printed the same in the same
  article votes for its two actors), and link rows (a participant with the same role in two
  matched events votes for its two actors). Most votes first; a tie goes to equal ids;
- other rows with a source (aliases, titles): by their key without the entity references
  (the string as printed and the article), then rows whose references agree first;
- **link** tables, whose key is made of entity references (event participants): through the
  matched entities (same event and actor), rows with equal remaining fields (the role)
  first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pandas as pd

from ..tables.read import LoadedTable


def missing(v) -> bool:
    return v is None or (not isinstance(v, (list, tuple)) and pd.isna(v))


def same_value(a, b) -> bool:
    return (missing(a) and missing(b)) or (not missing(a) and not missing(b) and a == b)


@dataclass
class Kinds:
    """The tables of coding A by the part they play in matching."""

    sources: LoadedTable
    anchored: list[str] = field(default_factory=list)
    keyed: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def entity_refs(t: LoadedTable, entities) -> dict[str, str]:
    """Single-field foreign keys of ``t`` into entity tables: field -> entity table."""
    return {
        fk["fields"][0]: fk["resource"]
        for fk in t.schema.foreign_keys
        if len(fk["fields"]) == 1 and fk["resource"] in entities
    }


def classify(tables: dict[str, LoadedTable], sources: LoadedTable) -> Kinds:
    kinds = Kinds(sources)
    entities = [
        n
        for n, t in tables.items()
        if t is not sources
        and t.schema.source_field is None
        and t.schema.corpus is None
        and len(t.schema.primary_key) == 1
        and not t.schema.foreign_keys
    ]
    kinds.entities = entities
    for name, t in tables.items():
        s = t.schema
        if t is sources or name in entities:
            continue
        if s.source_field is not None:
            (kinds.anchored if s.anchor is not None else kinds.keyed).append(name)
        elif s.primary_key and set(entity_refs(t, entities)) & set(s.primary_key):
            kinds.links.append(name)
    return kinds


def match_spans(ta: LoadedTable, tb: LoadedTable, sources: list[str]) -> tuple[list[tuple], list, list]:
    """Anchored rows of one article paired by the overlap of their spans, one to one."""
    a_, b_ = ta.schema.anchor, tb.schema.anchor
    src_a, src_b = ta.schema.source_field, tb.schema.source_field
    pairs, only_a, only_b = [], [], []
    for sid in sources:
        ra = ta.typed[ta.typed[src_a] == sid]
        rb = tb.typed[tb.typed[src_b] == sid]
        cands = []
        for i, (s1, e1) in zip(ra.index, ra[[a_.start, a_.end]].itertuples(index=False, name=None)):
            for j, (s2, e2) in zip(rb.index, rb[[b_.start, b_.end]].itertuples(index=False, name=None)):
                if missing(s1) or missing(s2):
                    continue
                overlap = min(e1, e2) - max(s1, s2)
                if overlap > 0:
                    cands.append((-overlap, max(e1, e2) - min(s1, s2), i, j))
        used_a, used_b = set(), set()
        for _, _, i, j in sorted(cands):
            if i not in used_a and j not in used_b:
                used_a.add(i), used_b.add(j), pairs.append((i, j))
        only_a += [i for i in ra.index if i not in used_a]
        only_b += [j for j in rb.index if j not in used_b]
    return pairs, only_a, only_b


def one_to_one(votes: Counter) -> dict:
    """Greedy one-to-one pairing of ids, most votes first, equal ids first on a tie."""
    out, used = {}, set()
    for (a, b), _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0][0] != kv[0][1], str(kv[0][0]), str(kv[0][1]))):
        if a not in out and b not in used:
            out[a] = b
            used.add(b)
    return out


class Mapping:
    """Entity ids of coding B paired with those of coding A, per entity table."""

    def __init__(self) -> None:
        self.a_to_b: dict[str, dict] = {}
        self._b_to_a: dict[str, dict] = {}

    def set(self, a_to_b: dict[str, dict]) -> None:
        self.a_to_b = a_to_b
        self._b_to_a = {e: {b: a for a, b in m.items()} for e, m in a_to_b.items()}

    def translate(self, entity: str, value):
        """A value of coding B in coding A's ids; a B id with no partner never equals an A id."""
        if missing(value):
            return value
        return self._b_to_a.get(entity, {}).get(value, ("unmatched", value))


def vote_pairs(ta, tb, pairs, refs: dict[str, str], votes: dict[str, Counter]) -> None:
    for f, entity in refs.items():
        for i, j in pairs:
            va, vb = ta.typed.at[i, f], tb.typed.at[j, f]
            if not missing(va) and not missing(vb):
                votes[entity][(va, vb)] += 1


def keyed_groups(t: LoadedTable, keep, refs) -> dict[tuple, list]:
    """Rows of a source table grouped by their primary key without entity references."""
    key = [k for k in t.schema.primary_key if k not in refs]
    groups: dict[tuple, list] = defaultdict(list)
    for i, values in zip(t.typed.index, t.typed[key].itertuples(index=False, name=None)):
        if keep(i):
            groups[values].append(i)
    return groups


def pair_groups(ga: dict, gb: dict, same) -> tuple[list[tuple], list, list]:
    """Within each shared key, rows for which ``same`` holds first, then the rest in order."""
    pairs, only_a, only_b = [], [], []
    for k, rows in ga.items():
        ra, rb = list(rows), list(gb.get(k, []))
        for i in list(ra):
            j = next((j for j in rb if same(i, j)), None)
            if j is not None:
                pairs.append((i, j)), ra.remove(i), rb.remove(j)
        for i, j in zip(ra, rb):
            pairs.append((i, j))
        only_a += ra[len(rb) :]
        only_b += rb[len(ra) :]
    only_b += [j for k in gb if k not in ga for j in gb[k]]
    return pairs, only_a, only_b


def link_groups(t: LoadedTable, refs: dict[str, str], keep, translate) -> dict[tuple, list]:
    """Link rows grouped by their entity references (translated into coding A's ids)."""
    groups: dict[tuple, list] = defaultdict(list)
    fields = list(refs)
    for i, values in zip(t.typed.index, t.typed[fields].itertuples(index=False, name=None)):
        if keep(i):
            groups[tuple(translate(refs[f], v) for f, v in zip(fields, values))].append(i)
    return groups


def link_votes(
    ta, tb, refs: dict[str, str], rows: tuple[list, list], mapping: Mapping, votes: dict[str, Counter], voting: set[str]
) -> None:
    """A link row of A and one of B with equal other fields, whose entity references all agree
    but one, vote for that one's pair (a participant with one role in two matched events
    votes for its actors) when that entity table is one of ``voting``."""
    fields = list(refs)
    rest = [f.name for f in ta.schema.fields if f.name not in refs]
    # B's rows indexed, for each reference, by everything else (other fields, other references)
    index: dict[tuple, list] = defaultdict(list)
    for j in rows[1]:
        row = tb.typed.loc[j]
        others = tuple("" if missing(row[f]) else row[f] for f in rest)
        translated = [mapping.translate(refs[f], row[f]) for f in fields]
        for k, f in enumerate(fields):
            if refs[f] in voting:
                index[(k, others, *translated[:k], *translated[k + 1 :])].append(row[f])
    for i in rows[0]:
        row = ta.typed.loc[i]
        others = tuple("" if missing(row[f]) else row[f] for f in rest)
        values = [row[f] for f in fields]
        for k, f in enumerate(fields):
            for b in index.get((k, others, *values[:k], *values[k + 1 :]), []):
                if mapping.translate(refs[f], b) != values[k]:
                    votes[refs[f]][(values[k], b)] += 1
