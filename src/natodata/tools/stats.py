"""``stats``: coverage per source — how many rows of each table that declares ``x-source`` each article yields."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..errors import InvalidPackage, NatodataError, UnreadableInput
from ..tables.read import read_tables
from .texttable import text_table

#: With --corpus: quotations and numbers in each article's content, those not accounted
#: for (coded, marked uncoded or furniture), and the share accounted for.
COMPLETENESS = ["quotations", "numbers", "uncovered", "covered_pct"]


def coverage(path: Path | str | None = None, corpus: Path | str | None = None) -> pd.DataFrame:
    """One row per source (plus a ``total`` row): counts of rows coded from it, as the
    schemas' ``x-source`` and foreign keys declare (:func:`_counts`). With ``corpus``,
    also the completeness columns (COMPLETENESS) of natodata.checks.completeness."""
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
    src = loaded.sources
    if src is None:
        raise NatodataError("cannot measure completeness: no table lists the articles (x-corpus)")
    articles, problems = load_articles(src.typed, src.schema, src.name, corpus, src.path)
    if problems:
        raise NatodataError("cannot measure completeness: " + "; ".join(f.message for f in problems))
    cov = complete(loaded.tables, articles)
    rows = {sid: [c.quotations, c.numbers, len(c.uncovered), c.percent] for sid, c in cov.items()}
    q, n, u = (sum(r[i] for r in rows.values()) for i in range(3))
    rows["total"] = [q, n, u, 100.0 if q + n == 0 else round(100 * (q + n - u) / (q + n), 1)]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=COMPLETENESS).reindex(index)
    return out.astype(dict.fromkeys(COMPLETENESS[:3], "int64"))


#: The rules whose grouping field stats counts per source (distinct values), by parameter.
GROUPS = {"statement-speaker-conflict": "group", "claim-disagreement": "claim"}


def _plural(name: str) -> str:
    """ "statements" for statement_id: how a column names the things a field counts."""
    noun = name.removesuffix("_id")
    return noun if noun.endswith("s") else noun + "s"


def _counts(loaded) -> pd.DataFrame:
    """Per source, what the schemas declare: every table with ``x-source`` counts its rows
    (a table whose primary key is one field) or the distinct rows it links the source to
    (a link table: the distinct values of its first other foreign key, named after the
    table it refers to, or after itself if that table counts its own rows); a rule's grouping field (GROUPS) counts distinct values. The
    sources are the rows of the ``x-corpus`` table, else the values the tables cite."""
    tables = {n: t for n, t in loaded.tables.items() if t.complete}
    cited = [(n, t) for n, t in tables.items() if t.schema.source_field and t.schema.source_field in t.typed]
    unread = [
        r.name
        for r in loaded.package.resources
        if r.schema is not None and r.schema.source_field and r.name not in tables
    ]
    if unread or not cited:
        why = (
            f"{', '.join(unread)} cannot be read; run natodata validate for details"
            if unread
            else "no table declares x-source (the field naming each row's article)"
        )
        raise InvalidPackage(f"cannot count: {why}")
    corpus = loaded.sources
    if corpus is not None and corpus.complete and len(corpus.schema.primary_key) == 1:
        ids = corpus.typed[corpus.schema.primary_key[0]].dropna().tolist()
    else:
        ids = sorted(set().union(*(set(t.typed[t.schema.source_field].dropna()) for _, t in cited)), key=str)
    counted: dict[str, list[tuple[pd.Series, pd.Series | None]]] = {}  # column -> (source, value) pairs
    for name, t in cited:
        schema, df = t.schema, t.typed
        source = df[schema.source_field]
        if len(schema.primary_key) == 1:
            counted.setdefault(name, []).append((source, None))
        else:
            fk = next(
                (
                    fk
                    for fk in schema.foreign_keys
                    if len(fk["fields"]) == 1
                    and fk["fields"][0] != schema.source_field
                    and fk["resource"] not in ("", name)
                ),
                None,
            )
            if fk is None:
                counted.setdefault(name, []).append((source, None))
            else:  # named after the table it links to, unless that table counts its own rows
                own = any(n == fk["resource"] and len(t2.schema.primary_key) == 1 for n, t2 in cited)
                counted.setdefault(name if own else fk["resource"], []).append((source, df[fk["fields"][0]]))
        for spec in schema.checks:
            field = spec.get(GROUPS.get(spec.get("rule"), ""))
            if isinstance(field, str) and field in df:
                counted.setdefault(_plural(field), []).append((source, df[field]))
    index = pd.Index(ids, name="source")
    out, total = {}, {}
    for column, pairs in counted.items():
        frame = pd.concat(
            [
                pd.DataFrame(
                    {
                        "source": s.astype(object),
                        "value": (v.astype(object) if v is not None else pd.Series(range(len(s)), index=s.index)),
                    }
                )
                for s, v in pairs
            ],
            ignore_index=True,
        )
        if all(v is None for _, v in pairs):
            out[column] = frame.groupby("source").size().reindex(ids, fill_value=0).to_numpy()
            total[column] = len(frame)
        else:
            frame = frame.dropna().drop_duplicates()
            out[column] = frame.groupby("source")["value"].nunique().reindex(ids, fill_value=0).to_numpy()
            total[column] = frame["value"].nunique()
    table = pd.DataFrame(out, index=index)
    return pd.concat(
        [table, pd.DataFrame({c: [v] for c, v in total.items()}, index=pd.Index(["total"], name="source"))]
    ).astype("int64")


def _columns(table: pd.DataFrame) -> list[str]:
    return list(table.columns)


def render_text(table: pd.DataFrame) -> str:
    cols = _columns(table)
    head = ["source", *cols]
    rows = [
        [str(i), *(f"{v:.1f}" if isinstance(v, float) else str(v) for v in r)]
        for i, r in zip(table.index, table[cols].itertuples(index=False))
    ]
    return "\n".join(text_table(head, rows, right=range(1, len(head)))) + "\n"


def render_json(table: pd.DataFrame) -> str:
    doc = {
        src: {c: (float(v) if c == "covered_pct" else int(v)) for c, v in row.items()}
        for src, row in table[_columns(table)].iterrows()
    }
    return json.dumps(doc, indent=2) + "\n"
