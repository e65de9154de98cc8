"""Exports: SQLite with keys enforced, and typed Parquet read back by DuckDB."""

import sqlite3

import pytest

from natodata.errors import InvalidPackage
from natodata.tools.export import export_parquet, export_sqlite

from tests.helpers import ROOT


def test_sqlite_declares_keys_and_enforces_them(tmp_path):
    db = tmp_path / "natodata.db"
    counts = export_sqlite(ROOT, db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys = ON")
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    for table, n in counts.items():
        assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == n
    fks = con.execute("PRAGMA foreign_key_list(quotes)").fetchall()
    assert {(r[2], r[3], r[4]) for r in fks} == {
        ("sources", "source_id", "id"),
        ("actors", "speaker_id", "id"),
        ("events", "occasion_id", "id"),
    }
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY constraint failed"):
        con.execute("INSERT INTO actor_aliases VALUES ('no-such-actor', 'X', 'src-003')")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed: actors.id"):
        con.execute("INSERT INTO actors SELECT * FROM actors LIMIT 1")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        con.execute("INSERT INTO actors VALUES ('x', 'X', 'wizard', NULL, NULL)")


@pytest.mark.slow
def test_parquet_types_in_duckdb(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    export_parquet(ROOT, tmp_path)
    rel = duckdb.sql(f"SELECT * FROM '{tmp_path}/figures.parquet'")
    types = dict(zip(rel.columns, map(str, rel.types)))
    assert types["start"] == "BIGINT" and types["value_best"] == "DOUBLE" and types["as_of"] == "VARCHAR"
    assert types["as_of_first_day"].startswith("TIMESTAMP") and types["as_of_last_day"].startswith("TIMESTAMP")
    n = duckdb.sql(f"SELECT count(*) FROM '{tmp_path}/quotes.parquet'").fetchall()[0][0]
    assert n == len((ROOT / "data" / "quotes.csv").read_text().splitlines()) - 1


def test_invalid_package_is_not_exported(pkg, tmp_path):
    pkg.set("quotes", 2, "start", "abc")
    with pytest.raises(
        InvalidPackage,
        match=r"cannot export .*: it does not validate \(1 error\); run natodata validate, or give --no-validate",
    ):
        export_sqlite(pkg.root, tmp_path / "x.db")
    assert not (tmp_path / "x.db").exists()


def test_a_table_without_a_primary_key_is_created_without_one():
    from natodata.model.tableschema import TableSchema
    from natodata.tools.export import create_table_sql

    schema = TableSchema({"fields": [{"name": "id", "type": "string"}, {"name": "n", "type": "integer"}]})
    sql = create_table_sql("notes", schema)
    assert sql == 'CREATE TABLE "notes" (\n  "id" TEXT,\n  "n" INTEGER\n)'
    sqlite3.connect(":memory:").execute(sql)  # valid SQL
