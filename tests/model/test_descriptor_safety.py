"""Reading descriptors, schemas and release checksums that someone else controls (issue 20):
bounded reads of regular files only, bounded nesting, no network, clean findings."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading

import pytest
from typer.testing import CliRunner

from tests.helpers import ROOT, refuse_reading
from natodata.checks.validate import validate
from natodata.cli import app
from natodata.errors import UnreadableInput
from natodata.model import descriptor as desc_module


def tiny(root, schema=None, rows="id,v\n1,a\n", **resource):
    """A one-table package: ``t.csv`` with its schema inline."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "t.csv").write_text(rows, encoding="utf-8")
    schema = schema or {"fields": [{"name": "id", "type": "integer"}, {"name": "v", "type": "string"}]}
    d = {"resources": [{"name": "t", "path": "t.csv", "schema": schema, **resource}]}
    (root / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")
    return root


def cli(*args):
    result = CliRunner().invoke(app, ["validate", *map(str, args), "-f", "json"])
    assert "Traceback" not in result.output and "unexpected" not in result.output, result.output
    return result.exit_code, result.stdout


def errors(root):
    return [(f.type, f.pointer or f.field, f.message) for f in validate(root).errors]


# --- what is read: regular files, within bounds ---------------------------------------


@pytest.mark.parametrize("target, kind", [("/dev/zero", "a character device"), ("fifo", "a FIFO")])
def test_a_descriptor_that_is_a_device_or_a_fifo_is_refused_at_once(tmp_path, target, kind):
    tiny(tmp_path)
    d = tmp_path / "datapackage.json"
    d.unlink()
    if target == "fifo":
        os.mkfifo(d)
    else:
        d.symlink_to(target)
    code, out = cli(tmp_path)
    assert code == 2
    assert json.loads(out)["error"]["message"] == (
        f"data package descriptor {d} is {kind}, not a regular file; natodata reads only regular files"
    )


def test_a_descriptor_over_the_size_limit(tmp_path, monkeypatch):
    tiny(tmp_path)
    monkeypatch.setattr(desc_module, "MAX_JSON_BYTES", 50)
    size = (tmp_path / "datapackage.json").stat().st_size
    with pytest.raises(UnreadableInput, match=rf"is {size} bytes; the limit is 50$"):
        validate(tmp_path)


def test_a_schema_nested_100000_deep_is_a_schema_error(tmp_path):
    tiny(tmp_path, schema="s.json")
    (tmp_path / "s.json").write_text('{"fields": [], "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert errors(tmp_path) == [
        ("schema-error", None, f"table schema {tmp_path / 's.json'} nests arrays or objects more than 64 deep")
    ]


def test_a_descriptor_nested_100000_deep_is_refused(tmp_path):
    tiny(tmp_path)
    (tmp_path / "datapackage.json").write_text('{"resources": ' + "[" * 100_000 + "]" * 100_000 + "}")
    code, out = cli(tmp_path)
    assert (code, json.loads(out)["error"]["message"]) == (
        2,
        f"data package descriptor {tmp_path / 'datapackage.json'} nests arrays or objects more than 64 deep",
    )


def test_nesting_within_python_s_limit_but_over_natodata_s_is_refused_too(tmp_path):
    tiny(
        tmp_path,
        schema={
            "fields": [{"name": "id", "type": "integer"}, {"name": "v", "type": "string"}],
            "x-deep": json.loads("[" * 65 + "]" * 65),
        },
    )
    with pytest.raises(UnreadableInput, match="more than 64 deep"):
        validate(tmp_path)


def test_nul_in_a_resource_path_is_a_finding(tmp_path):
    tiny(tmp_path)
    d = json.loads((tmp_path / "datapackage.json").read_text())
    d["resources"][0]["path"] = "t.csv\x00.txt"
    (tmp_path / "datapackage.json").write_text(json.dumps(d))
    assert errors(tmp_path) == [
        (
            "resource-path-error",
            "/resources/0/path",
            "resource 't': path 't.csv\\x00.txt' contains a NUL character, which no file name can",
        )
    ]


# --- no network --------------------------------------------------------------------------


@pytest.fixture
def listener():
    """A local server that accepts connections and never answers; counts them."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.05)
    hits, stop = [], threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                hits.append(conn)
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", hits
    stop.set()
    thread.join()
    server.close()


def test_profile_urls_are_findings_never_fetched(tmp_path, listener):
    url, hits = listener
    tiny(tmp_path, profile=f"{url}/resource.json")
    d = json.loads((tmp_path / "datapackage.json").read_text())
    d["profile"] = f"{url}/package.json"
    (tmp_path / "datapackage.json").write_text(json.dumps(d))
    code, out = cli(tmp_path)
    found = [(f["type"], f["pointer"]) for f in json.loads(out)["findings"]]
    assert (code, found) == (1, [("unsupported-feature", "/profile"), ("unsupported-feature", "/resources/0/profile")])
    assert hits == []
    assert json.loads(out)["findings"][0]["message"] == (
        f"profile '{url}/package.json' is not a standard profile (data-package, tabular-data-package); natodata never "
        "fetches a profile and checks the descriptor against the standard Data Package profiles only"
    )


def test_a_custom_schema_profile_and_a_dialect_url_are_not_fetched(tmp_path, listener):
    url, hits = listener
    tiny(tmp_path, dialect=f"{url}/dialect.json")
    d = json.loads((tmp_path / "datapackage.json").read_text())
    d["$schema"] = f"{url}/custom.json"
    d["resources"][0]["schema"]["$schema"] = f"{url}/schema.json"
    (tmp_path / "datapackage.json").write_text(json.dumps(d))
    assert sorted((t, p) for t, p, _ in errors(tmp_path)) == [
        ("unsupported-feature", "/$schema"),
        ("unsupported-feature", "/resources/0/dialect"),
        ("unsupported-feature", "/resources/0/schema/$schema"),
    ]
    assert hits == []


def test_standard_profiles_are_accepted_offline(tmp_path, listener):
    tiny(tmp_path, profile="tabular-data-resource")
    d = json.loads((tmp_path / "datapackage.json").read_text())
    d["profile"] = "tabular-data-package"
    (tmp_path / "datapackage.json").write_text(json.dumps(d))
    assert errors(tmp_path) == []


# --- published releases ----------------------------------------------------------------


@pytest.fixture
def released(tmp_path):
    """A copy of the shipped package's latest release, as a package's only release."""
    root = tiny(tmp_path / "pkg")
    latest = sorted((ROOT / "releases").iterdir())[-1]
    shutil.copytree(latest, root / "releases" / latest.name)
    return root, root / "releases" / latest.name


def test_checksums_symlinked_to_dev_zero_are_a_finding(released):
    root, rel = released
    (rel / "SHA256SUMS").unlink()
    (rel / "SHA256SUMS").symlink_to("/dev/zero")
    report = validate(root)
    assert [(f.type, f.message) for f in report.errors] == [
        (
            "release-checksums-error",
            f"SHA256SUMS of release {rel.name} cannot be read: it is a character device, not a regular file",
        )
    ]


def test_a_release_file_that_is_a_fifo_is_tampered(released):
    root, rel = released
    (rel / "RELEASE_NOTES.md").unlink()
    os.mkfifo(rel / "RELEASE_NOTES.md")
    assert [(f.type, f.message) for f in validate(root).errors] == [
        ("release-tampered", f"RELEASE_NOTES.md is a FIFO, not a regular file in published release {rel.name}")
    ]


def test_an_unreadable_release_file_is_a_finding(released, monkeypatch):
    root, rel = released
    notes = rel / "RELEASE_NOTES.md"
    refuse_reading(monkeypatch, notes)
    assert [(f.type, f.path, f.message) for f in validate(root).errors] == [
        (
            "file-unreadable",
            f"releases/{rel.name}/RELEASE_NOTES.md",
            f"RELEASE_NOTES.md of published release {rel.name} cannot be read: Permission denied; it is unverified",
        )
    ]
