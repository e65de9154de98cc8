"""Each rule and cell check is registered once, against its finding type; the registries
are the module's own (nothing is registered with pandera), so the check modules import
in any process, twice, or after someone else registered a pandera check of the same name."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from natodata.checks.columns import CELL_CHECKS, ColumnTest, column_check, failures
from natodata.checks.rules import RULES, X_CHECKS
from natodata.findings import TYPES, Registry, switched_by
from natodata.model.extensions import definition, rule_names


def test_every_check_finding_type_has_one_registered_check_and_no_other():
    switched = {name for name, t in TYPES.items() if t.switch}
    assert set(RULES) | set(CELL_CHECKS) == switched
    assert not set(RULES) & set(CELL_CHECKS)
    assert {TYPES[n].group for n in RULES} == {"rules"} and {TYPES[n].group for n in CELL_CHECKS} == {"cells"}


def test_the_schema_gate_names_the_registered_checks():
    """The x- properties' JSON Schema (the schema gate) lists what x-cellChecks and x-checks may name."""
    cell = definition("table")["properties"]["x-cellChecks"]["items"]["enum"]
    assert (
        tuple(cell)
        == switched_by("x-cellChecks")
        == ("surrounding-whitespace", "control-character", "formula-injection")
    )
    assert set(rule_names()) == set(X_CHECKS)
    assert switched_by("x-checks") == X_CHECKS and len(X_CHECKS) == 10 and set(X_CHECKS) <= set(RULES)


def test_a_registry_refuses_a_duplicate_an_unknown_name_a_gap_and_a_late_registration():
    reg: Registry[str] = Registry("x-cellChecks")
    reg.register("surrounding-whitespace", "a")
    with pytest.raises(ValueError, match="already registered"):
        reg.register("surrounding-whitespace", "b")
    with pytest.raises(ValueError, match="not a finding type switched on by x-cellChecks"):
        reg.register("value-order", "c")
    with pytest.raises(ValueError, match="no check is registered for control-character, formula-injection"):
        reg.freeze()
    reg.register("control-character", "d")
    reg.register("formula-injection", "e")
    frozen = reg.freeze()
    assert dict(frozen) == {"surrounding-whitespace": "a", "control-character": "d", "formula-injection": "e"}
    with pytest.raises(TypeError):
        frozen["x"] = "f"  # type: ignore[index]
    with pytest.raises(RuntimeError, match="frozen"):
        reg.register("surrounding-whitespace", "g")


def test_a_column_check_fails_a_value_once_and_tells_its_tests_apart():
    """A value failing several tests fails the column check once; its findings come test by
    test, the x-cellChecks checks row by row where the first of them stands."""
    short = ColumnTest("min-length-constraint", lambda s: s.str.len() >= 3, str)
    tests = [short, CELL_CHECKS["surrounding-whitespace"], CELL_CHECKS["formula-injection"]]
    s = pd.Series(["fine", " =x", "ok", "=sum", "=a "], dtype="str")
    assert column_check(tests)(s).tolist() == [True, False, False, False, False]
    failing = s[~column_check(tests)(s).to_numpy()]
    assert failing.tolist() == [" =x", "ok", "=sum", "=a "]
    assert [(pos, t.type) for pos, t in failures(tests, failing)] == [
        (1, "min-length-constraint"),
        (0, "surrounding-whitespace"),
        (2, "formula-injection"),
        (3, "surrounding-whitespace"),
        (3, "formula-injection"),
    ]


def test_a_column_check_runs_a_screened_test_on_its_candidates_only():
    seen = []

    def exact(s: pd.Series) -> pd.Series:
        seen.append(s.tolist())
        return CELL_CHECKS["formula-injection"].test(s)

    test = ColumnTest("formula-injection", exact, str, CELL_CHECKS["formula-injection"].screen)
    s = pd.Series(["a", "=b", "c", "-1"], dtype="str")
    assert np.array_equal(column_check([test])(s).to_numpy(), [True, False, True, True])
    assert seen == [["=b", "-1"]]


IMPORT_TWICE = """
import sys
import pandas as pd
import pandera.pandas as pa
from pandera.extensions import register_check_method

@register_check_method()
def partial_date(s):  # someone else's check of that name, registered first
    return s == s

@register_check_method(statistics=["checks"])
def clean_cells(s, *, checks):
    return s == s

def check_a_column():
    from natodata.checks.constraints import TableChecks
    from natodata.model.tableschema import TableSchema

    schema = TableSchema({"x-cellChecks": ["surrounding-whitespace"], "fields": [
        {"name": "d", "type": "string", "x-partialDate": True}]})
    checks = TableChecks(schema, "t", "t.csv", ["d"], {"t": schema})
    frame = pd.DataFrame({"d": pd.Series(["2020-02-30", " 2020", "2020-02"], dtype="str", index=[2, 3, 4])})
    return [(f.type, f.line) for f in checks.rows(frame, set())]

first = check_a_column()
for name in [m for m in sys.modules if m.startswith("natodata.checks")]:
    del sys.modules[name]
second = check_a_column()
assert first == second == [("surrounding-whitespace", 3), ("invalid-date", 2), ("invalid-date", 3)], first
assert not any(hasattr(pa.Check, n) for n in ("matches_pattern", "in_code_list", "no_formula")), "registered globally"
print("ok")
"""


@pytest.mark.slow  # a fresh interpreter importing pandera
def test_the_check_modules_import_twice_and_after_a_pandera_check_of_the_same_name():
    done = subprocess.run([sys.executable, "-c", IMPORT_TWICE], capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stdout, done.stderr[-2000:]) == (0, "ok\n", "")
