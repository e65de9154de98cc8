"""``natodata diff``: a prepared change of each kind, its exact report and the bump it requires."""

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from natodata.cli import app
from natodata.release.diff import diff_packages
from natodata.release.schemadiff import schema_changes
from natodata.release.diff_report import render_json, render_text
from natodata.errors import DiffError
from natodata.model.tableschema import TableSchema
from natodata.release.versioning import Bump

from tests.helpers import Pkg, copy_package
from tests.helpers.releasing import descriptor, field, save_descriptor, save_schema, schema

# Whole-package validations, seconds in all: run by CI's `pytest -m slow` to keep the default suite under 30 s.
pytestmark = pytest.mark.slow

runner = CliRunner()


@pytest.fixture
def old(tmp_path) -> Pkg:
    return Pkg(copy_package(tmp_path / "old"))


@pytest.fixture
def new(tmp_path) -> Pkg:
    return Pkg(copy_package(tmp_path / "new"))


def run(old: Pkg, new: Pkg):
    return diff_packages(old.root, new.root, "old", "new")


def table(d, name):
    return next(t for t in d.tables if t.name == name)


def changes(d, name=None):
    """(kind, message) of every change, of one table or (None) of the package."""
    items = d.package if name is None else table(d, name).changes
    return [(c.kind, c.message) for c in items]


def changed_tables(d):
    return [t.name for t in d.tables if t.status != "unchanged"]


def drop_column(p: Pkg, name: str, col: str) -> None:
    rows = p.rows(name)
    i = rows[0].index(col)
    p.write_rows(name, [r[:i] + r[i + 1 :] for r in rows])


def edit_schema(p: Pkg, name: str, edit) -> None:
    s = schema(p.root, name)
    edit(s)
    save_schema(p.root, name, s)


def n_tables(p: Pkg) -> int:
    return len(descriptor(p.root)["resources"])


# --- no change -----------------------------------------------------------------------


def test_identical_packages_have_no_changes(old, new):
    d = run(old, new)
    assert (d.has_changes, d.bump, changed_tables(d), d.package) == (False, Bump.NONE, [], [])
    assert render_text(d) == f"diff old → new\nno changes ({n_tables(old)} tables compared)\n"


def test_row_order_and_quoting_are_not_changes(old, new):
    rows = new.rows("actors")
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows([rows[0]] + rows[:0:-1])
    new.csv("actors").write_text(buf.getvalue(), encoding="utf-8")
    assert new.rows("actors") != rows
    assert not run(old, new).has_changes


# --- major -----------------------------------------------------------------------------


def test_field_removed(old, new):
    edit_schema(new, "actors", lambda s: s["fields"].remove(field(s, "description")))
    drop_column(new, "actors", "description")
    d = run(old, new)
    assert changed_tables(d) == ["actors"]
    assert changes(d, "actors") == [("field-removed", "field 'description' removed")]
    assert d.bump is Bump.MAJOR


def test_field_renamed(old, new):
    edit_schema(new, "actors", lambda s: field(s, "description").update(name="notes"))
    rows = new.rows("actors")
    rows[0][rows[0].index("description")] = "notes"
    new.write_rows("actors", rows)
    d = run(old, new)
    assert changes(d, "actors") == [("field-renamed", "field 'description' renamed to 'notes'")]
    assert d.bump is Bump.MAJOR


def test_field_retyped(old, new):
    edit_schema(new, "events", lambda s: field(s, "date_earliest").update(type="string"))
    d = run(old, new)
    assert changes(d, "events") == [("field-retyped", "field 'date_earliest': type date → string")]
    assert d.bump is Bump.MAJOR


def test_constraints_tightened(old, new):
    kinds = field(schema(old.root, "actors"), "kind")["categories"]
    dropped = kinds[-1]["value"]

    def edit(s):
        field(s, "name")["constraints"]["maxLength"] = 200
        field(s, "iso3")["constraints"]["required"] = True
        field(s, "kind")["categories"] = kinds[:-1]

    edit_schema(new, "actors", edit)
    d = run(old, new)
    assert changes(d, "actors") == [
        ("constraint-tightened", "field 'name': constraint maxLength none → 200"),
        ("constraint-tightened", f"field 'kind': values removed from the vocabulary: [\"{dropped}\"]"),
        ("constraint-tightened", "field 'iso3': constraint required none → true"),
    ]
    assert d.bump is Bump.MAJOR


def test_rows_removed(old, new):
    rows = new.rows("actor_titles")
    gone = rows.pop()
    new.write_rows("actor_titles", rows)
    d = run(old, new)
    t = table(d, "actor_titles")
    assert changes(d, "actor_titles") == [("rows-removed", "1 row removed")]
    assert (t.key, t.removed, t.added, t.updated) == (["actor_id", "title", "source_id"], [tuple(gone[:3])], [], [])
    assert d.bump is Bump.MINOR
    assert render_text(d).splitlines()[1:4] == [
        "actor_titles: minor",
        "  minor  rows-removed: 1 row removed",
        f"  - actor_id={gone[0]}, title={gone[1]}, source_id={gone[2]}",
    ]


def test_rows_rekeyed(old, new):
    first = new.rows("actors")[1]
    new.set("actors", 2, "id", "zz-" + first[0])
    d = run(old, new)
    t = table(d, "actors")
    assert changes(d, "actors") == [("rows-rekeyed", "1 row re-keyed")]
    assert [(r.old, r.new) for r in t.rekeyed] == [((first[0],), ("zz-" + first[0],))]
    assert (t.added, t.removed) == ([], [])
    assert f"  > id={first[0]} → id=zz-{first[0]}" in render_text(d).splitlines()
    assert d.bump is Bump.MINOR


def test_a_changed_key_with_changed_values_is_a_removal_and_an_addition(old, new):
    first = new.rows("actors")[1]
    new.set("actors", 2, "id", "zz-" + first[0])
    new.set("actors", 2, "name", "Someone else")
    d = run(old, new)
    assert changes(d, "actors") == [("rows-added", "1 row added"), ("rows-removed", "1 row removed")]


def test_primary_key_changed(old, new):
    edit_schema(new, "actors", lambda s: s.update(primaryKey=["id", "name"]))
    d = run(old, new)
    assert changes(d, "actors") == [("primary-key-changed", "primary key (id) → (id, name)")]
    assert table(d, "actors").key == ["id", "name"]
    assert d.bump is Bump.MAJOR


def test_fields_reordered(old, new):
    edit_schema(new, "actors", lambda s: s["fields"].insert(1, s["fields"].pop(2)))
    rows = new.rows("actors")
    new.write_rows("actors", [[r[0], r[2], r[1], *r[3:]] for r in rows])
    d = run(old, new)
    assert changes(d, "actors") == [
        ("fields-reordered", "fields reordered: id, name, kind, iso3, description → id, kind, name, iso3, description")
    ]
    assert d.bump is Bump.MAJOR


def test_resource_removed(old, new):
    desc = descriptor(new.root)
    desc["resources"] = [r for r in desc["resources"] if r["name"] != "actor_titles"]
    save_descriptor(new.root, desc)
    n = len(old.rows("actor_titles")) - 1
    d = run(old, new)
    assert (changed_tables(d), table(d, "actor_titles").status) == (["actor_titles"], "removed")
    assert changes(d, "actor_titles") == [
        ("resource-removed", f"table 'actor_titles' removed with {n} row{'s' * (n != 1)}")
    ]
    assert d.bump is Bump.MAJOR


# --- minor -----------------------------------------------------------------------------


def test_rows_added(old, new):
    new.append("actors", {"id": "zz-new-actor", "name": "New Actor", "kind": "person"})
    d = run(old, new)
    t = table(d, "actors")
    assert changes(d, "actors") == [("rows-added", "1 row added")]
    assert (t.added, t.rows_new - t.rows_old) == ([("zz-new-actor",)], 1)
    assert d.bump is Bump.MINOR


def test_optional_field_added_is_minor_and_required_field_added_is_major(old, new):
    def add(required):
        def edit(s):
            s["fields"].append(
                {
                    "name": "website",
                    "type": "string",
                    "description": "Its website.",
                    "constraints": {"required": required},
                }
            )

        return edit

    edit_schema(new, "actors", add(False))
    rows = new.rows("actors")
    new.write_rows("actors", [rows[0] + ["website"]] + [r + [""] for r in rows[1:]])
    d = run(old, new)
    assert changes(d, "actors") == [("field-added", "field 'website' added (string, optional)")]
    assert d.bump is Bump.MINOR
    edit_schema(new, "actors", lambda s: field(s, "website")["constraints"].update(required=True))
    d = run(old, new)
    assert changes(d, "actors") == [("required-field-added", "field 'website' added (string, required)")]
    assert d.bump is Bump.MAJOR


def test_resource_added(old, new):
    desc = descriptor(new.root)
    res = dict(next(r for r in desc["resources"] if r["name"] == "actor_titles"))
    res.update(name="actor_titles_copy", title="Copy", path="data/actor_titles_copy.csv")
    desc["resources"].append(res)
    save_descriptor(new.root, desc)
    new.csv("actor_titles_copy").write_bytes(new.csv("actor_titles").read_bytes())
    n = len(new.rows("actor_titles")) - 1
    d = run(old, new)
    assert (changed_tables(d), table(d, "actor_titles_copy").status) == (["actor_titles_copy"], "added")
    assert changes(d, "actor_titles_copy") == [
        ("resource-added", f"table 'actor_titles_copy' added with {n} row{'s' * (n != 1)}")
    ]
    assert d.bump is Bump.MINOR


def test_constraint_relaxed(old, new):
    pattern = field(schema(old.root, "actors"), "iso3")["constraints"]["pattern"]
    edit_schema(new, "actors", lambda s: field(s, "iso3")["constraints"].pop("pattern"))
    d = run(old, new)
    assert changes(d, "actors") == [
        ("constraint-relaxed", f"field 'iso3': constraint pattern {json.dumps(pattern)} → none")
    ]
    assert d.bump is Bump.MINOR


# --- patch -----------------------------------------------------------------------------


def test_corrected_values(old, new):
    rows = new.rows("actors")
    new.set("actors", 2, "description", "Corrected.")
    new.set("actors", 3, "name", "Renamed")
    d = run(old, new)
    t = table(d, "actors")
    assert changes(d, "actors") == [("values-changed", "2 rows changed")]
    assert [(r.key, [(c.field, c.old, c.new) for c in r.cells]) for r in t.updated] == sorted(
        [
            ((rows[1][0],), [("description", rows[1][4], "Corrected.")]),
            ((rows[2][0],), [("name", rows[2][1], "Renamed")]),
        ]
    )
    assert d.bump is Bump.PATCH
    assert render_text(d) == (
        "diff old → new\n"
        "actors: patch\n"
        "  patch  values-changed: 2 rows changed\n"
        + "".join(
            f"  ~ id={key[0]}\n      {c[0]}: {json.dumps(c[1])} → {json.dumps(c[2])}\n"
            for key, [c] in sorted(
                [
                    ((rows[1][0],), [("description", rows[1][4], "Corrected.")]),
                    ((rows[2][0],), [("name", rows[2][1], "Renamed")]),
                ]
            )
        )
        + f"1 of {n_tables(old)} tables changed; required bump: patch\n"
    )


def test_metadata_changed(old, new):
    desc = descriptor(new.root)
    title = desc["title"]
    desc["title"] = "A better title"
    save_descriptor(new.root, desc)
    description = field(schema(old.root, "actors"), "name")["description"]
    edit_schema(new, "actors", lambda s: field(s, "name").update(description="The actor's name."))
    d = run(old, new)
    assert changes(d) == [
        ("metadata-changed", f"package metadata 'title' changed: {json.dumps(title)} → \"A better title\"")
    ]
    assert changes(d, "actors") == [
        (
            "field-metadata-changed",
            f"field 'name': description changed: {json.dumps(description)} → \"The actor's name.\"",
        )
    ]
    assert d.bump is Bump.PATCH


def test_version_created_bytes_and_hash_are_not_changes(old, new):
    desc = descriptor(new.root)
    desc.update(version="9.9.9", created="2020-01-01T00:00:00Z")
    desc["resources"][0].update(bytes=1, hash="sha256:00")
    save_descriptor(new.root, desc)
    assert not run(old, new).has_changes


# --- rendering -------------------------------------------------------------------------


def test_json_report(old, new):
    first = new.rows("actors")[1]
    new.set("actors", 2, "description", "Corrected.")
    new.append("actors", {"id": "zz-new-actor", "name": "New Actor", "kind": "person"})
    doc = json.loads(render_json(run(old, new)))
    assert (doc["version"], doc["old"], doc["new"], doc["changed"], doc["bump"], doc["package"]) == (
        1,
        "old",
        "new",
        True,
        "minor",
        [],
    )
    actors = next(t for t in doc["tables"] if t["name"] == "actors")
    n = len(old.rows("actors")) - 1
    assert actors == {
        "name": "actors",
        "status": "changed",
        "bump": "minor",
        "key": ["id"],
        "rows": {"old": n, "new": n + 1},
        "changes": [
            {"kind": "rows-added", "bump": "minor", "message": "1 row added", "field": None, "old": None, "new": None},
            {
                "kind": "values-changed",
                "bump": "patch",
                "message": "1 row changed",
                "field": None,
                "old": None,
                "new": None,
            },
        ],
        "added": [{"id": "zz-new-actor"}],
        "removed": [],
        "rekeyed": [],
        "changed": [
            {"key": {"id": first[0]}, "cells": [{"field": "description", "old": first[4], "new": "Corrected."}]}
        ],
        "note": None,
    }
    assert {t["status"] for t in doc["tables"] if t["name"] != "actors"} == {"unchanged"}


# --- schema rules, one by one ------------------------------------------------------------


def _schema(fields, **extra):
    return TableSchema({"fields": fields, "primaryKey": ["id"], **extra})


ID = {"name": "id", "type": "string", "description": "Id."}


@pytest.mark.parametrize(
    "before, after, expected",
    [
        ({"minimum": 0}, {"minimum": 1}, ("constraint-tightened", "field 'n': constraint minimum 0 → 1")),
        ({"minimum": 1}, {"minimum": 0}, ("constraint-relaxed", "field 'n': constraint minimum 1 → 0")),
        ({"maximum": 10}, {"maximum": 9}, ("constraint-tightened", "field 'n': constraint maximum 10 → 9")),
        ({"maximum": 9}, {"maximum": 10}, ("constraint-relaxed", "field 'n': constraint maximum 9 → 10")),
        ({}, {"minLength": 2}, ("constraint-tightened", "field 'n': constraint minLength none → 2")),
        ({"maxLength": 2}, {}, ("constraint-relaxed", "field 'n': constraint maxLength 2 → none")),
        (
            {"required": True},
            {"required": False},
            ("constraint-relaxed", "field 'n': constraint required true → false"),
        ),
        ({}, {"unique": True}, ("constraint-tightened", "field 'n': constraint unique none → true")),
        (
            {"pattern": "[0-9]+"},
            {"pattern": "[0-9]*"},
            ("constraint-tightened", 'field \'n\': constraint pattern "[0-9]+" → "[0-9]*"'),
        ),
        (
            {"enum": ["a", "b"]},
            {"enum": ["a"]},
            ("constraint-tightened", "field 'n': values removed from the vocabulary: [\"b\"]"),
        ),
        (
            {"enum": ["a"]},
            {"enum": ["a", "b"]},
            ("constraint-relaxed", "field 'n': values added to the vocabulary: [\"b\"]"),
        ),
        ({"enum": ["a"]}, {}, ("constraint-relaxed", "field 'n': no longer limited to a vocabulary")),
    ],
)
def test_constraint_rules(before, after, expected):
    def s(c):
        return _schema([ID, {"name": "n", "type": "integer", "description": "N.", "constraints": c}])

    assert [(c.kind, c.message) for c in schema_changes(s(before), s(after))] == [expected]


def test_required_false_is_the_same_constraint_as_absent():
    a = _schema([ID, {"name": "n", "type": "string", "description": "N."}])
    b = _schema([ID, {"name": "n", "type": "string", "description": "N.", "constraints": {"required": False}}])
    assert [(c.kind, c.message, c.bump) for c in schema_changes(a, b)] == [
        ("field-metadata-changed", "field 'n': constraint required none → false (no effect)", Bump.PATCH)
    ]


def test_category_labels_are_metadata():
    def s(label):
        return _schema(
            [ID, {"name": "k", "type": "string", "description": "K.", "categories": [{"value": "a", "label": label}]}]
        )

    assert [(c.kind, c.message) for c in schema_changes(s("A"), s("Ay"))] == [
        ("field-metadata-changed", "field 'k': categories changed")
    ]


def test_whitespace_rule_and_parsing_properties():
    def s(**props):
        return _schema([ID, {"name": "t", "type": "string", "description": "T.", **props}])

    assert [(c.kind, c.message) for c in schema_changes(s(**{"x-preserveWhitespace": True}), s())] == [
        ("constraint-tightened", "field 't': x-preserveWhitespace true → false")
    ]
    assert [(c.kind, c.message) for c in schema_changes(s(), s(**{"x-preserveWhitespace": True}))] == [
        ("constraint-relaxed", "field 't': x-preserveWhitespace false → true")
    ]
    assert [(c.kind, c.message) for c in schema_changes(s(), s(format="email"))] == [
        ("field-retyped", "field 't': format none → \"email\"")
    ]


def test_key_rules():
    fk = {"fields": ["p"], "reference": {"resource": "parents", "fields": ["id"]}}
    moved = {"fields": ["p"], "reference": {"resource": "others", "fields": ["id"]}}
    fields = [ID, {"name": "p", "type": "string", "description": "P."}]

    def kinds(a, b):
        return [(c.kind, c.message) for c in schema_changes(_schema(fields, **a), _schema(fields, **b))]

    assert kinds({}, {"foreignKeys": [fk]}) == [("constraint-tightened", "foreign key (p) → parents(id) added")]
    assert kinds({"foreignKeys": [fk]}, {}) == [("constraint-relaxed", "foreign key (p) → parents(id) removed")]
    assert kinds({"foreignKeys": [fk]}, {"foreignKeys": [moved]}) == [
        ("reference-updated", "foreign key (p) now refers to others(id), not parents(id)")
    ]
    assert kinds({}, {"uniqueKeys": [["id", "p"]]}) == [("constraint-tightened", "unique key (id, p) added")]
    assert kinds({"missingValues": [""]}, {"missingValues": ["", "NA"]}) == [
        ("missing-values-changed", 'missingValues changed: [""] → ["", "NA"]')
    ]
    assert kinds({}, {"description": "Rows."}) == [("schema-metadata-changed", "schema 'description' added")]


# --- the command -------------------------------------------------------------------------


@pytest.fixture
def released(old):
    """``old`` with a copy of itself as release 1.0.0 (diff needs only its files)."""
    copy_package(old.root / "releases" / "1.0.0")
    return old


@pytest.mark.slow
def test_cli_compares_a_release_with_a_path_and_exits_1_on_changes(released, new):
    new.append("actors", {"id": "zz-new-actor", "name": "New Actor", "kind": "person"})
    result = runner.invoke(app, ["diff", "1.0.0", str(new.root), "--package", str(released.root)])
    assert result.exit_code == 1
    assert result.output == (
        f"diff 1.0.0 → {new.root}\n"
        "actors: minor\n"
        "  minor  rows-added: 1 row added\n"
        "  + id=zz-new-actor\n"
        f"1 of {n_tables(new)} tables changed; required bump: minor\n"
    )
    result = runner.invoke(app, ["diff", "1.0.0", str(new.root), "-p", str(released.root), "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["bump"] == "minor"


def test_cli_exits_0_on_no_change(released, monkeypatch):
    rows = released.rows("actors")
    released.write_rows("actors", [rows[0]] + rows[:0:-1])  # not canonical, same content
    monkeypatch.chdir(released.root)
    result = runner.invoke(app, ["diff", "1.0.0", "."])
    assert (result.exit_code, result.output) == (
        0,
        f"diff 1.0.0 → .\nno changes ({n_tables(released)} tables compared)\n",
    )


def test_cli_errors_exit_2(released, tmp_path):
    result = runner.invoke(app, ["diff", "2.0.0", ".", "-p", str(released.root)])
    assert (result.exit_code, result.output) == (2, f"Error: no release 2.0.0 in {released.root / 'releases'}\n")
    result = runner.invoke(app, ["diff", str(tmp_path / "nowhere"), str(released.root)])
    assert (result.exit_code, result.output) == (
        2,
        f"Error: data package descriptor not found: {tmp_path / 'nowhere'}\n",
    )
    result = runner.invoke(app, ["diff", ".", ".", "--format", "yaml"])
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: Invalid value for '--format' / '-f': Value error, 'yaml' is not one of 'text', 'json'.\n"
    )


def test_unreadable_table_is_an_error(old, new):
    new.csv("actors").write_bytes(b'id,name\n"unterminated\n')
    with pytest.raises(
        DiffError, match=r"table 'actors' \(data/actors.csv\) cannot be read cleanly; run natodata validate"
    ):
        run(old, new)
