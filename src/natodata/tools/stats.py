"""``stats``: coverage per source — how many quotes, figures, events and actors each article yields."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..errors import InvalidPackage, NatodataError, UnreadableInput
from ..tables.read import read_tables

COLUMNS = ["quotes", "figures", "events", "actors", "statements", "claims"]


#: With --corpus: quotations and numbers in each article's content, those not accounted
#: for (coded, marked uncoded or furniture), and the share accounted for.
COMPLETENESS = ["quotations", "numbers", "uncovered", "covered_pct"]


def coverage(path: Path | str | None = None, corpus: Path | str | None = None) -> pd.DataFrame:
    """One row per source (plus a ``total`` row): counts of rows coded from it.

    events counts distinct events with evidence in the source; actors counts distinct
    actors named in it (actor_aliases); statements and claims count distinct ids. With
    ``corpus``, also the completeness columns (COMPLETENESS) of natodata.checks.completeness."""
    return coverage_of(read_tables(path), corpus)


def coverage_of(loaded, corpus: Path | str | None = None) -> pd.DataFrame:
    """:func:`coverage` of a package already read (:func:`natodata.tables.read.read_tables`)."""
    table = _counts(loaded)
    if corpus is not None:
        table = table.join(_completeness(loaded, Path(corpus), table.index))
    return table


def _completeness(loaded, corpus: Path, index) -> pd.DataFrame:
    from ..checks.completeness import coverage as complete
    from ..checks.provenance import load_articles

    if not corpus.is_dir():
        raise UnreadableInput(f"corpus directory not found: {corpus}")
    src = next((t for t in loaded.tables.values() if t.schema.corpus is not None), None)
    articles, problems = load_articles(src.typed, src.schema, src.name, corpus, src.path)
    if problems:
        raise NatodataError("cannot measure completeness: " + "; ".join(f.message for f in problems))
    cov = complete(loaded.tables, articles)
    rows = {sid: [c.quotations, c.numbers, len(c.uncovered), c.percent] for sid, c in cov.items()}
    q, n, u = (sum(r[i] for r in rows.values()) for i in range(3))
    rows["total"] = [q, n, u, 100.0 if q + n == 0 else round(100 * (q + n - u) / (q + n), 1)]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=COMPLETENESS).reindex(index)
    return out.astype({c: "int64" for c in COMPLETENESS[:3]})


def _counts(loaded) -> pd.DataFrame:
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


def _columns(table: pd.DataFrame) -> list[str]:
    return [c for c in COLUMNS + COMPLETENESS if c in table.columns]


def render_text(table: pd.DataFrame) -> str:
    cols = _columns(table)
    head = ["source", *cols]
    rows = [[str(i), *(f"{v:.1f}" if isinstance(v, float) else str(v) for v in r)]
            for i, r in zip(table.index, table[cols].itertuples(index=False))]
    widths = [max(len(x) for x in col) for col in zip(head, *rows)]

    def line(cells):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return "\n".join([line(head), *(line(r) for r in rows)]) + "\n"


def render_json(table: pd.DataFrame) -> str:
    doc = {src: {c: (float(v) if c == "covered_pct" else int(v)) for c, v in row.items()}
           for src, row in table[_columns(table)].iterrows()}
    return json.dumps(doc, indent=2) + "\n"
