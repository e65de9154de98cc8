"""The descriptor against the shipped Data Package profiles: offline, in frictionless's words."""

import json
import socket

import pytest

from natodata.checks.profile import package_faults, schema_faults
from natodata.checks.validate import validate


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to open a connection, recorded and refused."""
    tried = []

    def refuse(self, address, *args):
        tried.append(address)
        raise ConnectionRefusedError(address)

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return tried


def test_the_profiles_name_the_fault_and_its_place():
    assert package_faults({"licenses": "CC-BY-4.0", "resources": [{"name": "t", "path": "t.csv"}]}, True) == [
        ("/licenses", "The data package has an error: 'CC-BY-4.0' is not of type 'array' at property 'licenses'")
    ]
    assert schema_faults({"fields": [{"name": "n", "type": "integer", "title": 5}]}) == [
        ("/fields/0/title", "Field is not valid: 5 is not of type 'string' at property 'title'")
    ]


def test_a_v1_package_s_names_follow_the_1_0_profile():
    desc = {"name": "My Package", "resources": [{"name": "my-table", "path": "t.csv"}, {"name": "T", "path": "t.csv"}]}
    assert package_faults(desc, False) == [
        ("/name", "The data package has an error: 'My Package' does not match '^([-a-z0-9._/])+$' at property 'name'"),
        (
            "/resources/1/name",
            "The data resource has an error: 'T' does not match '^([-a-z0-9._/])+$' at property 'name'",
        ),
    ]
    assert package_faults(desc, True) == []


def test_what_the_profiles_cannot_say():
    desc = {
        "missingValues": [""],
        "resources": [{"name": "t", "path": "t.csv", "created": "x"}],
        "created": "yesterday",
        "contributors": [{"title": "A", "email": "nobody"}],
    }
    assert [p for p, _ in package_faults(desc, True)] == ["/created", "/contributors/0/email", "/missingValues"]
    assert schema_faults({"fields": [{"name": "n", "type": "integer", "required": True}]}) == [
        ("/fields/0/required", 'Field is not valid: "required" should be set as "constraints.required"')
    ]


def test_the_descriptor_check_makes_no_network_request(tmp_path, no_network):
    url = "http://127.0.0.1:9"
    schema = {
        "$schema": f"{url}/schema.json",
        "fields": [
            {"name": "id", "type": "integer", "description": "id"},
            {
                "name": "o",
                "type": "object",
                "description": "o",
                "constraints": {"jsonSchema": {"$ref": f"{url}/o.json"}},
            },
        ],
    }
    desc = {
        "$schema": f"{url}/package.json",
        "profile": f"{url}/profile.json",
        "resources": [{"name": "t", "path": "t.csv", "profile": f"{url}/resource.json", "schema": schema}],
    }
    (tmp_path / "datapackage.json").write_text(json.dumps(desc))
    (tmp_path / "t.csv").write_text('id,o\n1,"{}"\n')
    found = sorted((f.type, f.pointer) for f in validate(tmp_path).findings if f.type == "unsupported-feature")
    assert found == [
        ("unsupported-feature", "/$schema"),
        ("unsupported-feature", "/profile"),
        ("unsupported-feature", "/resources/0/profile"),
        ("unsupported-feature", "/resources/0/schema/$schema"),
    ]
    assert no_network == []
