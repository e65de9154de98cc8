"""Property: any corruption of a valid package gives error findings, never a traceback."""

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from natodata.cli import app
from natodata.model.descriptor import load_package

from tests.helpers import ROOT, Pkg, copy_package

SCHEMAS = {r.name: r.schema for r in load_package(ROOT).resources}
TABLES = sorted(SCHEMAS)


def _corrupt_cell(pkg: Pkg, table: str, data) -> None:
    """Put into a random cell a value its field cannot take."""
    rows = pkg.rows(table)
    line = data.draw(st.integers(2, len(rows)), label="line")
    schema = SCHEMAS[table]
    candidates = [
        f for f in schema.fields if f.type in ("integer", "number", "date") or f.vocabulary or f.pattern or f.required
    ]
    field = data.draw(st.sampled_from(candidates), label="field")
    if field.type in ("integer", "number", "date"):
        value = data.draw(st.text(alphabet="abcxyz!?", min_size=1, max_size=8), label="value")
    elif field.vocabulary:
        value = data.draw(
            st.text(min_size=1, max_size=12).filter(
                lambda v: v not in field.vocabulary and v.strip() == v and v.strip()
            ),
            label="value",
        )
    elif field.pattern:
        value = data.draw(st.sampled_from(["Has Spaces", "UPPER", "?", "a b c", "-"]), label="value")
    else:
        value = ""
    rows[line - 1][rows[0].index(field.name)] = value
    pkg.write_rows(table, rows)


def _ragged(pkg, table, data):
    rows = pkg.rows(table)
    line = data.draw(st.integers(2, len(rows)), label="line")
    rows[line - 1] = rows[line - 1][:-1] if data.draw(st.booleans(), label="shorten") else rows[line - 1] + ["x"]
    pkg.write_rows(table, rows)


def _duplicate_row(pkg, table, data):
    rows = pkg.rows(table)
    line = data.draw(st.integers(2, len(rows)), label="line")
    rows.append(list(rows[line - 1]))
    pkg.write_rows(table, rows)


def _bad_bytes(pkg, table, data):
    raw = pkg.csv(table).read_bytes()
    at = data.draw(st.integers(0, len(raw)), label="offset")
    junk = data.draw(st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\xef\xbb\xbf"]), label="bytes")
    pkg.csv(table).write_bytes(raw[:at] + junk + raw[at:])


def _truncate_header(pkg, table, data):
    raw = pkg.csv(table).read_bytes()
    cut = data.draw(st.integers(0, raw.index(b"\n") - 1), label="cut")
    pkg.csv(table).write_bytes(raw[:cut] + raw[raw.index(b"\n") :])


def _break_descriptor(pkg, table, data):
    p = pkg.root / "datapackage.json"
    raw = p.read_text()
    cut = data.draw(st.integers(1, len(raw) - 2), label="cut")
    p.write_text(raw[:cut])


CORRUPTIONS = [_corrupt_cell, _ragged, _duplicate_row, _bad_bytes, _truncate_header, _break_descriptor]


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_corruption_is_found_and_none_crashes(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("prop") / "pkg"
    pkg = Pkg(copy_package(root))
    table = data.draw(st.sampled_from(TABLES), label="table")
    corrupt = data.draw(st.sampled_from(CORRUPTIONS), label="corruption")
    corrupt(pkg, table, data)

    result = CliRunner().invoke(app, ["validate", str(root), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if corrupt is _break_descriptor:  # one JSON document on stdout all the same
        assert result.exit_code == 2 and result.stderr.startswith("Error: ")
        assert json.loads(result.stdout)["error"]["exit_code"] == 2
    else:
        assert result.exit_code == 1, result.output
        assert json.loads(result.stdout)["errors"] > 0
    shutil.rmtree(root.parent)
