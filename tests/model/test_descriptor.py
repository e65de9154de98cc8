"""Reading the descriptor and schemas: paths, JSON, escaping the package directory."""

import json

import pytest

from natodata.errors import UnreadableInput
from natodata.checks.validate import validate

from tests.helpers import added, found


def edit_descriptor(pkg, fn):
    p = pkg.root / "datapackage.json"
    d = json.loads(p.read_text())
    fn(d)
    p.write_text(json.dumps(d))


def test_missing_descriptor(tmp_path):
    with pytest.raises(UnreadableInput, match="data package descriptor not found"):
        validate(tmp_path)


def test_malformed_json(pkg):
    (pkg.root / "datapackage.json").write_text('{"name": "x",')
    with pytest.raises(UnreadableInput, match=r"is not valid JSON: Expecting property name enclosed in double quotes at line 1 column 14"):
        validate(pkg.root)


def test_descriptor_not_an_object(pkg):
    (pkg.root / "datapackage.json").write_text("[]")
    with pytest.raises(UnreadableInput, match="must hold a JSON object, not list"):
        validate(pkg.root)


def test_path_escaping_the_package(pkg):
    edit_descriptor(pkg, lambda d: d["resources"][1].update(path="../../etc/passwd"))
    report = validate(pkg.root)
    assert found(report, "resource-path-error") == [("resource-path-error", "actors", None, "path")]
    assert "escapes the package directory" in report.errors[0].message


def test_absolute_path(pkg):
    edit_descriptor(pkg, lambda d: d["resources"][1].update(path="/etc/passwd"))
    assert found(validate(pkg.root), "resource-path-error") == [("resource-path-error", "actors", None, "path")]


def test_missing_csv(pkg):
    pkg.csv("quotes").unlink()
    report = validate(pkg.root)
    assert found(report, "resource-path-error") == [("resource-path-error", "quotes", None, "path")]
    assert "does not name an existing file" in next(f.message for f in report.errors if f.type == "resource-path-error")


def test_schema_path_to_missing_file(pkg):
    (pkg.root / "schemas" / "figures.json").unlink()
    assert found(validate(pkg.root), "schema-path-error") == [("schema-path-error", "figures", None, "schema")]


def test_schema_malformed_json(pkg):
    (pkg.root / "schemas" / "figures.json").write_text("{nope")
    report = validate(pkg.root)
    assert found(report, "schema-error") == [("schema-error", "figures", None, None)]


def test_an_inline_schema_is_read_and_checked_like_a_file(pkg):
    inline = json.loads((pkg.root / "schemas/sources.json").read_text())
    edit_descriptor(pkg, lambda d: d["resources"][0].update(schema=inline))
    assert added(validate(pkg.root)) == []
    inline["fields"][0]["constraints"]["pattern"] = "[a-"
    edit_descriptor(pkg, lambda d: d["resources"][0].update(schema=inline))
    errors = [(f.type, f.path, f.pointer) for f in validate(pkg.root).findings if f.type == "schema-error"]
    assert errors == [("schema-error", "datapackage.json", "/resources/0/schema/fields/0/constraints/pattern")]


def test_a_bare_nan_literal_is_not_json(pkg):
    p = pkg.root / "datapackage.json"
    import re

    text, n = re.subn(r'"version": "[^"]*"', '"version": NaN', p.read_text())
    assert n == 1
    p.write_text(text)
    with pytest.raises(UnreadableInput) as info:
        validate(pkg.root)
    assert str(info.value) == f"data package descriptor {p} is not valid JSON: NaN is not a JSON value (RFC 8259)"


def test_a_symlink_loop_is_a_finding_not_a_crash(pkg):
    import os

    data = pkg.root / "data"
    (data / "actors.csv").unlink()
    os.symlink(data / "loop", data / "loop2")
    os.symlink(data / "loop2", data / "loop")
    os.symlink(data / "loop", data / "actors.csv")
    f = next(f for f in validate(pkg.root).findings if f.type == "resource-path-error")
    assert (f.table, f.pointer) == ("actors", "/resources/1/path")
    assert f.message.startswith("resource 'actors': path 'data/actors.csv' cannot be resolved (Symlink loop from ")


def test_a_descriptor_is_written_indented_in_its_key_order_as_utf8():
    from natodata.model.descriptor import descriptor_bytes

    desc = {"name": "p", "title": "Zürich", "resources": [{"b": 1, "a": [1, 2]}]}
    data = descriptor_bytes(desc)
    assert data == ('{\n  "name": "p",\n  "title": "Zürich",\n  "resources": [\n    {\n      "b": 1,\n'
                    '      "a": [\n        1,\n        2\n      ]\n    }\n  ]\n}\n').encode("utf-8")
    assert json.loads(data) == desc


def test_the_shipped_descriptor_is_written_as_descriptor_bytes_writes_it():
    from natodata.model.descriptor import descriptor_bytes

    from tests.helpers import ROOT

    data = (ROOT / "datapackage.json").read_bytes()
    assert descriptor_bytes(json.loads(data)) == data
