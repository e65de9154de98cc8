"""The SQLite export made ready for Datasette: indexes, full-text search, views for the
questions analysts ask, and a metadata.json generated from the descriptor and schemas.

* an index on every foreign-key column (:func:`index_sql`);
* full-text search (FTS5, external content) on the fields of :data:`FTS`;
* ``claims``, a table derived by :mod:`natodata.tools.claims` (each claim, its number of
  reports and sources, and whether they disagree), the view of its reports (its table and
  fields those the schemas' ``x-`` properties declare: :func:`claim_reports`) and the views
  of :data:`VIEWS`;
* :func:`metadata`: title, licence, source, descriptions of the package, tables, columns
  and views, the label column of every table a foreign key points to (so Datasette shows
  an actor's name instead of its slug), and facets for the vocabularies.
"""

from __future__ import annotations

import re
import sqlite3

from ..errors import ExportRefused
from ..model.tableschema import TableSchema
from ..tables.read import Loaded
from .sql import quote_identifier as _q
from .claims import Claims, claims_of

#: The text fields searched in full, by table.
FTS = {"quotes": ["text"], "events": ["label", "summary"]}

#: The table ``claims`` derived from the figures (see natodata.tools.claims).
CLAIMS_TABLE = "claims"
CLAIMS_DESCRIPTION = (
    "Derived by natodata from figures: each claim, how many reports and sources give it, and "
    "whether its reports disagree (1: a report differs from the claim's first report in a value "
    "or the owner) or not (0)."
)

#: The view of the claims' reports (see :func:`claim_reports`).
CLAIM_REPORTS = "claim_reports"
CLAIM_REPORTS_DESCRIPTION = (
    "Each report of each claim (a quantity reported across sources), with its values and owner, "
    "and whether the claim's reports disagree (claims.disagree: a report differs from the claim's "
    "first report in a value or the owner). Claims that disagree come first."
)


#: Views, by name, in the metadata's order: (description, the tables they read, SQL), or None
#: for a view built from the schemas' declarations (:func:`views`). A quote's best date is its
#: occasion's date or, for a quote without an occasion, its source's publication date
#: (docs/CODING.md 6.5 and 8.4); ``date_from`` says which.
VIEWS: dict[str, tuple[str, tuple[str, ...], str] | None] = {
    "who_said_what": (
        "Who said what, when: each quotation with its speaker's name, its source and its best date "
        "(the occasion's date, or for a quotation without an occasion the source's publication date; "
        "date_from says which). Dates are ISO 8601 partial dates at date_precision.",
        ("quotes", "actors", "sources", "events"),
        """SELECT q.id AS quote_id, a.name AS speaker, q.text, q.form,
  coalesce(e.date, s.published) AS date,
  coalesce(e.date_precision, s.published_precision) AS date_precision,
  CASE WHEN e.id IS NULL THEN 'source published' ELSE 'occasion' END AS date_from,
  e.label AS occasion, q.source_id, s.published AS source_published,
  q.speaker_id, q.occasion_id, q.statement_id
FROM quotes q
JOIN actors a ON a.id = q.speaker_id
JOIN sources s ON s.id = q.source_id
LEFT JOIN events e ON e.id = q.occasion_id
ORDER BY date, q.source_id, q.start""",
    ),
    CLAIM_REPORTS: None,  # built from the claims: claim_reports()
    "event_actors": (
        "Who took part in each event, and how: each participant by name with its role, beside the "
        "event's date and label.",
        ("event_participants", "events", "actors"),
        """SELECT e.date, e.date_precision, e.status, e.type, e.label AS event, a.name AS actor, p.role,
  p.event_id, p.actor_id
FROM event_participants p
JOIN events e ON e.id = p.event_id
JOIN actors a ON a.id = p.actor_id
ORDER BY e.date_earliest, e.id, p.role, a.name""",
    ),
}


def claim_reports(loaded: Loaded, found: Claims) -> tuple[str, tuple[str, ...], str] | None:
    """The view of each report of each claim, as :data:`VIEWS` has its views: the table, the
    claim, values and owner fields the ``claim-disagreement`` rule names (x-checks), the
    source (x-source), the wording (x-anchor), the report's key, and the owner's name (the
    label column of the table the owner field refers to). None if that table is not read."""
    schema = loaded.tables[found.table].schema
    fk = next((fk for fk in schema.foreign_keys if fk["fields"] == [found.owner]), None)
    owners = None if fk is None else fk["resource"] or found.table
    label = None if owners not in loaded.tables else label_column(loaded.tables[owners].schema)
    if fk is None or label is None:
        return None
    f = {
        k: "f." + _q(v)
        for k, v in (
            ("claim", found.claim),
            ("source", found.source),
            ("wording", found.wording),
            ("key", found.key),
            ("owner", found.owner),
        )
    }
    values = ", ".join("f." + _q(v) for v in found.values)
    sql = f"""SELECT {f["claim"]}, c.disagree, c.reports, {f["source"]}, {f["wording"]},
  {values}, f.qualifier, f.unit, o.{_q(label)} AS owner,
  f.counted, f.as_of, {f["key"]} AS figure_id, {f["owner"]}
FROM {_q(found.table)} f
JOIN {_q(CLAIMS_TABLE)} c ON c.claim_id = {f["claim"]}
LEFT JOIN {_q(owners)} o ON o.{_q(fk["reference_fields"][0])} = {f["owner"]}
ORDER BY c.disagree DESC, {f["claim"]}, {f["source"]}, {f["key"]}"""
    return CLAIM_REPORTS_DESCRIPTION, (found.table, owners, CLAIMS_TABLE), sql


def views(loaded: Loaded, found: Claims | None = None) -> dict[str, tuple[str, tuple[str, ...], str]]:
    """The views the export may add: :data:`VIEWS`, and the claims' reports
    (:func:`claim_reports`) given the package's claims (``found``)."""
    extra = None if found is None else claim_reports(loaded, found)
    out = {name: extra if name == CLAIM_REPORTS else view for name, view in VIEWS.items()}
    return {name: view for name, view in out.items() if view is not None}


#: The only links metadata.json may hold: http or https URLs (never ``javascript:``,
#: ``data:`` or a relative path, which Datasette would turn into a link on every page).
_LINK = re.compile(r"https?://[^\s\x00-\x1f\x7f<>\"']+", re.IGNORECASE)

#: The tables FTS5 makes beside each full-text index.
FTS_SHADOWS = ("", "_data", "_idx", "_content", "_docsize", "_config")


def safe_link(url) -> str | None:
    """``url`` if it is an http(s) URL, else None."""
    return url if isinstance(url, str) and _LINK.fullmatch(url) else None


def derived_names(loaded: Loaded) -> dict[str, str]:
    """The names the SQLite export of ``loaded`` gives its own tables, views and indexes
    (lower case: SQLite's names ignore case), with what each is."""
    out = {}
    found = claims_of(loaded)
    if found is not None:
        out[CLAIMS_TABLE] = "the table of claims natodata derives from figures"
    have = set(loaded.tables) | set(out)
    out.update(
        {view: "a view natodata adds" for view, (_, needs, _) in views(loaded, found).items() if set(needs) <= have}
    )
    for table in fts_tables(loaded):
        out.update({f"{table}_fts{s}": "a full-text search table natodata adds" for s in FTS_SHADOWS})
    for name, t in loaded.tables.items():
        out.update({index.lower(): "an index natodata adds" for index in indexes(name, t.schema)})
    return out


def refuse_unqueryable(names: list[str], loaded: Loaded | None = None) -> None:
    """Raise ExportRefused naming each table name the export cannot hold: one Datasette
    cannot query (``]``, which it quotes names with, or a control character), one SQLite
    keeps for itself (``sqlite_…``), one that is not a plain file name (for Parquet: a
    ``/``, ``.`` or ``..``), two that differ only in case, or one of the names natodata
    gives its derived tables, views and indexes."""
    from ..escape import CONTROL_RE, printable

    derived = derived_names(loaded) if loaded is not None else {}
    problems, seen = [], {}
    for name in names:
        shown = printable(repr(name))
        low = name.lower()
        if "]" in name or re.search(CONTROL_RE, name):
            problems.append(f"{shown}: Datasette cannot query a table whose name holds ']' or a control character")
        elif low.startswith("sqlite_"):
            problems.append(f"{shown}: SQLite keeps names starting with 'sqlite_' for its own tables")
        elif "/" in name or "\\" in name or name in ("", ".", ".."):
            problems.append(f"{shown}: not a plain file name")
        elif low in derived:
            problems.append(f"{shown}: the name of {derived[low]}")
        elif low in seen:
            problems.append(f"{shown}: SQLite does not tell it from {printable(repr(seen[low]))} (names ignore case)")
        seen.setdefault(low, name)
    if problems:
        raise ExportRefused(
            "cannot export these tables; rename the resources:\n  " + "\n  ".join(problems) + "\nnothing written"
        )


def indexes(name: str, schema: TableSchema) -> dict[str, list[str]]:
    """The index on each foreign key's columns (the primary key has its own), by name."""
    out = {}
    for fk in schema.foreign_keys:
        if fk["fields"] == schema.primary_key[: len(fk["fields"])]:
            continue  # the primary key's index serves it
        out["idx_" + name + "_" + "_".join(fk["fields"])] = fk["fields"]
    return out


def index_sql(name: str, schema: TableSchema) -> list[str]:
    """An index on each foreign key's columns (the primary key has its own)."""
    return [
        f"CREATE INDEX {_q(index)} ON {_q(name)} ({', '.join(map(_q, cols))})"
        for index, cols in indexes(name, schema).items()
    ]


def label_column(schema: TableSchema) -> str | None:
    """The field that names a row for people: the first string field that is not a key,
    not a vocabulary and has no pattern, a required one if there is one."""
    keys = set(schema.primary_key)
    free = [
        f
        for f in schema.fields
        if f.type == "string"
        and f.name not in keys
        and f.vocabulary is None
        and f.pattern is None
        and not f.is_partial_date
    ]
    return next((f.name for f in free if f.required), free[0].name if free else None)


def _fts(con: sqlite3.Connection, table: str, fields: list[str]) -> None:
    fts = _q(table + "_fts")
    con.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({', '.join(map(_q, fields))}, content={_q(table)})")
    con.execute(
        f"INSERT INTO {fts} (rowid, {', '.join(map(_q, fields))}) "
        f"SELECT rowid, {', '.join(map(_q, fields))} FROM {_q(table)}"
    )


def fts_tables(loaded: Loaded) -> dict[str, list[str]]:
    """The FTS fields of :data:`FTS` that the package has."""
    return {
        t: fields
        for t, fields in FTS.items()
        if t in loaded.tables and all(f in loaded.tables[t].schema.field_names for f in fields)
    }


def enrich(con: sqlite3.Connection, loaded: Loaded) -> list[str]:
    """Add indexes, full-text search, the claims table and the views to a database that
    holds the package's tables; return the names of the derived tables and views made. A
    view whose tables or fields the package lacks is left out."""
    for name, t in loaded.tables.items():
        for sql in index_sql(name, t.schema):
            con.execute(sql)
    for table, fields in fts_tables(loaded).items():
        _fts(con, table, fields)
    found = claims_of(loaded)
    if found is not None:
        per_claim = found.reports.groupby(found.claim, sort=True)
        rows = [
            (str(cid), len(g), int(g[found.source].nunique()), int(bool(g["differs"].any()))) for cid, g in per_claim
        ]
        con.execute(
            f"CREATE TABLE {_q(CLAIMS_TABLE)} (claim_id TEXT PRIMARY KEY NOT NULL, reports INTEGER NOT NULL, "
            "sources INTEGER NOT NULL, disagree INTEGER NOT NULL CHECK (disagree IN (0, 1)))"
        )
        con.executemany(f"INSERT INTO {_q(CLAIMS_TABLE)} VALUES (?, ?, ?, ?)", rows)
    made = [CLAIMS_TABLE] if found is not None else []
    have = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for view, (_, needs, sql) in views(loaded, found).items():
        if set(needs) <= have:
            try:
                con.execute(f"CREATE VIEW {_q(view)} AS {sql}")
            except sqlite3.OperationalError:  # the package's tables lack a field the view reads
                continue
            made.append(view)
    return made


def metadata(loaded: Loaded, database: str, derived: list[str] | None = None) -> dict:
    """Datasette's metadata for the exported ``database`` (its file name without .db);
    ``derived`` names the tables and views :func:`enrich` made."""
    desc = loaded.package.descriptor
    lic = (desc.get("licenses") or [{}])[0]
    targets = {fk["resource"] or n for n, t in loaded.tables.items() for fk in t.schema.foreign_keys}
    tables = {}
    for res in loaded.package.resources:
        t = loaded.tables.get(res.name)
        if t is None:
            continue
        meta = {
            "description": res.descriptor.get("description", ""),
            "columns": {f.name: f.description for f in t.schema.fields if f.description},
        }
        facets = [f.name for f in t.schema.fields if f.vocabulary is not None]
        if facets:
            meta["facets"] = facets
        label = label_column(t.schema) if res.name in targets else None
        if label is not None:
            meta["label_column"] = label
        tables[res.name] = meta
    for table in fts_tables(loaded):
        tables[table]["fts_table"] = table + "_fts"
        tables[table + "_fts"] = {"hidden": True}
    for name in derived or []:
        if name == CLAIMS_TABLE:
            tables[name] = {"description": CLAIMS_DESCRIPTION, "facets": ["disagree"]}
        elif name in VIEWS:
            view = VIEWS[name]
            tables[name] = {"description": view[0] if view is not None else CLAIM_REPORTS_DESCRIPTION}
    corpus = loaded.sources
    source = f"{desc.get('name', '')} {desc.get('version', '')}".strip()
    if corpus is not None:
        source += f": {len(corpus.raw)} news articles, coded by hand"
    out = {
        "title": desc.get("title") or desc.get("name", ""),
        "description": desc.get("description", ""),
        "license": lic.get("title") or lic.get("name", ""),
        "license_url": safe_link(lic.get("path")),
        "source": source,
        "source_url": safe_link(desc.get("homepage")),
    }
    out = {k: v for k, v in out.items() if v}
    out["databases"] = {database: {"tables": tables}}
    return out
