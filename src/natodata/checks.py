"""Named checks: generic column checks registered with pandera, and the domain rules.

Column checks (``pa.Check.no_surrounding_whitespace()`` and friends) are registered
with :func:`pandera.extensions.register_check_method`. Domain rules are dataframe
checks over one table, which may look up other tables; each has a stable kebab-case
name that becomes the finding's type.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from functools import cache
from typing import Callable

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.extensions import register_check_method

from .casting import NUMBER_RE
from .dates import partial_date_bounds
from .findings import Severity
from .keys import fast_isin

Tables = dict[str, pd.DataFrame]


# --- generic column checks -------------------------------------------------------

@cache
def iso3_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


@register_check_method()
def no_surrounding_whitespace(s: pd.Series) -> pd.Series:
    return s == s.str.strip()


@register_check_method()
def no_formula(s: pd.Series) -> pd.Series:
    risky = s.str.match(r"[=+\-@\t\r]")
    if not risky.any():  # the common case: no need to look for numbers
        return ~risky
    return ~risky | s.str.fullmatch(NUMBER_RE)


#: Control characters, line breaks and invisible format characters (BOM, zero-width
#: spaces, bidi marks): never meaningful in a cell, and not in the corpus.
#: The \u characters are written literally (not as regex escapes) so that pandas can run
#: the search in pyarrow's RE2 instead of falling back to Python's re, cell by cell.
CONTROL_RE = "[\\x00-\\x1f\\x7f-\\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff]"


@register_check_method()
def no_control_characters(s: pd.Series) -> pd.Series:
    return ~s.str.contains(CONTROL_RE, regex=True)


@register_check_method()
def iso3166_alpha3(s: pd.Series) -> pd.Series:
    return s.isin(iso3_codes())


@register_check_method()
def partial_date(s: pd.Series) -> pd.Series:
    first, _ = partial_date_bounds(s)
    return first.notna()


# --- domain rules ---------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    type: str
    table: str
    field: str
    severity: Severity
    describe: Callable[[pd.Series, Tables], str]  # message for one failing row
    test: Callable[[pd.DataFrame, Tables], pd.Series]  # True where the row passes

    def check(self, tables: Tables) -> pa.Check:
        return pa.Check(lambda df: self.test(df, tables).fillna(True).astype(bool), name=self.type, error=self.type)


RULES: list[Rule] = []


def rule(table: str, type_: str, field: str, describe: Callable[[pd.Series], str], severity: Severity = Severity.ERROR):
    def deco(fn):
        RULES.append(Rule(type_, table, field, severity, describe, fn))
        return fn

    return deco


def rules_for(table: str) -> list[Rule]:
    return [r for r in RULES if r.table == table]


def _fmt(v) -> str:
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


@rule("figures", "value-order", "value_best",
      lambda r, t: f"value_low ≤ value_best ≤ value_high does not hold: {_fmt(r.value_low)}, {_fmt(r.value_best)}, {_fmt(r.value_high)}")
def _value_order(df, tables):
    return (df.value_low <= df.value_best) & (df.value_best <= df.value_high)


@rule("events", "date-bounds-order", "date_latest",
      lambda r, t: f"date_earliest {_fmt(r.date_earliest)} is after date_latest {_fmt(r.date_latest)}")
def _bounds_order(df, tables):
    return df.date_earliest <= df.date_latest


def _precision_rule(table: str, field: str):
    lengths = {"year": 4, "month": 7, "day": 10}

    @rule(table, "date-precision-mismatch", field,
          lambda r, t: f"{field} {r[field]!r} does not have {r[field + '_precision']} precision")
    def _check(df, tables):
        want = df[field + "_precision"].map(lengths)
        return df[field].str.len() == want

    return _check


_precision_rule("sources", "published")
_precision_rule("events", "date")


@rule("events", "date-bounds-outside", "date",
      lambda r, t: f"date_earliest..date_latest ({_fmt(r.date_earliest)}..{_fmt(r.date_latest)}) is not within the period {r.date!r} names")
def _bounds_inside(df, tables):
    first, last = partial_date_bounds(df.date)
    return (df.date_earliest >= first) & (df.date_latest <= last)


@rule("events", "event-after-publication", "status",
      lambda r, t: f"event is marked occurred but its earliest date {_fmt(r.date_earliest)} is after the publication of its source")
def _after_publication(df, tables):
    ev, src = tables.get("event_evidence"), tables.get("sources")
    if ev is None or src is None or "published" not in src or "event_id" not in ev:
        return pd.Series(True, index=df.index)
    _, pub_last = partial_date_bounds(src.published)
    pub = pd.Series(pub_last.values, index=src.id.values)
    src_pub = ev.source_id.map(pub)
    latest_pub = pd.Series(src_pub.values, index=ev.event_id.values).groupby(level=0).max()
    limit = df.id.map(latest_pub)
    return ~((df.status == "occurred") & (df.date_earliest > limit))


SPEAKER_KINDS = ("person", "organisation", "unnamed-group")


@rule("quotes", "speaker-kind", "speaker_id",
      lambda r, t: f"speaker {r.speaker_id!r} is not a person, organisation or unnamed group")
def _speaker_kind(df, tables):
    actors = tables.get("actors")
    if actors is None or "kind" not in actors:
        return pd.Series(True, index=df.index)
    kind = df.speaker_id.map(pd.Series(actors.kind.values, index=actors.id.values))
    return kind.isin(SPEAKER_KINDS) | kind.isna()


@rule("quotes", "statement-speaker-conflict", "statement_id",
      lambda r, t: f"statement {r.statement_id!r} is attributed to more than one speaker")
def _statement_speaker(df, tables):
    n = df.groupby("statement_id").speaker_id.transform("nunique")
    return n <= 1


@rule("actors", "iso3-required", "iso3",
      lambda r, t: f"a {r.kind} " + ("needs an ISO 3166-1 alpha-3 code" if r.kind == "state" else "takes no ISO code; iso3 is for states"))
def _iso3_required(df, tables):
    return (df.kind == "state") == df.iso3.notna()


def _anchor_rule(table: str, text_field: str):
    @rule(table, "anchor-length", "end",
          lambda r, t: f"end - start is {r.end - r.start} but the {text_field} has {len(r[text_field])} characters")
    def _check(df, tables):
        return (df.end - df.start) == df[text_field].str.len()

    return _check


for _t, _f in (("event_evidence", "excerpt"), ("quotes", "text"), ("figures", "wording")):
    _anchor_rule(_t, _f)


def _used(values: list[pd.Series]) -> pd.Series:
    """Every value the columns use, once (blanks left out)."""
    if not values:
        return pd.Series([], dtype="str")
    return pd.Series(pd.concat([v.dropna() for v in values], ignore_index=True).unique())


ACTOR_USERS = (("quotes", "speaker_id"), ("figures", "owner_id"), ("event_participants", "actor_id"))


@rule("actors", "unused-actor", "id", lambda r, t: f"actor {r.id!r} is not a speaker, figure owner or event participant",
      Severity.WARNING)
def _unused_actor(df, tables):
    used = _used([tables[t][c] for t, c in ACTOR_USERS if t in tables and c in tables[t]])
    return fast_isin(df.id, used)


@rule("sources", "unused-source", "id", lambda r, t: f"source {r.id!r} is not cited by any row", Severity.WARNING)
def _unused_source(df, tables):
    used = _used([t.source_id for name, t in tables.items() if name != "sources" and "source_id" in t])
    return fast_isin(df.id, used)


@rule("figures", "claim-disagreement", "claim_id",
      lambda r, t: f"reports of claim {r.claim_id!r} disagree (a real disagreement between reports, kept as printed): "
      + "; ".join(f"{x.source_id} {x.wording!r} = {_fmt(x.value_low)}..{_fmt(x.value_high)}"
                  + (f" of {x.owner_id}" if not pd.isna(x.owner_id) else "")
                  for x in t["figures"][t["figures"].claim_id == r.claim_id].itertuples()),
      Severity.WARNING)
def _claim_disagreement(df, tables):
    """A row that differs from the first report of its claim in value or owner, comparing
    the values as text (``astype("string")``, blank as ""). Rows without a claim_id pass."""
    claim, _ = pd.factorize(df["claim_id"])  # -1 where blank
    ok = np.ones(len(df), dtype=bool)
    has = claim >= 0
    if has.any():
        _, first = np.unique(claim[has], return_index=True)
        first = np.flatnonzero(has)[first]  # the row of each claim's first report
        for col in ("value_low", "value_best", "value_high", "owner_id"):
            text = _text_classes(df[col])
            ok[has] &= text[has] == text[first[claim[has]]]
    return pd.Series(ok, index=df.index)


def _text_classes(s: pd.Series) -> np.ndarray:
    """Integer codes, equal exactly where ``s.astype("string").fillna("")`` is equal; only
    one value per distinct value (per bit pattern, for floats) is turned into text."""
    if pd.api.types.is_float_dtype(s.dtype):
        na = s.isna().to_numpy()
        codes, _ = pd.factorize(s.to_numpy(dtype="float64", na_value=0.0).view(np.int64))
        codes = np.where(na, codes.max(initial=-1) + 1, codes)
    else:
        codes, _ = pd.factorize(s, use_na_sentinel=False)
    classes, rep = np.unique(codes, return_index=True)  # a row holding each value
    text, _ = pd.factorize(s.iloc[rep].astype("string").fillna(""))
    lookup = np.empty(codes.max(initial=-1) + 1, dtype=np.intp)
    lookup[classes] = text
    return lookup[codes]
