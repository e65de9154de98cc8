"""``export``: the package as a SQLite database (keys declared) or as typed Parquet files."""

from __future__ import annotations

import json
import sqlite3
from graphlib import TopologicalSorter
from pathlib import Path

import pandas as pd

from ..atomic import Staged, recover
from ..errors import InvalidPackage, UnwritableOutput
from ..model.tableschema import TableSchema
from ..tables.read import Loaded
from .sql import quote_identifier as _q, quote_literal
from .datasette import enrich, refuse_unqueryable
from .load import analysis_frame, read_valid

SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "date": "TEXT", "boolean": "INTEGER"}


def create_table_sql(name: str, schema: TableSchema) -> str:
    cols = []
    for fld in schema.fields:
        col = f"{_q(fld.name)} {SQL_TYPES.get(fld.type, 'TEXT')}"
        if fld.required or fld.name in schema.primary_key:
            col += " NOT NULL"
        if fld.vocabulary is not None:
            terms = ", ".join(map(quote_literal, fld.vocabulary))
            col += f" CHECK ({_q(fld.name)} IN ({terms}))"
        cols.append(col)
    if schema.primary_key:  # a Table Schema need not declare one
        cols.append(f"PRIMARY KEY ({', '.join(map(_q, schema.primary_key))})")
    for key in schema.unique_keys:
        cols.append(f"UNIQUE ({', '.join(map(_q, key))})")
    for fk in schema.foreign_keys:
        cols.append(
            f"FOREIGN KEY ({', '.join(map(_q, fk['fields']))}) REFERENCES {_q(fk['resource'] or name)} "
            f"({', '.join(map(_q, fk['reference_fields']))})"
        )
    return f"CREATE TABLE {_q(name)} (\n  " + ",\n  ".join(cols) + "\n)"


def _dependency_order(schemas: dict[str, TableSchema]) -> list[str]:
    graph = {
        n: {fk["resource"] for fk in s.foreign_keys if fk["resource"] and fk["resource"] != n}
        for n, s in schemas.items()
    }
    return list(TopologicalSorter(graph).static_order())


def export(
    root,
    sqlite: Path | str | None = None,
    parquet: Path | str | None = None,
    validate: bool = True,
    metadata: Path | str | None = None,
    override: str = "give --no-validate",
) -> dict[str, dict[str, int]]:
    """Export to a SQLite database at ``sqlite`` (ready for Datasette: see
    :mod:`natodata.tools.datasette`; with ``metadata``, Datasette's metadata.json too)
    and/or one typed Parquet file per table in the directory ``parquet``: every file or
    none (an existing database is replaced only if everything succeeds; a new one gets
    mode 0666 less the umask). Raises InvalidPackage if the package does not validate,
    unless ``validate=False``; then what the database itself refuses (a repeated key, a
    missing reference) still refuses the export. ``override`` says how to go on anyway,
    in the refusal's message. Table names the output cannot hold are refused
    (ExportRefused, see :func:`natodata.tools.datasette.refuse_unqueryable`)."""
    from .datasette import metadata as datasette_metadata

    home = Path(next(p for p in (sqlite, parquet) if p is not None)).absolute().parent  # where the journal goes
    recover(home)  # a killed export's files: finished or undone first
    loaded = read_valid(root, validate, "export", override)
    _refuse_unrepresentable(loaded)
    refuse_unqueryable(list(loaded.tables), loaded if sqlite is not None else None)
    out: dict[str, dict[str, int]] = {}
    with Staged(home) as staged:
        if sqlite is not None:
            out["sqlite"], derived = _write_sqlite(loaded, staged.path(sqlite))
            if metadata is not None:
                doc = datasette_metadata(loaded, Path(sqlite).stem, derived)
                staged.write_text(metadata, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        if parquet is not None:
            directory = staged.mkdir(parquet)
            out["parquet"] = {}
            for name, t in loaded.tables.items():
                frame = analysis_frame(t.typed, t.schema, name)
                try:
                    frame.to_parquet(staged.path(directory / f"{name}.parquet"), index=False)
                except OSError as exc:
                    raise UnwritableOutput(
                        f"cannot write {directory / name}.parquet: {exc.strerror or exc}; nothing written"
                    ) from None
                out["parquet"][name] = len(frame)
        staged.commit()
    return out


#: The integers SQLite and Parquet (int64) hold; Table Schema integers have no limit.
INT64 = (-(2**63), 2**63 - 1)


def _refuse_unrepresentable(loaded: Loaded) -> None:
    """Refuse, before anything is written, an integer neither SQLite nor Parquet can hold:
    it would be rounded, or fail halfway."""
    for name, t in loaded.tables.items():
        for fld in t.schema.fields:
            col = t.typed.get(fld.name)
            if fld.type != "integer" or col is None or col.dtype != object:
                continue  # Int64 columns hold only 64-bit integers
            for line, v in col.items():
                if isinstance(v, int) and not INT64[0] <= v <= INT64[1]:
                    raise InvalidPackage(
                        f"cannot export {name}: {fld.name} at line {line} is {v}, beyond the 64-bit "
                        "integers SQLite and Parquet hold; nothing written"
                    )


def _write_sqlite(loaded: Loaded, file: Path) -> tuple[dict[str, int], list[str]]:
    schemas = {n: t.schema for n, t in loaded.tables.items()}
    counts = {}
    con = sqlite3.connect(file)
    try:
        con.execute("PRAGMA foreign_keys = ON")
        with con:
            for name in _dependency_order(schemas):
                t = loaded.tables[name]
                con.execute(create_table_sql(name, t.schema))
                frame = t.typed.copy()
                for fld in t.schema.fields:
                    if fld.type == "date":
                        frame[fld.name] = frame[fld.name].dt.strftime("%Y-%m-%d")
                    elif fld.type in ("list", "array", "object"):  # SQLite has no collections: JSON text
                        frame[fld.name] = frame[fld.name].map(json.dumps, na_action="ignore")
                rows = [
                    tuple(None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in r)
                    for r in frame[t.schema.field_names].itertuples(index=False, name=None)
                ]
                marks = ", ".join("?" * len(t.schema.field_names))
                try:
                    con.executemany(f"INSERT INTO {_q(name)} VALUES ({marks})", rows)
                except sqlite3.IntegrityError as exc:
                    raise InvalidPackage(f"cannot export {name} to SQLite: {exc}; nothing written") from None
                counts[name] = len(rows)
            derived = enrich(con, loaded)
    except sqlite3.Error as exc:
        raise UnwritableOutput(f"cannot write the SQLite database: {exc}; nothing written") from None
    finally:
        con.close()
    return counts, derived


def export_sqlite(
    root,
    file: Path | str,
    metadata: Path | str | None = None,
    validate: bool = True,
    override: str = "give --no-validate",
) -> dict[str, int]:
    """Write every table to a new SQLite database at ``file`` (replaced atomically), and
    with ``metadata`` Datasette's metadata.json."""
    return export(root, sqlite=file, validate=validate, metadata=metadata, override=override)["sqlite"]


def export_parquet(root, directory: Path | str, validate: bool = True) -> dict[str, int]:
    """Write one typed Parquet file per table into ``directory`` (all of them or none)."""
    return export(root, parquet=directory, validate=validate)["parquet"]
