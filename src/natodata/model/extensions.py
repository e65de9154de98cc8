"""natodata's ``x-`` properties and rule parameters, checked against one JSON Schema.

``extensions.schema.json`` (beside this module, shipped in the wheel) defines every
``x-`` property of a Data Package descriptor, of a Table Schema and of its fields, the
parameters of each domain rule an ``x-checks`` entry names, and the code lists; docs/validate.md's
tables of them are generated from it. :mod:`jsonschema` does the checking; this module
turns its errors into :class:`~natodata.model.problem.Problem` s, each with the JSON
pointer of the offending value and a message that names it and says why.

What JSON Schema cannot say is in Python, named: a string of format ``field`` names a
field of the same Table Schema (:func:`_validator`), and an ``x-anchor`` in the string
form of releases up to 1.0.0 implies fields of fixed names (:func:`_legacy_anchor_problems`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from .jsonschemas import offline_validator, shipped
from .problem import Problem, an, kind, pointer

SCHEMA_FILE = "extensions.schema.json"
#: The fields an ``x-anchor`` names.
ANCHOR_KEYS = ("text", "start", "end", "prefix", "suffix")


def extensions_schema() -> dict:
    """The JSON Schema of natodata's ``x-`` properties (read once; never modified)."""
    return shipped(SCHEMA_FILE)


def definition(*path: str) -> dict:
    """The subschema at ``#/$defs/<path>``, e.g. ``definition("rules", "value-order")``."""
    node = extensions_schema()["$defs"]
    for part in path:
        node = node[part]
    return node


def rule_names() -> list[str]:
    """The rules an ``x-checks`` entry may name, in the schema's order."""
    return list(definition("rules"))


def code_list_problem(name: str) -> str | None:
    """Why ``name`` is not a code list ``x-codeList`` may name, or None."""
    known = definition("codeList")["enum"]
    return None if name in known else f"unknown code list {name!r}; known: {', '.join(known)}"


def anchor_spec(value) -> dict:
    """``x-anchor`` in full. The string form of releases up to 1.0.0 names the text field;
    the locating fields are then start, end, prefix and suffix."""
    if isinstance(value, str):
        return {"text": value, **{k: k for k in ANCHOR_KEYS[1:]}}
    return value


def package_problems(desc: dict) -> list[Problem]:
    """Faults of a Data Package descriptor's ``x-`` properties."""
    return [p for _, p in _problems(_validator("#/$defs/package", ()), desc)]


def table_problems(desc: dict, fields: Iterable[str]) -> list[Problem]:
    """Faults of a Table Schema's ``x-`` properties and its fields' (``fields``: the names
    of its well-formed fields). The parameters of its rules are :func:`rule_problem`'s."""
    known = frozenset(fields)
    found = [p for _, p in _problems(_validator("#/$defs/table", known), desc)]
    return found + _legacy_anchor_problems(desc, known)


def rule_problem(rule: str, spec: dict, fields: Iterable[str]) -> Problem | None:
    """The first fault, in the order of its parameters, of ``spec``, an ``x-checks`` entry
    naming ``rule`` (one of :func:`rule_names`) in a schema of ``fields``; or None. The
    pointer is relative to the entry (``/fields/1``), the message names the rule."""
    order = list(definition("rules", rule).get("properties", {}))
    found = _problems(_validator(f"#/$defs/rules/{rule}", fields), spec, rule)
    if not found:
        return None
    return min(found, key=lambda f: order.index(f[0]) if f[0] in order else len(order))[1]


def _legacy_anchor_problems(desc: dict, known: frozenset[str]) -> list[Problem]:
    """An ``x-anchor`` in the string form implies fields named start, end, prefix and suffix."""
    value = desc.get("x-anchor")
    if not isinstance(value, str):
        return []
    return [
        Problem(
            "/x-anchor",
            f"x-anchor {value!r} is in the string form of releases up to 1.0.0, which needs a "
            f"{key} field named {key!r}; the schema has none",
        )
        for key in ANCHOR_KEYS[1:]
        if key not in known
    ]


@lru_cache(maxsize=32)
def _root(ref: str):
    return offline_validator({**extensions_schema(), "$ref": ref})


def _validator(ref: str, fields: Iterable[str]):
    """A validator of the subschema ``ref``, whose format ``field`` means one of ``fields``."""
    from jsonschema import FormatChecker

    known = frozenset(fields)
    checker = FormatChecker(formats=())

    @checker.checks("field")
    def names_a_field(value) -> bool:
        return not isinstance(value, str) or value in known

    return _root(ref).evolve(format_checker=checker)


def _problems(validator, instance, rule: str | None = None) -> list[tuple[str | None, Problem]]:
    """``(parameter, problem)`` per fault, once each; ``parameter`` is the rule parameter
    concerned (with ``rule``), else None."""
    errors = list(validator.iter_errors(instance))
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    out: dict[Problem, str | None] = {}
    for e in errors:
        path = tuple(e.absolute_path)
        if e.validator != "type" and path in mistyped:
            continue  # a value of the wrong type: that is its fault, not what follows from it
        for at, message, missing in _faults(e, path, rule):
            param = missing or (str(at[0]) if rule and at else None)
            out.setdefault(Problem(pointer(*at), message), param)
    return [(param, p) for p, param in out.items()]


def _faults(e, path: tuple, rule: str | None) -> list[tuple[tuple, str, str | None]]:
    """``(path, message, missing parameter)`` for one jsonschema error at ``path``: the
    path of the offending value, and the rule parameter an entry lacks (else None)."""
    value, what = e.instance, e.validator_value
    label = _label(path, rule)
    if e.validator == "required":
        missing = [m for m in what if m not in value]
        if rule and not path:
            return [(path, f"rule {rule!r} needs the parameter {m!r}", m) for m in missing]
        return [(path, f"{label} needs {m!r}", None) for m in missing]
    if e.validator == "additionalProperties":
        known = e.schema.get("properties", {})
        return [(path + (k,), f"{label} has no property {k!r}", None) for k in value if k not in known]
    if e.validator == "dependentRequired":
        return [
            ((k,), f"{k} needs {' and '.join(deps)}", None)
            for k, deps in what.items()
            if k in value and any(d not in value for d in deps)
        ]
    if e.validator == "type":
        types = [what] if isinstance(what, str) else what
        message = f"{label} must be {' or '.join(an(t) for t in types)}, not {kind(value)}"
    elif e.validator == "format" and what == "field":
        message = f"{label} names {value!r}, which is not a field"
    elif e.validator == "enum":
        message = f"{label} {value!r} is not one of: {', '.join(map(str, what))}"
    elif e.validator == "minLength" and what == 1:
        message = f"{label} must not be empty"
    elif e.validator in ("minItems", "maxItems"):
        low, high = e.schema.get("minItems"), e.schema.get("maxItems")
        bound = (
            f"exactly {low}" if low == high else f"at least {low}" if e.validator == "minItems" else f"at most {high}"
        )
        message = f"{label} must have {bound} {'item' if bound.endswith(' 1') else 'items'}, not {len(value)}"
    else:
        message = f"{label}: {e.message}"
    return [(path, message, None)]


def _label(path: tuple, rule: str | None) -> str:
    """How a message names the value at ``path``: ``x-anchor suffix``, ``x-covers what[1]``
    and ``x-precision`` (from the last ``x-`` property on); in a rule's entry, ``rule
    'speaker-kind': parameter 'allowed'[0]``."""
    if rule is not None:
        if not path:
            return f"rule {rule!r}"
        head, rest = f"rule {rule!r}: parameter {path[0]!r}", path[1:]
    else:
        start = max((i for i, p in enumerate(path) if isinstance(p, str) and p.startswith("x-")), default=0)
        head, rest = (str(path[start]) if path else "the schema"), path[start + 1 :]
    sep = "." if rule is not None else " "
    return head + "".join(f"[{p}]" if isinstance(p, int) else f"{sep}{p}" for p in rest)
