"""The gate every Table Schema passes before a table is read with it.

:func:`schema_problems` checks the shape of a Table Schema descriptor (v1 or v2) and of
the ``x-`` properties natodata reads (against their JSON Schema,
:mod:`natodata.model.extensions`), and returns one :class:`Problem` per fault, each with
the JSON pointer of the offending value. A schema with any problem is not used: the
table is skipped and reported, instead of crashing a later stage or being read with a
rule silently ignored. The gate knows shapes only; whether a value is of its field's type
(``minimum: "x"`` on an integer) is asked of the field's own cell reader by the caller.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from .extensions import table_problems
from .patterns import linear_time_problem
from .problem import Problem, an, kind, pointer

#: Every field type of Table Schema v2 (not to be confused with the finding types,
#: :data:`natodata.findings.TYPES`).
FIELD_TYPES = (
    "string",
    "number",
    "integer",
    "boolean",
    "object",
    "array",
    "list",
    "date",
    "time",
    "datetime",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "geojson",
    "any",
)

#: Constraints whose value is of the field's own type (or its string form).
TYPED_CONSTRAINTS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
LENGTH_CONSTRAINTS = ("minLength", "maxLength")
#: Types whose values have a length.
LENGTH_TYPES = ("string", "array", "list", "object", "any")
#: Types whose values are ordered, so ranges apply.
RANGE_TYPES = ("integer", "number", "date", "time", "datetime", "year", "yearmonth", "duration")
#: Types whose values are text, so patterns apply.
PATTERN_TYPES = ("string", "any")
#: Types whose values a ``jsonSchema`` constraint describes.
JSON_SCHEMA_TYPES = ("object", "array")
STRING_FORMATS = ("default", "email", "uri", "binary", "uuid")
FIELDS_MATCH = ("exact", "equal", "subset", "superset", "partial")
#: A boolean field's trueValues and falseValues when it gives none (Table Schema).
TRUE_VALUES = ("true", "True", "TRUE", "1")
FALSE_VALUES = ("false", "False", "FALSE", "0")


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


class _Collector:
    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, ptr: str, message: str, unsupported: bool = False) -> None:
        self.problems.append(Problem(ptr, message, unsupported))

    def expect(self, value, kinds: tuple, ptr: str, what: str) -> bool:
        ok = {
            "string": isinstance(value, str),
            "boolean": isinstance(value, bool),
            "integer": _is_int(value),
            "array": isinstance(value, list),
            "object": isinstance(value, dict),
            "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        }
        if any(ok[k] for k in kinds):
            return True
        self.add(ptr, f"{what} must be {' or '.join(an(k) for k in kinds)}, not {kind(value)}")
        return False

    def string_list(self, value, ptr: str, what: str, allow_string: bool = False) -> list[str] | None:
        if allow_string and isinstance(value, str):
            return [value]
        if not self.expect(value, ("array",) + (("string",) if allow_string else ()), ptr, what):
            return None
        good = True
        for i, v in enumerate(value):
            good &= self.expect(v, ("string",), pointer_join(ptr, i), f"{what} item")
        return list(value) if good else None


def pointer_join(ptr: str, *parts) -> str:
    return ptr + pointer(*parts)


def schema_problems(desc) -> list[Problem]:
    """Every fault of shape in a Table Schema descriptor, with its JSON pointer. (The
    answer depends on the JSON alone, so each text is checked once per process.)"""
    try:
        text = json.dumps(desc, allow_nan=False)  # key order kept: problems come in document order
    except (TypeError, ValueError):
        return _schema_problems(desc)
    return list(_cached_problems(text))


@lru_cache(maxsize=512)
def _cached_problems(text: str) -> tuple[Problem, ...]:
    return tuple(_schema_problems(json.loads(text)))


def _schema_problems(desc) -> list[Problem]:
    c = _Collector()
    if not isinstance(desc, dict):
        c.add("", f"a Table Schema must be a JSON object, not {kind(desc)}")
        return c.problems
    fields = desc.get("fields")
    names: list[str] = []
    seen: set[str] = set()
    if fields is None:
        c.add("/fields", "the schema has no fields")
    elif c.expect(fields, ("array",), "/fields", "fields"):
        for i, fld in enumerate(fields):
            name = _field_problems(c, fld, pointer("fields", i))
            if name is not None:
                if name in seen:
                    c.add(pointer("fields", i, "name"), f"field name {name!r} appears more than once")
                names.append(name)
                seen.add(name)
    if "missingValues" in desc:
        _missing_values(c, desc["missingValues"], "/missingValues")
    known = set(names)

    def field_refs(value, ptr: str, what: str, allow_string: bool = True) -> list[str] | None:
        refs = c.string_list(value, ptr, what, allow_string)
        if refs is None:
            return None
        if not refs:
            c.add(ptr, f"{what} names no field")
            return None
        for i, r in enumerate(refs):
            if r not in known and isinstance(fields, list):
                c.add(
                    ptr if isinstance(value, str) else pointer_join(ptr, i), f"{what} names {r!r}, which is not a field"
                )
        return refs

    if "primaryKey" in desc:
        field_refs(desc["primaryKey"], "/primaryKey", "primaryKey")
    if "uniqueKeys" in desc and c.expect(desc["uniqueKeys"], ("array",), "/uniqueKeys", "uniqueKeys"):
        for i, key in enumerate(desc["uniqueKeys"]):
            field_refs(key, pointer("uniqueKeys", i), "a unique key", allow_string=False)
    if "foreignKeys" in desc and c.expect(desc["foreignKeys"], ("array",), "/foreignKeys", "foreignKeys"):
        for i, fk in enumerate(desc["foreignKeys"]):
            _foreign_key(c, fk, pointer("foreignKeys", i), field_refs)
    if "fieldsMatch" in desc:
        fm = desc["fieldsMatch"]
        if c.expect(fm, ("string",), "/fieldsMatch", "fieldsMatch") and fm not in FIELDS_MATCH:
            c.add("/fieldsMatch", f"fieldsMatch {fm!r} is not one of: {', '.join(FIELDS_MATCH)}")
    c.problems += table_problems(desc, known)  # natodata's x- properties (model/extensions.schema.json)
    return c.problems


def _field_problems(c: _Collector, fld, ptr: str) -> str | None:
    if not c.expect(fld, ("object",), ptr, "a field"):
        return None
    name = fld.get("name")
    if "name" not in fld:
        c.add(ptr, "the field has no name")
        name = None
    elif not c.expect(name, ("string",), pointer_join(ptr, "name"), "a field name"):
        name = None
    elif not name:
        c.add(pointer_join(ptr, "name"), "a field name must not be empty")
    typ = fld.get("type", "any")
    if not c.expect(typ, ("string",), pointer_join(ptr, "type"), "a field type"):
        typ = None
    elif typ not in FIELD_TYPES:
        c.add(pointer_join(ptr, "type"), f"type {typ!r} is not a Table Schema type ({', '.join(FIELD_TYPES)})")
        typ = None
    fmt = fld.get("format", "default")
    if (
        c.expect(fmt, ("string",), pointer_join(ptr, "format"), "a field format")
        and typ == "string"
        and fmt not in STRING_FORMATS
    ):
        c.add(pointer_join(ptr, "format"), f"string format {fmt!r} is not one of: {', '.join(STRING_FORMATS)}")
    for key in ("title", "description", "rdfType"):
        if key in fld:
            c.expect(fld[key], ("string",), pointer_join(ptr, key), key)
    for key in ("decimalChar", "groupChar"):
        if key in fld and c.expect(fld[key], ("string",), pointer_join(ptr, key), key) and not fld[key]:
            c.add(pointer_join(ptr, key), f"{key} must not be empty")
    if "bareNumber" in fld:
        c.expect(fld["bareNumber"], ("boolean",), pointer_join(ptr, "bareNumber"), "bareNumber")
    lists = {
        key: c.string_list(fld[key], pointer_join(ptr, key), key) if key in fld else default
        for key, default in (("trueValues", TRUE_VALUES), ("falseValues", FALSE_VALUES))
    }
    if typ == "boolean" and lists["trueValues"] is not None and lists["falseValues"] is not None:
        both = [v for v in dict.fromkeys(lists["trueValues"]) if v in set(lists["falseValues"])]
        if both:
            c.add(
                pointer_join(ptr, "falseValues" if "falseValues" in fld else "trueValues"),
                f"{', '.join(map(repr, both))} {'is' if len(both) == 1 else 'are'} both a true and a false value",
            )
    if "missingValues" in fld:
        _missing_values(c, fld["missingValues"], pointer_join(ptr, "missingValues"))
    if "categories" in fld:
        _categories(c, fld["categories"], pointer_join(ptr, "categories"), typ)
    if "categoriesOrdered" in fld:
        c.expect(fld["categoriesOrdered"], ("boolean",), pointer_join(ptr, "categoriesOrdered"), "categoriesOrdered")
    if "constraints" in fld and c.expect(
        fld["constraints"], ("object",), pointer_join(ptr, "constraints"), "constraints"
    ):
        _constraints(c, fld["constraints"], pointer_join(ptr, "constraints"), typ)
    return name


def _missing_values(c: _Collector, mv, ptr: str) -> None:
    if not c.expect(mv, ("array",), ptr, "missingValues"):
        return
    seen: dict[str, set] = {"value": set(), "label": set()}
    for i, v in enumerate(mv):  # object entries: each value and each label once
        for key in ("value", "label") if isinstance(v, dict) else ():
            if isinstance(v.get(key), str):
                if v[key] in seen[key]:
                    c.add(
                        pointer_join(ptr, i, key),
                        f"missing value {'label ' if key == 'label' else ''}{v[key]!r} is not unique",
                    )
                seen[key].add(v[key])
    for i, v in enumerate(mv):
        p = pointer_join(ptr, i)
        if isinstance(v, dict):  # the v2 object form
            if "value" not in v:
                c.add(p, "a missing value object needs a value")
            else:
                c.expect(v["value"], ("string",), pointer_join(p, "value"), "a missing value")
            if "label" in v:
                c.expect(v["label"], ("string",), pointer_join(p, "label"), "a missing value label")
        else:
            c.expect(v, ("string",), p, "a missing value")


def _categories(c: _Collector, cats, ptr: str, typ: str | None) -> None:
    if not c.expect(cats, ("array",), ptr, "categories"):
        return
    if typ not in (None, "string", "integer"):
        c.add(ptr, f"categories apply to string and integer fields, not {typ}")
    if not cats:
        c.add(ptr, "categories must list at least one value")
    want = ("integer",) if typ == "integer" else ("string",)
    for i, cat in enumerate(cats):
        p = pointer_join(ptr, i)
        if isinstance(cat, dict):
            if "value" not in cat:
                c.add(p, "a category object needs a value")
            else:
                c.expect(cat["value"], want, pointer_join(p, "value"), "a category value")
            if "label" in cat:
                c.expect(cat["label"], ("string",), pointer_join(p, "label"), "a category label")
        else:
            c.expect(cat, want, p, "a category")


def _constraints(c: _Collector, cons: dict, ptr: str, typ: str | None) -> None:
    for key in ("required", "unique"):
        if key in cons:
            c.expect(cons[key], ("boolean",), pointer_join(ptr, key), key)
    for key in LENGTH_CONSTRAINTS:
        if key in cons and c.expect(cons[key], ("integer",), pointer_join(ptr, key), key) and cons[key] < 0:
            c.add(pointer_join(ptr, key), f"{key} must not be negative")
    if "pattern" in cons and c.expect(cons["pattern"], ("string",), pointer_join(ptr, "pattern"), "pattern"):
        try:
            re.compile(cons["pattern"])
        except (re.error, RecursionError, OverflowError) as exc:
            c.add(pointer_join(ptr, "pattern"), f"pattern {cons['pattern']!r} is not a valid regular expression: {exc}")
        else:
            why = linear_time_problem(cons["pattern"])
            if why is not None:
                c.add(
                    pointer_join(ptr, "pattern"),
                    f"pattern {cons['pattern']!r} needs a construct that a linear-time "
                    f"regular expression engine (RE2) cannot run ({why}); natodata runs no pattern whose time is "
                    "unbounded, so the table is not read",
                    unsupported=True,
                )
    for key in TYPED_CONSTRAINTS:
        if key in cons:
            c.expect(cons[key], ("number", "string"), pointer_join(ptr, key), key)
    if "enum" in cons and c.expect(cons["enum"], ("array",), pointer_join(ptr, "enum"), "enum") and not cons["enum"]:
        c.add(pointer_join(ptr, "enum"), "enum must list at least one value")
    if typ is not None:
        for key in (k for k in LENGTH_CONSTRAINTS if k in cons and typ not in LENGTH_TYPES):
            c.add(pointer_join(ptr, key), f"{key} does not apply to a {typ} field")
        for key in (k for k in TYPED_CONSTRAINTS if k in cons and typ not in RANGE_TYPES):
            c.add(pointer_join(ptr, key), f"{key} does not apply to a {typ} field")
        if "pattern" in cons and typ not in PATTERN_TYPES:
            c.add(
                pointer_join(ptr, "pattern"),
                f"pattern does not apply to {an(typ)} field (Table Schema: pattern is a constraint of string fields)",
            )
    if "jsonSchema" in cons and c.expect(
        cons["jsonSchema"], ("object",), pointer_join(ptr, "jsonSchema"), "jsonSchema"
    ):
        if typ is not None and typ not in JSON_SCHEMA_TYPES:
            c.add(
                pointer_join(ptr, "jsonSchema"),
                f"jsonSchema does not apply to {an(typ)} field (only to object and array fields)",
            )
        problem = json_schema_problem(cons["jsonSchema"])
        if problem:
            c.add(pointer_join(ptr, "jsonSchema"), f"jsonSchema is not a valid JSON Schema: {problem}")


def json_schema_problem(spec: dict) -> str | None:
    """Why ``spec`` is not a valid JSON Schema (by the draft it names), or None."""
    from jsonschema import SchemaError, validators

    try:
        validators.validator_for(spec).check_schema(spec)
    except SchemaError as exc:
        return exc.message
    return None


def _foreign_key(c: _Collector, fk, ptr: str, field_refs) -> None:
    if not c.expect(fk, ("object",), ptr, "a foreign key"):
        return
    if "fields" not in fk:
        c.add(ptr, "the foreign key has no fields")
        mine = None
    else:
        mine = field_refs(fk["fields"], pointer_join(ptr, "fields"), "a foreign key")
    ref = fk.get("reference")
    if "reference" not in fk:
        c.add(ptr, "the foreign key has no reference")
        return
    if not c.expect(ref, ("object",), pointer_join(ptr, "reference"), "a foreign key reference"):
        return
    if "resource" in ref:
        c.expect(ref["resource"], ("string",), pointer_join(ptr, "reference", "resource"), "the referenced resource")
    if "fields" not in ref:
        c.add(pointer_join(ptr, "reference"), "the reference has no fields")
        return
    theirs = c.string_list(ref["fields"], pointer_join(ptr, "reference", "fields"), "the referenced fields", True)
    if mine is not None and theirs is not None and len(mine) != len(theirs):
        c.add(
            pointer_join(ptr, "reference", "fields"),
            f"the foreign key has {len(mine)} field(s) but the reference names {len(theirs)}",
        )
