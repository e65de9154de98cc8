"""Never a crash: any JSON in place of any part of a Table Schema or of the descriptor
gives findings (or an UnreadableInput for a descriptor that cannot be read at all),
never another exception."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natodata.checks.validate import validate
from natodata.errors import UnreadableInput

from tests.helpers import ROOT, copy_package

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=5)
    | st.sampled_from(["[a-", "id", "string", "integer", "date", "", "x-anchor"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, prefix + (i,))


def replace(node, path, value):
    if not path:
        return value
    node[path[0]] = replace(node[path[0]], path[1:], value)
    return node


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return copy_package(tmp_path_factory.mktemp("malformed") / "pkg")


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), file=st.sampled_from(["schemas/quotes.json", "schemas/actors.json", "datapackage.json"]))
def test_any_json_anywhere_gives_findings_not_a_crash(scratch, data, file):
    original = json.loads((ROOT / file).read_text())
    all_paths = list(paths(original))
    path = data.draw(st.sampled_from(all_paths))
    mutated = replace(json.loads(json.dumps(original)), path, data.draw(JSON))
    target = scratch / file
    try:
        target.write_text(json.dumps(mutated))
        try:
            validate(scratch)
        except UnreadableInput:
            assert file == "datapackage.json"  # only a descriptor that is not an object is unreadable
    finally:
        shutil.copy(ROOT / file, target)
