#!/usr/bin/env python3
"""Write a synthetic natodata package for benchmarking.

    python benchmarks/generate.py N OUTDIR [--seed S]

N (e.g. 10000, 10k, 1M) is the row count of the large tables: quotes, figures,
event_evidence, event_participants and actor_aliases. events, actors and
actor_titles get N/10 rows, sources N/100.

The package reuses the repository's ``datapackage.json`` and ``schemas/`` verbatim:
nothing here defines a field. The generator only produces values; each table's
columns are written in the order its copied schema gives, and a generator that
produces a different set of columns than the schema lists is an error, so a schema
change cannot silently desynchronise the benchmark.

Every row is valid against every check ``natodata validate`` runs without
``--corpus``: patterns, categories, keys and foreign keys, the domain rules
(value order, date precision and bounds, anchor length end - start == len(text),
ISO 3166 codes, speakers' kinds, claims and statements that agree, events not after
their sources), and every actor and source is used. Files are canonical: rows
sorted by primary key, LF line endings, minimal quoting. Ids are zero-padded, so
sorting their integer codes sorts the strings.

By default there is no corpus, so ``--corpus`` provenance checks cannot run on the
package. :func:`write_package` with ``corpus=DIR`` (``--corpus DIR``) also writes one
article per source into DIR, lays every anchored row's text and every as-written value
out in it, and fills start/end/prefix/suffix and sha256 from the articles, so that
``natodata validate --corpus DIR`` passes too; ``--sources`` sets the number of articles.
benchmarks/provenance.py uses it.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

# --- value pools (verbatim texts, names, wordings) ----------------------------------
# None starts or ends with whitespace, none starts with = + - @, and several hold
# commas, quotation marks and non-ASCII letters so the CSV writer has to quote.

EXCERPTS = [
    "NATO defence ministers agreed on Wednesday to expand the alliance's training mission in Iraq",
    "The mission, which has about 500 personnel, trains Iraqi officers in Baghdad",
    'Officials described the decision as "a sign of commitment" to Iraq\'s security',
    "Le ministre a annoncé l'envoi de formateurs supplémentaires à Bagdad",
    "Die Bundeswehr setzt die Ausbildung im Nordirak vorerst aus",
    "Training activities were paused after the strike near Baghdad airport",
    "Iraq's parliament voted to ask foreign troops to leave the country",
    "Trainers will be moved to Jordan and Kuwait for the time being, officials said",
    "The alliance will take over some of the coalition's training tasks",
    "Denmark will lead the mission from 2020, its defence ministry said",
    "Stoltenberg said the mission would continue “with the consent of the Iraqi government”",
    "About 30 NATO countries contribute personnel to the non-combat mission",
]
QUOTES = [
    "We support moving a major part of the Spanish contingent to the NATO mission, while still continuing to work with the coalition",
    "We are in Iraq at the invitation of the Iraqi government",
    "Our mission is non-combat, and it will remain so",
    "NATO is ready to do more",
    "Nous restons engagés aux côtés de l'Irak",
    'The "fight against ISIS" is not over',
    "We have temporarily suspended our training activities on the ground",
    "It is important that we do not lose the gains we have made",
    "Wir werden die Ausbildung fortsetzen, sobald es die Lage erlaubt",
    "This is a sign of our long-term commitment to Iraq’s stability",
]
PREFIXES = [
    "",
    '"',
    " NATO, which runs a ",
    "told reporters: “",
    "said on Monday that ",
    "the minister said, '",
    "In Brussels, ",
    "Officials added: ",
    "(AP) — ",
    "per Reuters, ",
]
SUFFIXES = [
    "",
    '," Spanish Defence M',
    ".” The decision",
    " mission to train Ir",
    ", he said.",
    "' on Tuesday",
    ". The alliance",
    " (reporting by",
    "; the ministry",
    " in Baghdad.",
]
# (wording, low, best, high, qualifier, unit, counted)
FIGURES = [
    ("500-strong", "500", "500", "500", "approximate", "person", "personnel of NATO's training mission in Iraq"),
    ("about 5,000", "4500", "5000", "5500", "approximate", "person", "US troops in Iraq"),
    ("at least 12", "12", "12", "40", "at-least", "person", "people killed in the attack"),
    ("up to 4,000", "0", "4000", "4000", "up-to", "person", "trainers after the expansion"),
    ("several hundred", "200", "500", "900", "vague", "person", "Iraqi officers trained"),
    ("30", "30", "30", "30", "exact", "country", "countries contributing to the mission"),
    ("€2.5 million", "2.5", "2.5", "2.5", "exact", "million-euro", "funding pledged for training"),
    ("près de 200", "180", "200", "200", "approximate", "person", "formateurs français"),
    ("a couple of", "2", "2", "3", "vague", "base", "bases handed over"),
    ("3.5 per cent", "3.5", "3.5", "3.5", "exact", "percent", "share of GDP spent on defence"),
]
HEADLINES = [
    "",
    "NATO agrees to expand Iraq training mission",
    "Spain to move troops to NATO mission, minister says",
    "Germany pauses training in Iraq",
    "L'OTAN suspend ses activités de formation en Irak",
    "Iraq's parliament votes to expel foreign troops",
    "Denmark to lead NATO Mission Iraq",
]
PUBLISHERS = ["", "Reuters", "The Associated Press", "Agence France-Presse", "Deutsche Welle", "Al Jazeera"]
BYLINES = ["", "Robin Emmott", "Lorne Cook", "Staff, with wires", "Sabine Siebold and Robin Emmott"]
NOTES = [
    "",
    "",
    "",
    "Machine translation into English, checked against the original.",
    "Translated from French by the coder.",
]
LANGUAGES = ["en", "en", "en", "fr", "de", "ar", "es-ES"]
FIRST_NAMES = ["Jens", "Margarita", "Adil", "José", "Jürgen", "Fatima", "Ahmed", "Trine", "Zoë", "Nuno"]
LAST_NAMES = [
    "Stoltenberg",
    "Robles",
    "Abdul-Mahdi",
    "Müller",
    "Haddad",
    "Bramsen",
    "O'Neill",
    "Laurent",
    "Kovač",
    "Silva",
]
ORGS = [
    "NATO Mission Iraq",
    "Ministry of Defence",
    "Iraqi Security Forces",
    "North Atlantic Council",
    "Global Coalition",
]
ARMED = ["Kataib Hezbollah", "Islamic State", "Asaib Ahl al-Haq"]
UNNAMED = ["officials", "diplomats", "a senior NATO official", "Iraqi lawmakers"]
TITLES = [
    "Secretary General",
    "Defence Minister",
    "Prime Minister",
    "Commander, NATO Mission Iraq",
    "Spokesperson",
    "Foreign Minister",
    "Chief of Defence",
    "Ambassador to NATO",
]
PLACES = ["", "Brussels", "Baghdad", "Erbil", "Taji", "Madrid", "Bruxelles", "Kuwait City"]
SUMMARIES = [
    "NATO defence ministers agreed in principle to widen the alliance's training mission in Iraq.",
    "Trainers were withdrawn from Baghdad for the time being.",
    "Iraq's parliament asked foreign troops to leave, in a non-binding vote.",
    "A rocket attack struck a base hosting coalition trainers.",
    "Spain said it would move part of its contingent to the NATO mission.",
]
LABELS = [
    "NATO expands Iraq mission",
    "Trainers leave Baghdad",
    "Parliament votes on troops",
    "Rocket attack on Taji",
    "Spain moves contingent",
    "Denmark takes command",
    "Ministers meet in Brussels",
    "Formation suspendue",
]
DESCRIPTIONS = ["", "", "Secretary General of NATO.", "Spain's defence minister.", "A member state of the alliance."]
KINDS = ["person", "organisation", "state", "armed-group", "unnamed-group"]
KIND_P = [0.4, 0.3, 0.1, 0.1, 0.1]
SPEAKER_KINDS = {"person", "organisation", "unnamed-group"}


FURNITURE = ["In Other News", "Photo: Reuters", "Related stories", "Load More", "Share this article"]
UNCODED = [("NATO brand", "scare-quote"), ("Taji X", "name"), ("2020", "date"), ("first", "ordinal")]


def iso3_codes() -> list[str]:
    import pycountry  # natodata's own dependency, and the list it checks against

    return sorted(c.alpha_3 for c in pycountry.countries)


# --- helpers -------------------------------------------------------------------------


class Col:
    """A column of ``n`` strings made block by block: ``make(lo, hi)`` gives rows lo..hi-1.
    Every random draw is made before, so the values do not depend on the blocks."""

    def __init__(self, n: int, make):
        self.n, self.make = n, make

    def __len__(self) -> int:
        return self.n


def rows_of(col: Col | list[str], lo: int, hi: int) -> list[str]:
    return col[lo:hi] if isinstance(col, list) else col.make(lo, hi)


def full(col: Col | list[str]) -> list[str]:
    return rows_of(col, 0, len(col))


def ids(prefix: str, n: np.ndarray | range, width: int) -> Col:
    return Col(
        len(n),
        lambda lo, hi: [
            f"{prefix}{i:0{width}d}" for i in (n[lo:hi].tolist() if isinstance(n, np.ndarray) else n[lo:hi])
        ],
    )


def pick(pool: list[str], idx: np.ndarray) -> Col:
    values, sel = np.asarray(pool, dtype=object), (idx % len(pool)).astype(np.int32)
    return Col(len(sel), lambda lo, hi: values[sel[lo:hi]].tolist())


def mapped(lookup: list[str], idx: np.ndarray) -> Col:
    """``lookup[i]`` for each i of ``idx``."""
    return Col(len(idx), lambda lo, hi: [lookup[i] for i in idx[lo:hi].tolist()])


def strs(a: np.ndarray) -> Col:
    return Col(len(a), lambda lo, hi: a[lo:hi].astype(str).tolist())


def blank_where(values: Col | list[str], mask: np.ndarray) -> Col:
    return Col(
        len(values), lambda lo, hi: ["" if m else v for v, m in zip(rows_of(values, lo, hi), mask[lo:hi].tolist())]
    )


def spread(n: int, k: int) -> np.ndarray:
    """Map rows 0..n-1 onto k groups, monotonically, every group non-empty (n >= k)."""
    return np.arange(n, dtype=np.int64) * k // n


def partial_dates(rng: np.random.Generator, n: int, years: tuple[int, int], p=(0.6, 0.3, 0.1)):
    """Random partial dates: (text, precision, earliest, latest) columns."""
    y = rng.integers(years[0], years[1] + 1, n)
    m = rng.integers(1, 13, n)
    d = rng.integers(1, 29, n)
    prec = rng.choice(3, n, p=p)  # 0 day, 1 month, 2 year
    y, m, d, prec = y.astype(np.int16), m.astype(np.int8), d.astype(np.int8), prec.astype(np.int8)

    def block(lo: int, hi: int) -> tuple[list[str], list[str], list[str], list[str]]:
        text, precision, first, last = [], [], [], []
        for yy, mm, dd, pp in zip(y[lo:hi].tolist(), m[lo:hi].tolist(), d[lo:hi].tolist(), prec[lo:hi].tolist()):
            if pp == 0:
                s = f"{yy}-{mm:02d}-{dd:02d}"
                text.append(s), precision.append("day"), first.append(s), last.append(s)
            elif pp == 1:
                text.append(f"{yy}-{mm:02d}"), precision.append("month")
                first.append(f"{yy}-{mm:02d}-01"), last.append(f"{yy}-{mm:02d}-{calendar.monthrange(yy, mm)[1]:02d}")
            else:
                text.append(f"{yy}"), precision.append("year"), first.append(f"{yy}-01-01"), last.append(f"{yy}-12-31")
        return text, precision, first, last

    return tuple(Col(n, lambda lo, hi, j=j: block(lo, hi)[j]) for j in range(4))


def anchors(rng: np.random.Generator, pool: list[str], idx: np.ndarray, start: np.ndarray | None = None):
    """Verbatim text from ``pool`` with start/end offsets (end - start == len(text)) and prefix/suffix."""
    n = len(idx)
    lens = np.array([len(t) for t in pool])[idx % len(pool)]
    if start is None:
        start = rng.integers(0, 20_000, n)
    text = pick(pool, idx)
    prefix = pick(PREFIXES, rng.integers(0, len(PREFIXES), n))
    suffix = pick(SUFFIXES, rng.integers(0, len(SUFFIXES), n))
    return text, strs(start), strs(start + lens), prefix, suffix


# --- tables --------------------------------------------------------------------------


def generate(n: int, seed: int = 0, n_src: int | None = None, corpus: bool = False) -> dict[str, dict[str, list[str]]]:
    """Columns of every table, keyed by table name then field name, rows already sorted by primary key
    (the whole package in memory: :func:`tables` makes it table by table)."""
    return {name: {f: full(c) for f, c in cols.items()} for name, cols in tables(n, seed, n_src, corpus)}


def tables(n: int, seed: int = 0, n_src: int | None = None, corpus: bool = False):
    """Each table's name and columns (:class:`Col` or lists), in turn, rows already sorted by primary key.

    ``n_src`` sets the number of sources (default N/100, at least 10; at most N, so that
    every source is used). With ``corpus``, the values are fit to be written into articles
    (see :func:`write_corpus`): names and aliases hold no digits, and each anchored table
    draws only texts whose quotations and numbers its own ``x-covers`` accounts for."""
    rng = np.random.default_rng(seed)
    n_src = max(n // 100, 10) if n_src is None else n_src
    if not 1 <= n_src <= n:
        raise SystemExit(f"generate.py: {n_src} sources for N={n}: need 1 <= sources <= N so every source is used")
    w = len(str(max(n, n_src)))  # id width; zero-padded ids sort like their integers
    num = tag if corpus else str  # how a name tells its actor (or an alias its rank) apart
    excerpts, quotes, figures = EXCERPTS, QUOTES, FIGURES
    if corpus:
        excerpts, quotes = self_covered(EXCERPTS, "event_evidence"), self_covered(QUOTES, "quotes")
        figures = self_covered(FIGURES, "figures", lambda f: f[0])
    n_act = max(n // 10, 20)
    n_ev = max(n // 10, 20)
    n_tit = max(n // 10, 20)

    # sources: published 2020-2021, after every event (2014-2019)
    src_ids = full(ids("src-", range(n_src), w))
    pub, pub_prec, _, _ = partial_dates(rng, n_src, (2020, 2021))
    yield (
        "sources",
        {
            "id": src_ids,
            "headline": pick(HEADLINES, rng.integers(0, len(HEADLINES), n_src)),
            "publisher": pick(PUBLISHERS, rng.integers(0, len(PUBLISHERS), n_src)),
            "byline": pick(BYLINES, rng.integers(0, len(BYLINES), n_src)),
            "published": pub,
            "published_precision": pub_prec,
            "published_basis": pick(["stated", "inferred"], rng.integers(0, 2, n_src)),
            "language": pick(LANGUAGES, rng.integers(0, len(LANGUAGES), n_src)),
            "translation_note": pick(NOTES, rng.integers(0, len(NOTES), n_src)),
            "corpus_file": [f"{i:0{w}d}_{h}.txt" for i, h in enumerate(_hex(rng, n_src, 8))],
            "sha256": _hex(rng, n_src, 32),
        },
    )

    # actors
    kind_idx = rng.choice(len(KINDS), n_act, p=KIND_P)
    kinds = [KINDS[k] for k in kind_idx.tolist()]
    act_ids = full(ids("a-", range(n_act), w))
    iso = iso3_codes()
    r = rng.integers(0, 1 << 30, n_act).tolist()
    names = []
    for i, (k, x) in enumerate(zip(kinds, r)):
        if k == "person":
            names.append(f"{FIRST_NAMES[x % 10]} {LAST_NAMES[x // 10 % 10]} {num(i)}")
        elif k == "organisation":
            names.append(f"{ORGS[x % len(ORGS)]} {num(i)}")
        elif k == "state":
            names.append(f"State {iso[x % len(iso)]} {num(i)}")
        elif k == "armed-group":
            names.append(f"{ARMED[x % len(ARMED)]} {num(i)}")
        else:
            names.append(f"{UNNAMED[x % len(UNNAMED)]} {num(i)}")
    yield (
        "actors",
        {
            "id": act_ids,
            "name": names,
            "kind": kinds,
            "iso3": [iso[x % len(iso)] if k == "state" else "" for k, x in zip(kinds, r)],
            "description": pick(DESCRIPTIONS, rng.integers(0, len(DESCRIPTIONS), n_act)),
        },
    )
    speakers = np.flatnonzero(np.isin(np.array(kinds), list(SPEAKER_KINDS)))

    # actor_aliases: N rows, ~N/n_act per actor; alias "<name> | NN" rises within an actor
    actor = spread(n, n_act)
    first_row = np.searchsorted(actor, np.arange(n_act))
    k = np.arange(n) - first_row[actor]
    yield (
        "actor_aliases",
        {
            "actor_id": mapped(act_ids, actor),
            "alias": Col(
                n,
                lambda lo, hi: [
                    f"{names[a]} | {kk:02d}" if not corpus else f"{names[a]} | {tag(kk)}"
                    for a, kk in zip(actor[lo:hi].tolist(), k[lo:hi].tolist())
                ],
            ),
            "source_id": Col(n, lambda lo, hi: [src_ids[s % n_src] for s in range(lo, hi)]),  # every source used
        },
    )

    # actor_titles: one per actor
    as_of, _, _, _ = partial_dates(rng, n_tit, (2016, 2020))
    tit_actor = spread(n_tit, n_act)
    yield (
        "actor_titles",
        {
            "actor_id": mapped(act_ids, tit_actor),
            "title": pick(TITLES, rng.integers(0, len(TITLES), n_tit)),
            "source_id": mapped(src_ids, rng.integers(0, n_src, n_tit)),
            "as_of": as_of,
        },
    )
    # the PK is (actor_id, title, source_id): with one row per actor it is unique and sorted
    assert n_tit == n_act

    # events: 2014-2019, before every source
    ev_ids = full(ids("ev-", range(n_ev), w))
    date, prec, first, last = partial_dates(rng, n_ev, (2014, 2019))
    iso_ev = pick(iso, rng.integers(0, len(iso), n_ev))
    yield (
        "events",
        {
            "id": ev_ids,
            "type": pick(
                [
                    "meeting",
                    "decision",
                    "request",
                    "statement",
                    "attack",
                    "deployment",
                    "training",
                    "launch",
                    "suspension",
                    "vote",
                    "other",
                ],
                rng.integers(0, 11, n_ev),
            ),
            "status": pick(
                ["occurred", "occurred", "occurred", "ongoing", "planned", "announced", "proposed"],
                rng.integers(0, 7, n_ev),
            ),
            "date": date,
            "date_precision": prec,
            "date_earliest": first,
            "date_latest": last,
            "place": pick(PLACES, rng.integers(0, len(PLACES), n_ev)),
            "country_iso3": blank_where(iso_ev, rng.random(n_ev) < 0.2),
            "label": pick(LABELS, rng.integers(0, len(LABELS), n_ev)),
            "summary": pick(SUMMARIES, rng.integers(0, len(SUMMARIES), n_ev)),
        },
    )

    # event_participants: N rows, ~10 per event; actor = row % n_act covers every actor
    # and is distinct within an event; sort by (event, actor).
    ev = spread(n, n_ev)
    act = np.arange(n) % n_act
    order = np.lexsort((act, ev))
    ev, act = ev[order], act[order]
    yield (
        "event_participants",
        {
            "event_id": mapped(ev_ids, ev),
            "actor_id": mapped(act_ids, act),
            "role": pick(
                [
                    "agent",
                    "decision-maker",
                    "host",
                    "attendee",
                    "speaker",
                    "requester",
                    "addressee",
                    "target",
                    "beneficiary",
                ],
                rng.integers(0, 9, n),
            ),
        },
    )

    # event_evidence: N rows, ~10 per event (so every event has evidence); the row's
    # rank within its event makes (event, source, start) unique; sort by the key.
    ev = spread(n, n_ev)
    k = np.arange(n) - np.searchsorted(ev, np.arange(n_ev))[ev]
    src = rng.integers(0, n_src, n)
    start = rng.integers(0, 1000, n) * 32 + k
    order = np.lexsort((start, src, ev))
    ev, src, start = ev[order], src[order], start[order]
    text, st, en, pre, suf = anchors(rng, excerpts, rng.integers(0, len(excerpts), n), start)
    yield (
        "event_evidence",
        {
            "event_id": mapped(ev_ids, ev),
            "source_id": mapped(src_ids, src),
            "excerpt": text,
            "start": st,
            "end": en,
            "prefix": pre,
            "suffix": suf,
        },
    )

    # quotes: statement = row // 2, one speaker per statement
    stmt = np.arange(n) // 2
    speaker = speakers[rng.integers(0, len(speakers), n // 2 + 1)][stmt]
    text, st, en, pre, suf = anchors(rng, quotes, rng.integers(0, len(quotes), n))
    occasion = mapped(ev_ids, rng.integers(0, n_ev, n))
    yield (
        "quotes",
        {
            "id": ids("q-", range(n), w),
            "statement_id": ids("st-", stmt, w),
            "source_id": mapped(src_ids, rng.integers(0, n_src, n)),
            "speaker_id": mapped(act_ids, speaker),
            "text": text,
            "form": pick(["full", "partial"], rng.integers(0, 2, n)),
            "start": st,
            "end": en,
            "prefix": pre,
            "suffix": suf,
            "occasion_id": blank_where(occasion, rng.random(n) < 0.3),
        },
    )

    # figures: claim = row // 2; both reports of a claim share values and owner
    claim = np.arange(n) // 2
    fig = rng.integers(0, len(figures), n // 2 + 1)[claim]
    owner = rng.integers(0, n_act, n // 2 + 1)[claim]
    no_owner = (rng.random(n // 2 + 1) < 0.25)[claim]
    text, st, en, pre, suf = anchors(rng, [f[0] for f in figures], fig)
    as_of, _, _, _ = partial_dates(rng, n, (2016, 2020))
    col = lambda j: pick([f[j] for f in figures], fig)  # noqa: E731
    yield (
        "figures",
        {
            "id": ids("f-", range(n), w),
            "claim_id": ids("c-", claim, w),
            "source_id": mapped(src_ids, rng.integers(0, n_src, n)),
            "wording": text,
            "start": st,
            "end": en,
            "prefix": pre,
            "suffix": suf,
            "value_low": col(1),
            "value_best": col(2),
            "value_high": col(3),
            "qualifier": col(4),
            "unit": col(5),
            "counted": col(6),
            "owner_id": blank_where(mapped(act_ids, owner), no_owner),
            "as_of": as_of,
        },
    )

    # furniture and uncoded: one row per source, anchored like the other verbatim tables
    idx = rng.integers(0, len(FURNITURE), n_src)
    text, st, en, pre, suf = anchors(rng, FURNITURE, idx)
    yield (
        "furniture",
        {
            "id": ids("fu-", range(n_src), w),
            "source_id": list(src_ids),
            "category": pick(["navigation", "photo-credit", "teaser-caption"], idx % 3),
            "opening": text,
            "start": st,
            "end": en,
            "prefix": pre,
            "suffix": suf,
            "extent": pick(["excerpt", "line", "rest"], rng.integers(0, 3, n_src)),
            "what": ["Page furniture around the article, not its content."] * n_src,
        },
    )
    uncoded = self_covered(UNCODED, "uncoded", lambda u: u[0]) if corpus else UNCODED
    idx = rng.integers(0, len(uncoded), n_src)
    text, st, en, pre, suf = anchors(rng, [u[0] for u in uncoded], idx)
    yield (
        "uncoded",
        {
            "id": ids("u-", range(n_src), w),
            "source_id": list(src_ids),
            "reason": pick([u[1] for u in uncoded], idx),
            "words": text,
            "start": st,
            "end": en,
            "prefix": pre,
            "suffix": suf,
            "note": blank_where(["Left uncoded on purpose."] * n_src, rng.random(n_src) < 0.5),
        },
    )


def _hex(rng: np.random.Generator, n: int, nbytes: int) -> list[str]:
    h = rng.bytes(n * nbytes).hex()
    step = 2 * nbytes
    return [h[i : i + step] for i in range(0, len(h), step)]


# --- articles (corpus mode) -------------------------------------------------------------
# Filler between the laid-out texts: no digits, no number words, no quotation marks, so
# completeness (x-covers) has nothing to count in it. Each starts and ends with a space,
# punctuation or a line break, so every value stays a whole-word mention and every number
# at the edge of a text stays a number.
FILLERS = [
    " ",
    " ",
    ", ",
    "; ",
    " and ",
    ". ",
    " — ",
    ", officials said, ",
    ". In Brussels, ",
    " while ministers met in Baghdad, ",
    ". The alliance said ",
    ", according to the ministry, ",
    ".\n",
    ".\n",
    ".\n\n",
]
_SYLLABLES = [c + v for c in "bdgklmprsz" for v in "aiou"]  # no number word is made of these


def tag(i: int) -> str:
    """A word that tells ``i`` apart without digits (0 ba, 1 bi, ..., 40 biba): names and
    aliases written into articles must not add numbers that completeness would count."""
    out = _SYLLABLES[i % len(_SYLLABLES)]
    i //= len(_SYLLABLES)
    while i:
        out = _SYLLABLES[i % len(_SYLLABLES)] + out
        i //= len(_SYLLABLES)
    return out


def schemas_of(root: Path = ROOT) -> dict:
    """Each resource's Table Schema (natodata's own reading of it), keyed by table name."""
    from natodata.model.tableschema import TableSchema

    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return {
        r["name"]: TableSchema(json.loads((root / r["schema"]).read_text(encoding="utf-8")))
        for r in descriptor["resources"]
    }


def self_covered(pool: list, table: str, text=lambda x: x) -> list:
    """The entries of ``pool`` whose text (``text(entry)``) has only quotations and numbers
    that a row of ``table`` spanning it accounts for, by the table's ``x-covers``: laid out
    alone between filler, they leave nothing uncoded."""
    from natodata.checks.completeness import DATES, NUMBERS, QUOTATIONS, numbers, quotations

    covers = schemas_of()[table].descriptor.get("x-covers") or {}
    if covers.get("content", True) is False:
        return list(pool)
    what = set(covers.get("what", []))

    def ok(s: str) -> bool:
        return (QUOTATIONS in what or not quotations(s)) and all(
            NUMBERS in what or (DATES in what and i.date) for i in numbers(s)
        )

    kept = [x for x in pool if ok(text(x))]
    if not kept:
        raise SystemExit(f"generate.py: no text of the {table} pool is accounted for by its x-covers {covers}")
    return kept


def write_corpus(tables: dict[str, dict[str, list[str]]], schemas: dict, corpus: Path, seed: int = 0) -> dict[str, int]:
    """Write one article per source into ``corpus`` and make ``tables`` agree with them.

    Every anchored row (``x-anchor`` and ``x-source``) gets its own occurrence of its text
    in its source's article, and every ``x-asWritten`` value one mention per source, in a
    random order with filler between (the texts of a table covering quotations between
    quotation marks, curly or straight); rows of a table whose ``x-covers`` says its spans
    are not content (furniture) close the article, each on its own line. start and end
    are the code-point offsets, prefix and suffix the context ``natodata anchor`` would
    write (up to 20 code points, stopping at a line break), and the sources' sha256 that
    of the written file. Rows of a table whose primary key holds an anchor field are
    re-sorted. Returns the counts of anchored rows, mentions and article characters."""
    from natodata.tools.anchor import context

    rng = np.random.default_rng(seed + 1)
    src_table = next(name for name, s in schemas.items() if s.corpus is not None)
    spec, key = schemas[src_table].corpus, schemas[src_table].primary_key[0]
    sids = tables[src_table][key]
    index = {sid: i for i, sid in enumerate(sids)}
    seg_src: list[int] = []
    seg_text: list[str] = []
    seg_row: list[tuple[str, int] | None] = []  # (table, row) of an anchored row, None for a mention
    seg_marks: list[bool] = []  # whether the text is written between quotation marks
    trailer: list[list[tuple[str, int, str]]] = [[] for _ in sids]
    for name, s in schemas.items():
        if s.source_field is None or name not in tables:
            continue
        cols = tables[name]
        where = [index[x] for x in cols[s.source_field]]
        if s.anchor is not None:
            covers = s.descriptor.get("x-covers") or {}
            content = covers.get("content", True) is not False
            marks = "quotations" in covers.get("what", [])  # quotes (and scare quotes) stand between marks
            for r, (si, text) in enumerate(zip(where, cols[s.anchor.text])):
                if content:
                    seg_src.append(si), seg_text.append(text), seg_row.append((name, r)), seg_marks.append(marks)
                else:
                    trailer[si].append((name, r, text))
        for f in s.fields:
            if f.as_written:
                seen = set()
                for si, value in zip(where, cols[f.name]):
                    if value and (si, value) not in seen:
                        seen.add((si, value))
                        seg_src.append(si), seg_text.append(value), seg_row.append(None), seg_marks.append(False)
    order = np.lexsort((rng.random(len(seg_src)), np.asarray(seg_src)))
    fill = rng.integers(0, len(FILLERS), len(seg_src)).tolist()
    parts: list[list[str]] = [[] for _ in sids]
    pos = [0] * len(sids)
    start = [0] * len(seg_src)
    curly = (rng.random(len(seg_src)) < 0.7).tolist()
    for k in order.tolist():
        si, text = seg_src[k], seg_text[k]
        f = FILLERS[fill[k]] if pos[si] else ""
        opening, closing = (("\u201c", "\u201d") if curly[k] else ('"', '"')) if seg_marks[k] else ("", "")
        parts[si] += (f, opening, text, closing)
        start[k] = pos[si] + len(f) + len(opening)
        pos[si] = start[k] + len(text) + len(closing)
    placed = [
        (*ref, si, st) for si, ref, st in zip(seg_src, seg_row, start) if ref is not None
    ]  # (table, row, source, start)
    for si, rows in enumerate(trailer):
        for name, r, text in rows:
            parts[si].append("\n")
            placed.append((name, r, si, pos[si] + 1))
            parts[si].append(text)
            pos[si] += 1 + len(text)
        parts[si].append("\n")
    articles = ["".join(p) for p in parts]
    for name, r, si, st in placed:
        a, cols = schemas[name].anchor, tables[name]
        en = st + len(cols[a.text][r])
        cols[a.start][r], cols[a.end][r] = str(st), str(en)
        cols[a.prefix][r], cols[a.suffix][r] = context(articles[si], st, en)
    corpus.mkdir(parents=True, exist_ok=True)
    for old in corpus.glob("*.txt"):
        old.unlink()
    digests = []
    for article, file in zip(articles, tables[src_table][spec.file]):
        data = article.encode("utf-8")
        (corpus / file).write_bytes(data)
        digests.append(hashlib.sha256(data).hexdigest())
    tables[src_table][spec.sha256] = digests
    for name, s in schemas.items():
        a = s.anchor
        if a is not None and name in tables and set(s.primary_key) & {a.start, a.end}:
            _sort_by_key(tables[name], s)
    return {
        "articles": len(articles),
        "anchored_rows": len(placed),
        "mentions": sum(r is None for r in seg_row),
        "article_chars": sum(map(len, articles)),
    }


def _sort_by_key(cols: dict[str, list[str]], schema) -> None:
    """Sort a table's columns in place by its primary key (integer fields as integers)."""
    keys = [(cols[f], schema.field(f).type == "integer") for f in schema.primary_key]
    n = len(next(iter(cols.values())))
    order = sorted(range(n), key=lambda i: tuple(int(c[i]) if integer else c[i] for c, integer in keys))
    for f in cols:
        cols[f] = [cols[f][i] for i in order]


# --- writing -------------------------------------------------------------------------


def write_package(
    n: int, outdir: Path, seed: int = 0, n_src: int | None = None, corpus: Path | None = None
) -> dict[str, int]:
    """Write the package (and, with ``corpus``, its articles: see :func:`write_corpus`);
    returns the row count of each table (and the corpus's counts under ``"corpus"``)."""
    outdir.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "datapackage.json", outdir / "datapackage.json")
    if (outdir / "schemas").exists():
        shutil.rmtree(outdir / "schemas")
    shutil.copytree(ROOT / "schemas", outdir / "schemas")
    (outdir / "data").mkdir(exist_ok=True)
    descriptor = json.loads((outdir / "datapackage.json").read_text(encoding="utf-8"))
    resources = {res["name"]: res for res in descriptor["resources"]}
    counts = {}
    if corpus is not None:  # the articles need every table at once
        made = generate(n, seed, n_src=n_src, corpus=True)
        counts["corpus"] = write_corpus(made, schemas_of(outdir), corpus, seed)
        each = iter(made.items())
    else:  # a table at a time, written in blocks of rows: memory does not grow with N
        each = tables(n, seed, n_src=n_src)
    for name, cols in each:
        res = resources.pop(name, None)
        if res is None:
            raise SystemExit(f"generate.py: tables not in the descriptor: {name}")
        schema = json.loads((outdir / res["schema"]).read_text(encoding="utf-8"))
        fields = [f["name"] for f in schema["fields"]]
        if set(cols) != set(fields):
            raise SystemExit(
                f"generate.py: {name}: the schema's fields {fields} differ from the generated {sorted(cols)}; "
                "update benchmarks/generate.py to the schema"
            )
        rows = len(cols[fields[0]])
        with open(outdir / res["path"], "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            w.writerow(fields)
            for lo in range(0, rows, BLOCK_ROWS):
                w.writerows(zip(*(rows_of(cols[f], lo, min(lo + BLOCK_ROWS, rows)) for f in fields)))
        counts[name] = rows
        del cols
    if resources:
        raise SystemExit(
            f"generate.py: no generator for tables {sorted(resources)}; teach benchmarks/generate.py about them"
        )
    return counts


#: Rows written at a time.
BLOCK_ROWS = 100_000


def parse_n(s: str) -> int:
    s = s.strip().lower().replace("_", "")
    mult = {"k": 1_000, "m": 1_000_000}.get(s[-1:], 1)
    return int(float(s[:-1] if mult > 1 else s) * mult)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=parse_n, help="rows in the large tables, e.g. 10000, 10k, 1M")
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sources", type=parse_n, help="number of sources (default N/100, at least 10)")
    ap.add_argument("--corpus", type=Path, metavar="DIR", help="also write the articles into DIR (see write_corpus)")
    args = ap.parse_args(argv)
    if args.n < 100:
        ap.error("N must be at least 100")
    t0 = time.perf_counter()
    counts = write_package(args.n, args.outdir, args.seed, n_src=args.sources, corpus=args.corpus)
    dt = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in (args.outdir / "data").glob("*.csv"))
    print(
        f"wrote {args.outdir} in {dt:.1f} s: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + f"; {size / 1e6:.1f} MB of CSV",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
