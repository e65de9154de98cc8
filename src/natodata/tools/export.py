"""``export``: the package as a SQLite database (keys declared) or as typed Parquet files."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from graphlib import TopologicalSorter
from pathlib import Path

import pandas as pd

from ..errors import NatodataError
from ..model.tableschema import TableSchema
from ..tables.read import Loaded, read_tables
from .load import analysis_frame

SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "date": "TEXT", "boolean": "INTEGER"}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(name: str, schema: TableSchema) -> str:
    cols = []
    for fld in schema.fields:
        col = f"{_q(fld.name)} {SQL_TYPES.get(fld.type, 'TEXT')}"
        if fld.required or fld.name in schema.primary_key:
            col += " NOT NULL"
        if fld.vocabulary is not None:
            terms = ", ".join("'" + str(v).replace("'", "''") + "'" for v in fld.vocabulary)
            col += f" CHECK ({_q(fld.name)} IN ({terms}))"
        cols.append(col)
    cols.append(f"PRIMARY KEY ({', '.join(map(_q, schema.primary_key))})")
    for key in schema.unique_keys:
        cols.append(f"UNIQUE ({', '.join(map(_q, key))})")
    for fk in schema.foreign_keys:
        cols.append(f"FOREIGN KEY ({', '.join(map(_q, fk['fields']))}) REFERENCES {_q(fk['resource'] or name)} "
                    f"({', '.join(map(_q, fk['reference_fields']))})")
    return f"CREATE TABLE {_q(name)} (\n  " + ",\n  ".join(cols) + "\n)"


def _dependency_order(schemas: dict[str, TableSchema]) -> list[str]:
    graph = {n: {fk["resource"] for fk in s.foreign_keys if fk["resource"] and fk["resource"] != n} for n, s in schemas.items()}
    return list(TopologicalSorter(graph).static_order())


def _checked_tables(root) -> Loaded:
    loaded = read_tables(root)
    if loaded.report.errors:
        raise NatodataError(f"cannot export {root}: it has {len(loaded.report.errors)} errors; run natodata validate")
    return loaded


def export_sqlite(root, file: Path | str, metadata: Path | str | None = None) -> dict[str, int]:
    """Write every table to a new SQLite database at ``file`` (replaced atomically; mode
    0666 less the umask), made ready for Datasette (:mod:`natodata.tools.datasette`), and
    with ``metadata`` Datasette's metadata.json."""
    from .datasette import current_umask, enrich, write_metadata

    loaded = _checked_tables(root)
    schemas = {n: t.schema for n, t in loaded.tables.items()}
    file = Path(file)
    fd, tmp = tempfile.mkstemp(prefix=file.name + ".", suffix=".tmp", dir=file.parent if str(file.parent) else ".")
    os.close(fd)
    counts = {}
    try:
        con = sqlite3.connect(tmp)
        con.execute("PRAGMA foreign_keys = ON")
        with con:
            for name in _dependency_order(schemas):
                t = loaded.tables[name]
                con.execute(create_table_sql(name, t.schema))
                frame = t.typed.copy()
                for fld in t.schema.fields:
                    if fld.type == "date":
                        frame[fld.name] = frame[fld.name].dt.strftime("%Y-%m-%d")
                rows = [tuple(None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in r)
                        for r in frame[t.schema.field_names].itertuples(index=False, name=None)]
                marks = ", ".join("?" * len(t.schema.field_names))
                con.executemany(f"INSERT INTO {_q(name)} VALUES ({marks})", rows)
                counts[name] = len(rows)
            derived = enrich(con, loaded)
        con.close()
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp made it 0600
        os.replace(tmp, file)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    if metadata is not None:
        write_metadata(loaded, file.stem, derived, metadata)
    return counts


def export_parquet(root, directory: Path | str) -> dict[str, int]:
    """Write one typed Parquet file per table into ``directory``."""
    loaded = _checked_tables(root)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, t in loaded.tables.items():
        frame = analysis_frame(t.typed, t.schema, name)
        frame.to_parquet(directory / f"{name}.parquet", index=False)
        counts[name] = len(frame)
    return counts
