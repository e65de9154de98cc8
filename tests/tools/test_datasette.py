"""The SQLite export, as Datasette shows it: through Datasette's own test client."""

import asyncio
import json
import os
import sqlite3
import stat

import pytest

from natodata.tools.export import export_sqlite

from tests.helpers import ROOT

# Whole-package validations, seconds in all: run by CI's `pytest -m slow` to keep the default suite under 30 s.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    d = tmp_path_factory.mktemp("db")
    db, meta = d / "natodata.db", d / "metadata.json"
    export_sqlite(ROOT, db, meta)
    return db, meta


def get(db, meta, *paths):
    """Datasette's responses to ``paths``, given the database and its metadata."""
    datasette = pytest.importorskip("datasette.app")

    async def run():
        ds = datasette.Datasette([str(db)], metadata=json.loads(meta.read_text()))
        return [await ds.client.get(p) for p in paths]

    return asyncio.run(run())


@pytest.mark.slow
def test_pages_show_actor_names_instead_of_slugs_and_search_finds_the_quotation(exported):
    quotes, participants, search, actors = get(
        *exported,
        "/natodata/quotes",
        "/natodata/event_participants?_size=max",
        "/natodata/quotes?_search=welcome",
        "/natodata/actors",
    )
    assert quotes.status_code == participants.status_code == search.status_code == 200
    assert '<a href="/natodata/actors/jens-stoltenberg">Jens Stoltenberg</a>' in quotes.text
    assert '<a href="/natodata/actors/jens-stoltenberg">Jens Stoltenberg</a>' in participants.text
    assert '<a href="/natodata/events/nato-summit-warsaw-2016">Warsaw summit</a>' in participants.text
    assert "2 rows where search matches" in search.text
    assert "as long as we are welcome" in search.text and "modest, but it is scalable" not in search.text
    # the metadata: licence, source, descriptions, facets
    assert "Creative Commons Attribution 4.0" in actors.text and "5 news articles, coded by hand" in actors.text
    assert "People, organisations, states, armed groups and unnamed groups named in the articles." in actors.text
    assert 'data-column="kind"' in actors.text and "facet-info" in actors.text


def test_views_answer_who_said_what_when_and_which_reports_disagree(exported):
    said, claims = get(
        *exported,
        "/natodata/who_said_what.json?_shape=objects&_size=max",
        "/natodata/claim_reports.json?_shape=objects&claim_id=nato-mission-iraq-size-2020-02",
    )
    rows = {r["quote_id"]: r for r in said.json()["rows"]}
    assert len(rows) == len((ROOT / "data" / "quotes.csv").read_text().splitlines()) - 1
    undated = rows["q-001-officials-couple-of-hundred"]  # no occasion: the source's date
    assert (undated["speaker"], undated["date"], undated["date_precision"], undated["date_from"]) == (
        "Unnamed officials (src-001)",
        "2020-02",
        "month",
        "source published",
    )
    dated = rows["q-000-stoltenberg-modest-scalable"]
    assert (dated["date"], dated["date_from"], dated["occasion"]) == ("2017", "occasion", "Stoltenberg interview")
    reports = claims.json()["rows"]
    assert [
        (r["source_id"], r["wording"], r["value_low"], r["value_high"], r["owner"], r["disagree"]) for r in reports
    ] == [
        ("src-001", "about 500", 450, 550, "North Atlantic Treaty Organization", 1),
        ("src-002", "approximately 500-strong", 450, 550, "Global Coalition to Defeat ISIS", 1),
        ("src-003", "500-strong", 450, 550, "North Atlantic Treaty Organization", 1),
        ("src-004", "several hundred", 300, 900, "North Atlantic Treaty Organization", 1),
    ]


@pytest.mark.slow
def test_foreign_key_columns_are_indexed_and_the_file_is_readable_by_others(tmp_path):
    old = os.umask(0o022)
    try:
        export_sqlite(ROOT, tmp_path / "a.db")
        os.umask(0o027)
        export_sqlite(ROOT, tmp_path / "b.db")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.db").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "b.db").stat().st_mode) == 0o640
    con = sqlite3.connect(tmp_path / "a.db")
    indexed = {
        (t, r[2])
        for t in ("quotes", "figures")
        for i in con.execute(f"PRAGMA index_list({t})")
        for r in con.execute(f"PRAGMA index_info({i[1]})")
    }
    assert {
        ("quotes", "speaker_id"),
        ("quotes", "source_id"),
        ("quotes", "occasion_id"),
        ("figures", "owner_id"),
        ("figures", "source_id"),
    } <= indexed
    plan = con.execute("EXPLAIN QUERY PLAN SELECT * FROM quotes WHERE speaker_id = 'x'").fetchall()
    assert "idx_quotes_speaker_id" in str(plan)


def test_metadata_is_generated_from_the_descriptor_and_schemas(exported):
    meta = json.loads(exported[1].read_text())
    tables = meta["databases"]["natodata"]["tables"]
    assert {t: tables[t]["label_column"] for t in tables if "label_column" in tables[t]} == {
        "sources": "headline",
        "actors": "name",
        "events": "label",
    }
    assert tables["events"]["facets"] == ["type", "status", "date_precision"]
    assert tables["quotes"]["columns"]["speaker_id"].startswith("Who is reported to have said it")
    assert (tables["quotes"]["fts_table"], tables["quotes_fts"]) == ("quotes_fts", {"hidden": True})
    assert {"who_said_what", "claim_reports", "event_actors", "claims"} <= set(tables)
    assert meta["license_url"] == "https://creativecommons.org/licenses/by/4.0/"


@pytest.mark.slow
def test_cli_writes_the_database_and_its_metadata(tmp_path):
    from typer.testing import CliRunner

    from natodata.cli import app

    db, meta = tmp_path / "nd.db", tmp_path / "meta.json"
    result = CliRunner().invoke(app, ["export", str(ROOT), "--sqlite", str(db), "--metadata", str(meta)])
    from natodata.tables.read import read_tables

    tables = read_tables(ROOT).tables
    rows = sum(len(t.raw) for t in tables.values())
    assert (result.exit_code, result.output) == (0, f"wrote {db}: {len(tables)} tables, {rows} rows\nwrote {meta}\n")
    assert list(json.loads(meta.read_text())["databases"]) == ["nd"]
    result = CliRunner().invoke(app, ["export", str(ROOT), "--parquet", str(tmp_path), "--metadata", str(meta)])
    assert (result.exit_code, result.output) == (2, "Error: --metadata needs --sqlite FILE\n")


def test_a_release_without_the_claim_rule_exports_without_the_claims(tmp_path):
    db, meta = tmp_path / "old.db", tmp_path / "old.json"
    export_sqlite(ROOT / "releases" / "1.0.0", db, meta)
    names = {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master")}
    assert {"who_said_what", "event_actors", "quotes_fts"} <= names and not {"claims", "claim_reports"} & names
    assert "claims" not in json.loads(meta.read_text())["databases"]["old"]["tables"]


def _package(tmp_path, names, licence_path="https://creativecommons.org/licenses/by/4.0/"):
    """A small package: one table per name, each with one row."""
    root = tmp_path / "p"
    (root / "data").mkdir(parents=True)
    resources = []
    for i, name in enumerate(names):
        (root / "data" / f"t{i}.csv").write_text(f"id\nr{i}\n")
        resources.append(
            {
                "name": name,
                "path": f"data/t{i}.csv",
                "type": "table",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": [{"name": "id", "type": "string"}], "primaryKey": ["id"]},
            }
        )
    (root / "datapackage.json").write_text(
        json.dumps(
            {"name": "p", "resources": resources, "licenses": [{"name": "l", "path": licence_path, "title": "L"}]}
        )
    )
    return root


@pytest.mark.parametrize(
    "link, kept",
    [
        ("https://example.org/l", True),
        ("HTTP://example.org/l", True),
        ("javascript:alert(document.cookie)", False),
        ("data:text/html,x", False),
        ("LICENSE.md", False),
        ('https://x.org/"onmouseover="x', False),
    ],
)
def test_only_http_links_reach_the_metadata(tmp_path, link, kept):
    root = _package(tmp_path, ["t"], link)
    db, meta = tmp_path / "o.db", tmp_path / "m.json"
    export_sqlite(root, db, meta, validate=False)
    doc = json.loads(meta.read_text())
    assert doc.get("license_url") == (link if kept else None)
    assert doc["license"] == "L"


def test_names_datasette_cannot_query_are_refused_with_nothing_written(tmp_path):
    from natodata.errors import ExportRefused

    root = _package(
        tmp_path, ['t"]; DROP TABLE actors; --', "sqlite_master", "Who_Said_What_x", "a", "A", "../evil", "ok"]
    )
    with pytest.raises(ExportRefused) as exc:
        export_sqlite(root, tmp_path / "o.db", tmp_path / "m.json", validate=False)
    assert str(exc.value) == (
        "cannot export these tables; rename the resources:\n"
        "  't\"]; DROP TABLE actors; --': Datasette cannot query a table whose name holds ']' or a control character\n"
        "  'sqlite_master': SQLite keeps names starting with 'sqlite_' for its own tables\n"
        "  'A': SQLite does not tell it from 'a' (names ignore case)\n"
        "  '../evil': not a plain file name\n"
        "nothing written"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p"]


def test_a_table_named_like_a_derived_table_is_refused(tmp_path):
    """The shipped package plus a resource named claims or quotes_fts: the export would
    fail late, or Datasette would show the wrong table."""
    from typer.testing import CliRunner

    from natodata.cli import app
    from tests.helpers import copy_package

    root = copy_package(tmp_path / "pkg")
    desc = json.loads((root / "datapackage.json").read_text())
    extra = dict(desc["resources"][0], name="claims", path="data/claims.csv")
    (root / "data" / "claims.csv").write_bytes((root / desc["resources"][0]["path"]).read_bytes())
    desc["resources"].append(extra)
    (root / "datapackage.json").write_text(json.dumps(desc))
    result = CliRunner().invoke(app, ["export", str(root), "--sqlite", str(tmp_path / "o.db"), "--no-validate"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: cannot export these tables; rename the resources:\n"
        "  'claims': the name of the table of claims natodata derives from figures\n"
        "nothing written\n"
    )
    assert not (tmp_path / "o.db").exists()
