"""``claims``: each claim (a quantity reported in one or more sources) with its reports,
and whether they disagree.

Which table holds the reports, and which of its fields are the claim, the values and the
owner, is what its schema's ``claim-disagreement`` rule (``x-checks``) says; whether
reports disagree is that rule's own test (:mod:`natodata.checks.rules`): a report
disagrees when it differs from the first report of its claim (in file order) in a value
or in the owner. The source and the wording are the table's ``x-source`` and anchored
text fields.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..checks.rules import build_rule
from ..errors import NatodataError
from ..findings import display_value
from ..model.dialect import CANONICAL
from ..tables.read import Loaded, read_tables
from .texttable import text_table

RULE = "claim-disagreement"


@dataclass(frozen=True)
class Claims:
    """The reports, one row per report in file order, and the names of their fields."""

    table: str
    reports: pd.DataFrame  # the typed rows, plus "differs" (from the claim's first report)
    key: str  # the report's id
    claim: str
    source: str
    wording: str
    values: list[str]  # low … high
    owner: str

    @property
    def fields(self) -> list[str]:
        return [self.key, self.source, self.wording, *self.values, self.owner]

    def disagreeing(self) -> pd.Series:
        """Whether each claim's reports disagree, by claim id (in order)."""
        return self.reports.groupby(self.claim, sort=True)["differs"].any()


def claims(path: Path | str | None = None) -> Claims:
    """Read the package and return its claims; raises NatodataError if the package has
    errors or no table declares the claim-disagreement rule."""
    loaded = read_tables(path)
    if loaded.report.errors:
        raise NatodataError(
            f"cannot list claims: the package has {len(loaded.report.errors)} errors; run natodata validate"
        )
    found = claims_of(loaded)
    if found is None:
        raise NatodataError(f"cannot list claims: no table declares the {RULE} rule (x-checks)")
    return found


def claims_of(loaded: Loaded) -> Claims | None:
    """The claims of a package read without errors; None if no table declares the rule."""
    tables = {n: t.typed for n, t in loaded.tables.items()}
    schemas = {n: t.schema for n, t in loaded.tables.items()}
    for name, schema in schemas.items():
        spec = next((c for c in schema.checks if c.get("rule") == RULE), None)
        if spec is None:
            continue
        if schema.source_field is None or schema.anchor is None or len(schema.primary_key) != 1:
            raise NatodataError(
                f"cannot list claims: table {name!r} declares {RULE} but not its x-source, x-anchor "
                "and a one-field primary key"
            )
        rule = build_rule(spec, name, schema, schemas)
        df = tables[name]
        reports = df.assign(differs=~rule.test(df, tables).fillna(True).astype(bool))
        reports = reports[reports[spec["claim"]].notna()].reset_index(drop=True)
        return Claims(
            name,
            reports,
            schema.primary_key[0],
            spec["claim"],
            schema.source_field,
            schema.anchor.text,
            list(spec["values"]),
            spec["owner"],
        )
    return None


def _number(v):
    """A value for JSON: whole numbers as integers, a gap as null, NaN and infinities as text."""
    if v is pd.NA or v is None:
        return None
    v = float(v)
    if not math.isfinite(v):
        return display_value(v)
    return int(v) if v.is_integer() else v


def _text(v, number: bool = False) -> str:
    """A cell as text: a gap is empty; for a number (``number``) NaN is a value, not a gap."""
    if v is pd.NA or v is None or (not number and pd.isna(v)):
        return ""
    return display_value(v)


def render_text(c: Claims) -> str:
    disagree = c.disagreeing()
    head = [" ", c.source, c.wording, *c.values, c.owner]  # the * column is one wide
    out = []
    for claim_id, rows in c.reports.groupby(c.claim, sort=True):
        n, sources = len(rows), rows[c.source].nunique()
        verdict = "they disagree" if disagree[claim_id] else ("they agree" if n > 1 else "one report")
        out.append(f"{claim_id}: {n} report{'s' * (n != 1)} from {sources} source{'s' * (sources != 1)}; {verdict}")
        body = [
            [
                "*" if r["differs"] else "",
                _text(r[c.source]),
                _text(r[c.wording]),
                *(_text(r[v], True) for v in c.values),
                _text(r[c.owner]),
            ]
            for _, r in rows.iterrows()
        ]
        out += [("  " + line).rstrip() for line in text_table(head, body, right=range(3, 3 + len(c.values)))]
        out.append("")
    n_claims, n_disagree = len(disagree), int(disagree.sum())
    out.append(
        f"{len(c.reports)} reports of {n_claims} claims; {n_disagree} claim{'s' * (n_disagree != 1)} with "
        "disagreeing reports (* differs from the claim's first report in a value or the owner)"
    )
    return "\n".join(out) + "\n"


def render_json(c: Claims) -> str:
    disagree = c.disagreeing()
    doc = {"table": c.table, "claims": []}
    for claim_id, rows in c.reports.groupby(c.claim, sort=True):
        reports = [
            {
                c.key: r[c.key],
                c.source: r[c.source],
                c.wording: r[c.wording],
                **{v: _number(r[v]) for v in c.values},
                c.owner: _text(r[c.owner]) or None,
                "differs": bool(r["differs"]),
            }
            for _, r in rows.iterrows()
        ]
        doc["claims"].append({c.claim: claim_id, "disagree": bool(disagree[claim_id]), "reports": reports})
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_csv(c: Claims) -> str:
    disagree = c.disagreeing()
    buf = io.StringIO()
    w = csv.writer(buf, **CANONICAL.writer_options())
    w.writerow([c.claim, "disagree", *c.fields, "differs"])
    for claim_id, rows in c.reports.groupby(c.claim, sort=True):
        for _, r in rows.iterrows():
            w.writerow(
                [
                    claim_id,
                    str(bool(disagree[claim_id])).lower(),
                    *(_text(r[f], f in c.values) for f in c.fields),
                    str(bool(r["differs"])).lower(),
                ]
            )
    return buf.getvalue()


RENDERERS = {"text": render_text, "json": render_json, "csv": render_csv}
