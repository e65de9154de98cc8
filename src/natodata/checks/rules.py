"""Domain rules: named dataframe checks over one table, which may look up other tables.

A table opts into a rule in its Table Schema, and the schema names every field the rule
reads, so no field name appears here:

* ``x-checks``: a list of ``{"rule": <finding type>, ...parameters}``; each rule's
  parameters are defined by natodata/model/extensions.schema.json (tabled in
  docs/validate.md), and :func:`build_rule` refuses an entry that misstates them
  (:class:`RuleSpecError`, which the descriptor checks report as a ``schema-error``;
  :func:`rules_for` leaves it out);
* ``x-anchor`` brings ``anchor-length``; a field's ``x-precision`` brings
  ``date-precision-mismatch``.

Each rule's name is the type of its findings, declared with its severity and meaning in
:mod:`natodata.findingtypes`; its builder is registered against it here once
(``@_rule(name)``, :data:`RULES`), and nothing else names it. What a rule is (:class:`Rule`,
:class:`RuleSpecError`) is :mod:`natodata.checks.ruletype`, importable from here too. The
rules run as pandera dataframe checks (:meth:`Rule.check`), built per schema (never
registered with pandera), which :mod:`natodata.checks.constraints` puts into each table's schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Callable

import numpy as np
import pandas as pd

from ..findings import Registry, display_value as dv, switched_by
from ..model.extensions import rule_problem
from ..model.tableschema import TableSchema, corpus_table
from ..tables.dates import PRECISION_LENGTHS, partial_date_bounds
from .frames import fast_isin, first_positions
from .ruletype import Builder, Rule, RuleSpecError, Schemas, Tables as Tables

_RULES: Registry[Builder] = Registry("x-checks", "x-precision", "x-anchor")


def _rule(name: str) -> Callable[[Builder], Builder]:
    """Register the decorated builder as the rule ``name`` (a finding type of
    :mod:`natodata.findingtypes` that ``x-checks``, ``x-precision`` or ``x-anchor`` switches
    on); the rules it builds carry that type."""

    def register(build: Builder) -> Builder:
        return _RULES.register(
            name, lambda spec, table, schema, schemas: replace(build(spec, table, schema, schemas), type=name)
        )

    return register


def _passes(df: pd.DataFrame) -> pd.Series:
    return pd.Series(True, index=df.index)


def _lookup(keys: pd.Series, values: pd.Series) -> pd.Series:
    """``values`` by ``keys``, for ``Series.map``. A key that repeats (a primary-key
    error, reported by the key check) keeps its first row, so the lookup stays defined."""
    first = ~keys.duplicated().to_numpy()
    return pd.Series(values.to_numpy()[first], index=keys.to_numpy()[first])


def _noun(name: str) -> str:
    """ "speaker" for speaker_id, "actor" for actors: how messages name a field's or table's things."""
    return name.removesuffix("_id").removesuffix("s")


def _either(words: list[str]) -> str:
    words = [w.replace("-", " ") for w in words]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


# --- the rules, each built from its parameters ------------------------------------


@_rule("value-order")
def _value_order(spec, table, schema, schemas) -> Rule:
    fields = list(spec["fields"])

    def test(df, tables):
        ok = _passes(df)
        for a, b in zip(fields, fields[1:]):
            ok &= df[a] <= df[b]
        return ok

    return Rule(
        fields[len(fields) // 2],
        lambda r, t: f"{' ≤ '.join(fields)} does not hold: {', '.join(dv(r[f]) for f in fields)}",
        test,
    )


@_rule("date-bounds-order")
def _date_bounds_order(spec, table, schema, schemas) -> Rule:
    first, last = spec["fields"]
    return Rule(
        last,
        lambda r, t: f"{first} {dv(r[first])} is after {last} {dv(r[last])}",
        lambda df, tables: (df[first] <= df[last]) | df[first].isna() | df[last].isna(),
    )


@_rule("date-bounds-outside")
def _date_bounds_outside(spec, table, schema, schemas) -> Rule:
    date, (first, last) = spec["date"], spec["bounds"]

    def test(df, tables):
        lo, hi = partial_date_bounds(df[date])
        # a blank or unreal date, or a blank bound, is its own finding (required, invalid-date)
        unknown = lo.isna() | hi.isna() | df[first].isna() | df[last].isna()
        return ((df[first] >= lo) & (df[last] <= hi)) | unknown

    return Rule(
        date,
        lambda r, t: f"{first}..{last} ({dv(r[first])}..{dv(r[last])}) is not within the period {r[date]!r} names",
        test,
    )


def _corpus_table(schemas: Schemas) -> tuple[str, TableSchema] | None:
    name = corpus_table(schemas)
    return None if name is None else (name, schemas[name])


@_rule("event-after-publication")
def _event_after_publication(spec, table, schema, schemas) -> Rule:
    status, value, earliest = spec["status"], spec["value"], spec["earliest"]
    evidence, event_field = spec["evidence"]["resource"], spec["evidence"]["field"]
    key = schema.primary_key[0]
    corpus = _corpus_table(schemas)
    source_field = schemas[evidence].source_field if evidence in schemas else None

    def test(df, tables):
        ev = tables.get(evidence)
        if corpus is None or source_field is None or corpus[1].corpus.published is None:
            return _passes(df)
        src_name, src_schema = corpus
        src, published = tables.get(src_name), src_schema.corpus.published
        if (
            ev is None
            or src is None
            or published not in src
            or event_field not in ev
            or not src_schema.primary_key
            or ev.empty
            or src.empty
        ):
            return _passes(df)
        _, pub_last = partial_date_bounds(src[published])
        pub = _lookup(src[src_schema.primary_key[0]], pub_last)
        src_pub = ev[source_field].map(pub)
        latest_pub = pd.Series(src_pub.values, index=ev[event_field].values).groupby(level=0).max()
        limit = df[key].map(latest_pub)
        return ~((df[status] == value) & (df[earliest] > limit))

    reads = {(table, key), (table, status), (table, earliest), (evidence, event_field)}
    if source_field is not None:
        reads.add((evidence, source_field))
    if corpus is not None:
        reads |= {(corpus[0], f) for f in [corpus[1].corpus.published, *corpus[1].primary_key[:1]] if f}
    return Rule(
        status,
        lambda r, t: (
            f"event is marked {value} but its earliest date {dv(r[earliest])} is after the publication of its source"
        ),
        test,
        frozenset(reads),
    )


@_rule("speaker-kind")
def _speaker_kind(spec, table, schema, schemas) -> Rule:
    field, kind, allowed = spec["field"], spec["kind"], list(spec["allowed"])
    target = schema.reference(field) or table
    target_key = schemas[target].primary_key[0] if target in schemas and schemas[target].primary_key else None

    def test(df, tables):
        other = tables.get(target)
        if other is None or kind not in other or target_key is None:
            return _passes(df)
        at = first_positions(df[field], other[target_key])
        if at is not None:  # the same verdicts, each actor's once: 1M lookups by map take seconds
            ok = (other[kind].isin(allowed) | other[kind].isna()).to_numpy(dtype=bool)
            return pd.Series(np.where(at >= 0, ok[np.maximum(at, 0)] if len(ok) else True, True), index=df.index)
        kinds = df[field].map(_lookup(other[target_key], other[kind]))
        return kinds.isin(allowed) | kinds.isna()

    reads = {(table, field)} | ({(target, target_key), (target, kind)} if target_key else set())
    return Rule(field, lambda r, t: f"{_noun(field)} {r[field]!r} is not a {_either(allowed)}", test, frozenset(reads))


@_rule("statement-speaker-conflict")
def _statement_speaker_conflict(spec, table, schema, schemas) -> Rule:
    group, field = spec["group"], spec["field"]
    return Rule(
        group,
        lambda r, t: f"{_noun(group)} {r[group]!r} is attributed to more than one {_noun(field)}",
        lambda df, tables: df.groupby(group)[field].transform("nunique") <= 1,
        frozenset({(table, group), (table, field)}),
    )


@_rule("iso3-required")
def _iso3_required(spec, table, schema, schemas) -> Rule:
    field, when, equals = spec["field"], spec["when"], spec["equals"]
    return Rule(
        field,
        lambda r, t: (
            f"a {r[when]} "
            + (
                "needs an ISO 3166-1 alpha-3 code"
                if r[when] == equals
                else f"takes no ISO code; {field} is for {equals}s"
            )
        ),
        lambda df, tables: (df[when] == equals) == df[field].notna(),
    )


def _used(values: list[pd.Series]) -> pd.Series:
    """Every value the columns use, once (blanks left out)."""
    distinct = [_distinct(v) for v in values]
    if not distinct:
        return pd.Series([], dtype="str")
    return pd.Series(pd.concat(distinct, ignore_index=True).unique())


def _distinct(s: pd.Series) -> pd.Series:
    """The distinct values of ``s`` (blanks left out); of a categorical, the categories in use."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy()
        return pd.Series(s.cat.categories[np.unique(codes[codes >= 0])])
    return pd.Series(s.dropna().unique())


@_rule("unused-actor")
def _unused_actor(spec, table, schema, schemas) -> Rule:
    users = [(u["resource"], u["field"], u["as"]) for u in spec["usedBy"]]
    key = schema.primary_key[0]

    def test(df, tables):
        return fast_isin(df[key], _used([tables[t][c] for t, c, _ in users if t in tables and c in tables[t]]))

    return Rule(
        key,
        lambda r, t: f"{_noun(table)} {r[key]!r} is not a {_either([w for _, _, w in users])}",
        test,
        frozenset({(table, key), *((t, c) for t, c, _ in users)}),
    )


@_rule("unused-source")
def _unused_source(spec, table, schema, schemas) -> Rule:
    key = schema.primary_key[0]
    users = [(n, s.source_field) for n, s in schemas.items() if n != table and s.source_field]

    def test(df, tables):
        return fast_isin(df[key], _used([tables[n][c] for n, c in users if n in tables and c in tables[n]]))

    return Rule(
        key, lambda r, t: f"{_noun(table)} {r[key]!r} is not cited by any row", test, frozenset({(table, key), *users})
    )


@_rule("claim-disagreement")
def _claim_disagreement(spec, table, schema, schemas) -> Rule:
    claim, values, owner = spec["claim"], list(spec["values"]), spec["owner"]
    low, high = values[0], values[-1]
    source = schema.source_field
    text = schema.anchor.text if schema.anchor else None

    def describe(r, t):
        rows = t[table][t[table][claim] == r[claim]]
        reports = "; ".join(
            f"{x[source]} {x[text]!r} = {dv(x[low])}..{dv(x[high])}"
            + (f" of {x[owner]}" if not pd.isna(x[owner]) else "")
            for _, x in rows.iterrows()
        )
        differ = [
            what
            for what, cols in (("values", values), ("owner", [owner]))
            if len({tuple(dv(x[c]) for c in cols) for _, x in rows.iterrows()}) > 1
        ]
        return f"the {len(rows)} reports of {_noun(claim)} {r[claim]!r} differ in {' and '.join(differ)}: {reports}"

    def test(df, tables):
        """A row that differs from the first report of its claim in value or owner, comparing
        the values as text (``astype("string")``, blank as ""). Rows without a claim pass."""
        codes, _ = pd.factorize(df[claim])  # -1 where blank
        ok = np.ones(len(df), dtype=bool)
        has = codes >= 0
        if has.any():
            _, first = np.unique(codes[has], return_index=True)
            first = np.flatnonzero(has)[first]  # the row of each claim's first report
            for col in [*values, owner]:
                as_text = _text_classes(df[col])
                ok[has] &= as_text[has] == as_text[first[codes[has]]]
        return pd.Series(ok, index=df.index)

    reads = {(table, f) for f in [claim, *values, owner, source, text] if f}
    return Rule(claim, describe, test, frozenset(reads), once_per_value=True)


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


# --- rules that follow from other x- properties -----------------------------------


@_rule("date-precision-mismatch")
def _precision_rule(spec, table, schema, schemas) -> Rule:
    field, precision = spec["field"], spec["precision"]
    return Rule(
        field,
        lambda r, t: f"{field} {r[field]!r} does not have {r[precision]} precision",
        lambda df, tables: df[field].str.len() == df[precision].map(PRECISION_LENGTHS),
    )


@_rule("anchor-length")
def _anchor_rule(spec, table, schema, schemas) -> Rule:
    a = schema.anchor
    return Rule(
        a.end,
        lambda r, t: f"{a.end} - {a.start} is {r[a.end] - r[a.start]} but the {a.text} has {len(r[a.text])} characters",
        lambda df, tables: (df[a.end] - df[a.start]) == df[a.text].str.len(),
    )


#: Every rule's builder, by finding type, as registered above.
RULES: Mapping[str, Builder] = _RULES.freeze()
#: The rules a schema's ``x-checks`` may name.
X_CHECKS = switched_by("x-checks")


def build_rule(spec: dict, table: str, schema: TableSchema, schemas: Schemas) -> Rule:
    """The rule an ``x-checks`` entry declares; raises RuleSpecError if it cannot be built."""
    name = spec.get("rule")
    if not isinstance(name, str) or name not in X_CHECKS:
        raise RuleSpecError(f"unknown rule {name!r}; known: {', '.join(X_CHECKS)}", "/rule" if "rule" in spec else "")
    problem = rule_problem(name, spec, schema.field_names)
    if problem is not None:
        raise RuleSpecError(problem.message, problem.pointer)
    try:
        return RULES[name](spec, table, schema, schemas)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise RuleSpecError(f"rule {name!r} lacks or misstates a parameter ({type(exc).__name__}: {exc})") from None


def rules_for(table: str, schema: TableSchema, schemas: Schemas) -> list[Rule]:
    """Every domain rule the table's schema declares (a malformed ``x-checks`` entry is
    left out here and reported as a ``schema-error`` by the descriptor checks)."""
    out = []
    for spec in schema.checks:
        try:
            out.append(build_rule(spec, table, schema, schemas))
        except RuleSpecError:
            continue
    for fld in schema.fields:
        if fld.precision_field:
            out.append(
                RULES["date-precision-mismatch"](
                    {"field": fld.name, "precision": fld.precision_field}, table, schema, schemas
                )
            )
    if schema.anchor is not None:
        out.append(RULES["anchor-length"]({}, table, schema, schemas))
    return out
