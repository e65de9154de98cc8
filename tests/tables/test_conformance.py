"""Conformance: the Table Schema cases that frictionless ships (``frictionless/fields/
__spec__``) run against natodata's casting, and a hypothesis test compares natodata's and
frictionless's verdicts cell by cell. Every disagreement is listed here, with the spec's
reason, and in docs/validate.md ("Where natodata and frictionless disagree")."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natodata.model.schemacheck import schema_problems
from natodata.model.tableschema import Field
from natodata.tables.casting import cast_column


def spec_cases() -> list[tuple]:
    import frictionless.fields.__spec__ as spec

    cases = []
    for mod in pkgutil.iter_modules(spec.__path__):
        module = importlib.import_module(f"frictionless.fields.__spec__.{mod.name}")
        type_ = mod.name.removeprefix("test_")
        for name in dir(module):
            for mark in getattr(getattr(module, name), "pytestmark", []) if name.startswith("test_") else []:
                names = [a.strip() for a in mark.args[0].split(",")] if mark.name == "parametrize" else []
                if names[:3] != ["format", "source", "target"]:
                    continue
                for values in mark.args[1]:
                    row = dict(zip(names, values))
                    if isinstance(row["source"], str):  # cells of a CSV are text
                        cases.append((type_, row["format"], row["source"], row["target"], row.get("options") or {}))
    return cases


CASES = spec_cases()


def verdict(descriptor: dict, text: str):
    """natodata's reading of one cell: ("refused", problem) when the schema does not pass
    the gate, ("bad", None) for a type error, ("ok", value) otherwise."""
    problems = schema_problems({"fields": [descriptor]})
    if problems:
        return "refused", problems[0].message
    typed, bad = cast_column(pd.Series([text], dtype="str"), Field(descriptor))
    if bad.iloc[0]:
        return "bad", None
    value = typed.iloc[0]
    return "ok", value


def same_value(ours, target) -> bool:
    if ours == target or str(ours) == str(target):
        return True
    if isinstance(ours, pd.Timestamp):
        return ours.date() == target
    try:
        return float(ours) == float(target)
    except (TypeError, ValueError):
        return False


#: Where natodata and frictionless's spec cases disagree, and why natodata follows the
#: spec: (type, format, source) -> reason.
DISAGREEMENTS = {
    ("integer", "default", " 01 "): "bareNumber defaults to true: 'the physical contents of this field MUST follow the "
    "formatting constraints', which have no surrounding whitespace",
    ("number", "default", " 01 "): "as for integer",
}
#: Formats the Table Schema v2 string type does not define (frictionless's own extension).
NOT_IN_V2 = {("string", "wkt")}


def test_the_spec_cases_are_many():
    assert len(CASES) > 200


@pytest.mark.parametrize(
    "type_, fmt, source, target, options", CASES, ids=[f"{c[0]}-{c[1]}-{c[2][:20]!r}" for c in CASES]
)
def test_frictionless_spec_case(type_, fmt, source, target, options):
    outcome, value = verdict({"name": "f", "type": type_, "format": fmt, **options}, source)
    if source == "":  # in a CSV an empty cell is the default missing value: null, not a type error
        assert outcome in ("ok", "refused") and (outcome == "refused" or pd.isna(value))
    elif (type_, fmt) in NOT_IN_V2:
        assert outcome == "refused" and "is not one of: default, email, uri, binary, uuid" in value
    elif (type_, fmt, source) in DISAGREEMENTS:
        assert outcome == "bad" and target is not None
    elif target is None:
        assert outcome == "bad", value
    else:
        assert outcome == "ok" and same_value(value, target), (outcome, value, target)


# --- natodata against frictionless, cell by cell ---------------------------------------------


def frictionless_bad(descriptor: dict, text: str) -> bool:
    from frictionless import Field as FField

    return FField.from_descriptor(descriptor).create_value_reader()(text) is None


def spec_reason(type_: str, text: str) -> str | None:
    """Why natodata rejects a cell frictionless accepts, or None if there is no reason."""
    if type_ in ("integer", "number") and text != text.strip():
        return "bareNumber: surrounding whitespace is not part of a bare number"
    if type_ == "integer" and "_" in text:
        return "an integer is digits with an optional sign; Python's int() also reads underscores"
    if type_ == "number" and text.strip().lower().lstrip("+-") in ("infinity", "snan") or "_" in text:
        return "the special numbers are NaN, INF and -INF only"
    if type_ == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return "the default date format is YYYY-MM-DD (two-digit month and day); strptime also reads 2020-1-5"
    return None


ALPHABETS = {
    "integer": "0123456789+- _",
    "number": "0123456789+-.eE naNIiFfty_",
    "boolean": "truefalsTRUEFALS01 ",
    "date": "0123456789- /",
}


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(sorted(ALPHABETS)).flatmap(
        lambda t: st.tuples(st.just(t), st.text(ALPHABETS[t], min_size=1, max_size=10))
    )
)
def test_verdicts_agree_with_frictionless_or_the_spec_says_why(case):
    type_, text = case
    descriptor = {"name": "f", "type": type_}
    ours = verdict(descriptor, text)[0] == "bad"
    theirs = frictionless_bad(descriptor, text)
    if ours != theirs:
        assert ours and not theirs, f"natodata accepts {text!r} as {type_}, frictionless does not"
        assert spec_reason(type_, text), f"{text!r} as {type_}: natodata rejects, frictionless accepts, no spec reason"
