"""Reading the descriptor and schemas (natodata.model.descriptor.load_package): paths,
JSON, escaping the package directory; each on a two-table package written here, with the
exact findings."""

import json
import os
import re

import pytest

from natodata.errors import UnreadableInput
from natodata.model.descriptor import load_package

SOURCES = {
    "fields": [{"name": "id", "type": "string", "constraints": {"pattern": "[a-z]+"}}, {"name": "n", "type": "integer"}]
}
ACTORS = {"fields": [{"name": "id", "type": "string"}, {"name": "name", "type": "string"}]}


class Package:
    """A package of two tables, sources and actors, each with its schema in schemas/."""

    def __init__(self, root):
        self.root = root
        (root / "data").mkdir(parents=True)
        (root / "schemas").mkdir()
        (root / "data" / "sources.csv").write_text("id,n\na,1\n", encoding="utf-8")
        (root / "data" / "actors.csv").write_text("id,name\nx,X\n", encoding="utf-8")
        (root / "schemas" / "sources.json").write_text(json.dumps(SOURCES), encoding="utf-8")
        (root / "schemas" / "actors.json").write_text(json.dumps(ACTORS), encoding="utf-8")
        self.write(
            {
                "name": "p",
                "version": "1.0.0",
                "resources": [
                    {"name": "sources", "path": "data/sources.csv", "schema": "schemas/sources.json"},
                    {"name": "actors", "path": "data/actors.csv", "schema": "schemas/actors.json"},
                ],
            }
        )

    def write(self, descriptor: dict) -> None:
        (self.root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")

    def edit(self, fn) -> None:
        d = json.loads((self.root / "datapackage.json").read_text())
        fn(d)
        self.write(d)


@pytest.fixture
def pkg(tmp_path) -> Package:
    return Package(tmp_path / "pkg")


def findings(pkg) -> list[tuple]:
    """(type, table, path, field, value, pointer, message) of each finding of reading the
    descriptor, in order."""
    return [(f.type, f.table, f.path, f.field, f.value, f.pointer, f.message) for f in load_package(pkg.root).findings]


def test_a_package_reads_with_its_resources_and_schemas(pkg):
    p = load_package(pkg.root)
    assert p.findings == []
    assert [(r.name, r.path, r.file, r.schema_path, r.schema.descriptor) for r in p.resources] == [
        ("sources", "data/sources.csv", (pkg.root / "data" / "sources.csv").resolve(), "schemas/sources.json", SOURCES),
        ("actors", "data/actors.csv", (pkg.root / "data" / "actors.csv").resolve(), "schemas/actors.json", ACTORS),
    ]


def test_missing_descriptor(tmp_path):
    with pytest.raises(UnreadableInput) as exc:
        load_package(tmp_path)
    assert str(exc.value) == f"data package descriptor not found: {tmp_path / 'datapackage.json'}"


def test_malformed_json(pkg):
    (pkg.root / "datapackage.json").write_text('{"name": "x",')
    with pytest.raises(UnreadableInput) as exc:
        load_package(pkg.root)
    assert str(exc.value) == (
        f"data package descriptor {pkg.root / 'datapackage.json'} is not valid JSON: Expecting "
        "property name enclosed in double quotes at line 1 column 14"
    )


def test_descriptor_not_an_object(pkg):
    (pkg.root / "datapackage.json").write_text("[]")
    with pytest.raises(UnreadableInput) as exc:
        load_package(pkg.root)
    assert (
        str(exc.value) == f"data package descriptor {pkg.root / 'datapackage.json'} must hold a JSON object, not list"
    )


def test_path_escaping_the_package(pkg):
    pkg.edit(lambda d: d["resources"][1].update(path="../../etc/passwd"))
    assert findings(pkg) == [
        (
            "resource-path-error",
            "actors",
            "datapackage.json",
            "path",
            "../../etc/passwd",
            "/resources/1/path",
            "resource 'actors': path '../../etc/passwd' escapes the package directory",
        )
    ]
    assert load_package(pkg.root).resource("actors").file is None  # nothing outside the package is read


def test_absolute_path(pkg):
    pkg.edit(lambda d: d["resources"][1].update(path="/etc/passwd"))
    assert findings(pkg) == [
        (
            "resource-path-error",
            "actors",
            "datapackage.json",
            "path",
            "/etc/passwd",
            "/resources/1/path",
            "resource 'actors': path '/etc/passwd' is absolute; paths must be relative to the package directory",
        )
    ]
    assert load_package(pkg.root).resource("actors").file is None


def test_missing_csv(pkg):
    (pkg.root / "data" / "actors.csv").unlink()
    assert findings(pkg) == [
        (
            "resource-path-error",
            "actors",
            "datapackage.json",
            "path",
            "data/actors.csv",
            "/resources/1/path",
            "resource 'actors': path 'data/actors.csv' does not name an existing file",
        )
    ]


def test_schema_path_to_missing_file(pkg):
    (pkg.root / "schemas" / "actors.json").unlink()
    assert findings(pkg) == [
        (
            "schema-path-error",
            "actors",
            "datapackage.json",
            "schema",
            "schemas/actors.json",
            "/resources/1/schema",
            "resource 'actors': schema path 'schemas/actors.json' does not name an existing file",
        )
    ]
    assert load_package(pkg.root).resource("actors").schema is None


def test_schema_malformed_json(pkg):
    (pkg.root / "schemas" / "actors.json").write_text("{nope")
    assert findings(pkg) == [
        (
            "schema-error",
            "actors",
            "schemas/actors.json",
            None,
            None,
            None,
            f"table schema {pkg.root / 'schemas' / 'actors.json'} is not valid JSON: Expecting property "
            "name enclosed in double quotes at line 1 column 2",
        )
    ]
    assert load_package(pkg.root).resource("actors").schema is None


def test_an_inline_schema_is_read_and_checked_like_a_file(pkg):
    inline = json.loads(json.dumps(SOURCES))
    pkg.edit(lambda d: d["resources"][0].update(schema=inline))
    p = load_package(pkg.root)
    assert p.findings == []
    res = p.resource("sources")
    assert (res.schema_path, res.schema.descriptor, res.schema.field_names) == (None, SOURCES, ["id", "n"])
    inline["fields"][0]["constraints"]["pattern"] = "[a-"
    pkg.edit(lambda d: d["resources"][0].update(schema=inline))
    assert findings(pkg) == [
        (
            "schema-error",
            "sources",
            "datapackage.json",
            None,
            None,
            "/resources/0/schema/fields/0/constraints/pattern",
            "pattern '[a-' is not a valid regular expression: unterminated character set at position 0",
        )
    ]
    assert load_package(pkg.root).resource("sources").schema is None


def test_a_bare_nan_literal_is_not_json(pkg):
    p = pkg.root / "datapackage.json"
    text, n = re.subn(r'"version": "[^"]*"', '"version": NaN', p.read_text())
    assert n == 1
    p.write_text(text)
    with pytest.raises(UnreadableInput) as info:
        load_package(pkg.root)
    assert str(info.value) == f"data package descriptor {p} is not valid JSON: NaN is not a JSON value (RFC 8259)"


def test_a_symlink_loop_is_a_finding_not_a_crash(pkg):
    data = pkg.root / "data"
    (data / "actors.csv").unlink()
    os.symlink(data / "loop", data / "loop2")
    os.symlink(data / "loop2", data / "loop")
    os.symlink(data / "loop", data / "actors.csv")
    [found] = findings(pkg)
    assert found[:-1] == (
        "resource-path-error",
        "actors",
        "datapackage.json",
        "path",
        "data/actors.csv",
        "/resources/1/path",
    )
    assert found[-1].startswith("resource 'actors': path 'data/actors.csv' cannot be resolved (Symlink loop from ")


def test_a_descriptor_is_written_indented_in_its_key_order_as_utf8():
    from natodata.model.descriptor import descriptor_bytes

    desc = {"name": "p", "title": "Zürich", "resources": [{"b": 1, "a": [1, 2]}]}
    data = descriptor_bytes(desc)
    assert data == (
        '{\n  "name": "p",\n  "title": "Zürich",\n  "resources": [\n    {\n      "b": 1,\n'
        '      "a": [\n        1,\n        2\n      ]\n    }\n  ]\n}\n'
    ).encode("utf-8")
    assert json.loads(data) == desc


def test_the_shipped_descriptor_is_written_as_descriptor_bytes_writes_it():
    from natodata.model.descriptor import descriptor_bytes

    from tests.helpers import ROOT

    data = (ROOT / "datapackage.json").read_bytes()
    assert descriptor_bytes(json.loads(data)) == data
