"""``stats``: coverage per source — how many quotes, figures, events and actors each article yields."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..errors import InvalidPackage
from ..tables.read import read_tables

COLUMNS = ["quotes", "figures", "events", "actors", "statements", "claims"]


def coverage(path: Path | str | None = None) -> pd.DataFrame:
    """One row per source (plus a ``total`` row): counts of rows coded from it.

    events counts distinct events with evidence in the source; actors counts distinct
    actors named in it (actor_aliases); statements and claims count distinct ids."""
    loaded = read_tables(path)
    t = {name: tab.typed for name, tab in loaded.tables.items() if tab.complete}
    needed = {"sources", "quotes", "figures", "event_evidence", "actor_aliases"}
    if not needed <= t.keys():
        missing = ", ".join(sorted(needed - t.keys()))
        raise InvalidPackage(f"cannot count: {missing} cannot be read; run natodata validate for details")
    ids = t["sources"]["id"].tolist()

    def per_source(frame: pd.DataFrame, col: str | None = None) -> pd.Series:
        if col is None:
            counts = frame.groupby("source_id").size()
        else:
            counts = frame.groupby("source_id")[col].nunique()
        return counts.reindex(ids, fill_value=0)

    out = pd.DataFrame({
        "quotes": per_source(t["quotes"]),
        "figures": per_source(t["figures"]),
        "events": per_source(t["event_evidence"], "event_id"),
        "actors": per_source(t["actor_aliases"], "actor_id"),
        "statements": per_source(t["quotes"], "statement_id"),
        "claims": per_source(t["figures"], "claim_id"),
    }, index=pd.Index(ids, name="source"))
    total = pd.DataFrame({
        "quotes": [len(t["quotes"])],
        "figures": [len(t["figures"])],
        "events": [t["event_evidence"]["event_id"].nunique()],
        "actors": [t["actor_aliases"]["actor_id"].nunique()],
        "statements": [t["quotes"]["statement_id"].nunique()],
        "claims": [t["figures"]["claim_id"].nunique()],
    }, index=pd.Index(["total"], name="source"))
    return pd.concat([out, total]).astype("int64")


def render_text(table: pd.DataFrame) -> str:
    head = ["source", *COLUMNS]
    rows = [[str(i), *(str(v) for v in r)] for i, r in zip(table.index, table[COLUMNS].itertuples(index=False))]
    widths = [max(len(x) for x in col) for col in zip(head, *rows)]

    def line(cells):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return "\n".join([line(head), *(line(r) for r in rows)]) + "\n"


def render_json(table: pd.DataFrame) -> str:
    doc = {src: {c: int(v) for c, v in row.items()} for src, row in table[COLUMNS].iterrows()}
    return json.dumps(doc, indent=2) + "\n"
