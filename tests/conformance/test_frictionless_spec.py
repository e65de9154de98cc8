"""The conformance suite: frictionless's own validation tests, ported as packages
(tests/conformance/frictionless_cases.py), run through ``natodata validate``. Every case
agrees with frictionless's expected errors, or is a documented disagreement."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from frictionless_cases import CASES, DISAGREE, translate

from natodata.checks.validate import validate

#: A representative subset runs in the default suite; CI runs every case with -m slow.
FAST = {
    "resource_validate_invalid_table",
    "resource_validate_dialect_list_of_numbers_and_headers_join",
    "resource_validate_schema_multiple_errors",
    "resource_validate_fields_match_missing_field[subset]",
    "package_validate_schema_foreign_key_internal_resource_violation_non_existent",
    "package_validate_missing_values_version_gate_inheritance[schema-cannot-escape-package-v1]",
}


def run(tmp_path: Path, descriptor: dict, files: dict) -> list[tuple]:
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    for name, data in files.items():
        (tmp_path / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return sorted({translate(f) for f in validate(tmp_path).findings}, key=lambda x: (x[0] or 0, x[1]))


def _params():
    for case_id, descriptor, files, expected in CASES:
        marks = [] if case_id in FAST else [pytest.mark.slow]
        yield pytest.param(descriptor, files, expected, DISAGREE.get(case_id), id=case_id, marks=marks)


@pytest.mark.parametrize("descriptor, files, expected, ours", list(_params()))
def test_frictionless_spec_case(tmp_path, descriptor, files, expected, ours):
    want = sorted(set(ours if ours is not None else expected), key=lambda x: (x[0] or 0, x[1]))
    assert run(tmp_path, descriptor, files) == want


def test_every_case_id_is_unique_and_every_disagreement_is_a_case():
    ids = [c[0] for c in CASES]
    assert len(ids) == len(set(ids))
    assert set(DISAGREE) <= set(ids) and set(ids) >= FAST
