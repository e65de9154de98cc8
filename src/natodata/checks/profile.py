"""A descriptor against the standard Data Package profiles, offline.

The profiles are the official JSON Schemas natodata ships (``natodata/model/profiles``,
read with :func:`natodata.model.jsonschemas.shipped`), checked by jsonschema; nothing is
fetched. Every descriptor is checked against the 2.0 profiles (Data Package, with its Data
Resources and Table Dialects, and Table Schema): v2 is a superset of v1, and a v1 package may
use what v2 added except where the spec says otherwise. Those exceptions are the version
gates, applied when the package is v1 (:func:`natodata.model.descriptor.is_v2`; the package's
version holds for every resource and schema in it, whatever they claim): names as the 1.0
profile's ``name`` pattern allows (here), object-form ``missingValues`` and the exclusive
bounds (:mod:`.descriptor`). What the profiles cannot say and Data Package implementations
check beside them (frictionless's metadata validation, which natodata used before) is in
:func:`_beyond_the_profile`.

Each fault is ``(JSON pointer, message)``; the message says which descriptor has the fault
and where, as frictionless's did: ``The data package has an error: 'CC-BY-4.0' is not of type
'array' at property 'licenses'``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model.jsonschemas import offline_validator, shipped

#: What a message calls the descriptor a fault lies in, by its place in the package descriptor.
_PACKAGE, _RESOURCE, _DIALECT = (
    "The data package has an error",
    "The data resource has an error",
    "Dialect is not valid",
)
_SCHEMA, _FIELD = "Schema is not valid", "Field is not valid"
#: Properties natodata's own checks read and report on, in their own words, so the profiles'
#: verdict on them is not repeated: a resource's ``path`` (the gate: inside the package, no
#: URL), ``bytes`` and ``hash`` (checks/integrity.py, which also accepts any algorithm name), and
#: a Table Schema's ``fieldsMatch`` (the gate; the 2.0 profile's own definition of it is in error:
#: an array, where the spec says a string) and the values of its fields' constraints (the gate
#: reads each as the field's type, in its JSON or its text form, which the profile cannot mix).
_OWN = {
    "package": re.compile(r"/resources/\d+/(path|bytes|hash)(/|$)"),
    "schema": re.compile(
        r"/fieldsMatch(/|$)|/fields/\d+/constraints/(enum|minimum|maximum|exclusiveMinimum"
        r"|exclusiveMaximum)(/|$)"
    ),
}
PACKAGE_PROFILE, SCHEMA_PROFILE, V1_PACKAGE_PROFILE = (
    "profiles/2.0/datapackage.json",
    "profiles/2.0/tableschema.json",
    "profiles/1.0/datapackage.json",
)


def package_faults(desc: dict, v2: bool) -> list[tuple[str, str]]:
    """The faults of a package descriptor (its resources and dialects included, its Table
    Schemas left to :func:`schema_faults`)."""
    desc = dict(desc)
    if isinstance(desc.get("resources"), list):  # schemas are checked on their own, so faults name their file
        desc["resources"] = [
            {k: v for k, v in r.items() if k != "schema"} if isinstance(r, dict) else r for r in desc["resources"]
        ]
    out = _faults(_validator(PACKAGE_PROFILE).iter_errors(desc), _package_place)
    if not v2:
        out += _faults(_v1_names(desc), _package_place)
    return [f for f in out if not _OWN["package"].match(f[0])] + _beyond_the_profile(desc, "package")


def schema_faults(desc: dict) -> list[tuple[str, str]]:
    """The faults of a Table Schema (its version gates are :mod:`.descriptor`'s)."""
    out = _faults(_validator(SCHEMA_PROFILE).iter_errors(desc), _schema_place)
    return [f for f in out if not _OWN["schema"].match(f[0])] + _beyond_the_profile(desc, "schema")


def _v1_names(desc: dict):
    """The version gate on names: a v1 package's name and its resources' names match the
    1.0 profile's pattern (lower case letters, digits and ``-._/``)."""
    profile = shipped(V1_PACKAGE_PROFILE)
    rule = profile["properties"]["name"]
    for error in offline_validator(rule).iter_errors(desc["name"]) if isinstance(desc.get("name"), str) else []:
        error.path.appendleft("name")
        yield error
    rule = profile["properties"]["resources"]["items"]["properties"]["name"]
    for i, res in enumerate(desc.get("resources") if isinstance(desc.get("resources"), list) else []):
        if isinstance(res, dict) and isinstance(res.get("name"), str):
            for error in offline_validator(rule).iter_errors(res["name"]):
                error.path.extendleft(["name", i, "resources"])
                yield error


def _faults(errors, place) -> list[tuple[str, str]]:
    out = []
    for error in _errors(errors):
        path = list(error.absolute_path)
        what, rel = place(path)
        at = f" at property '{'/'.join(map(str, rel))}'" if rel else ""
        out.append(("".join(f"/{_escape(p)}" for p in path), f"{what}: {error.message}{at}"))
    return out


def _errors(errors):
    """The errors to report. Where a value matches none of a ``oneOf``'s alternatives for
    each ``type`` (a Table Schema field), the errors of the one alternative for its type; none
    when no alternative knows its type, as natodata's gate decides which types there are (the
    2.0 profile lacks the spec's ``list`` field). Otherwise the error itself."""
    for error in errors:
        if error.validator in ("oneOf", "anyOf") and error.context:
            branches: dict = {}
            for sub in error.context:
                branches.setdefault(sub.schema_path[0], []).append(sub)
            typed = [b for b in branches.values() if not any(list(e.relative_path) == ["type"] for e in b)]
            if len(typed) == 1 and len(typed) < len(branches):
                yield from _errors(typed[0])
                continue
            if not typed:
                continue
        yield error


def _package_place(path: list) -> tuple[str, list]:
    if len(path) >= 2 and path[0] == "resources":
        if len(path) >= 3 and path[2] == "dialect":
            return _DIALECT, path[3:]
        return _RESOURCE, path[2:]
    return _PACKAGE, path


def _schema_place(path: list) -> tuple[str, list]:
    if len(path) >= 2 and path[0] == "fields":
        return _FIELD, path[2:]
    return _SCHEMA, path


def _escape(part) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _beyond_the_profile(desc: dict, kind: str) -> list[tuple[str, str]]:
    """Faults the profiles cannot express: a property that belongs one level down
    (``required`` of a field is a constraint, ``missingValues`` belongs to the Table Schema)."""
    out = []
    if kind == "package":
        for name in ("missingValues", "fields"):
            if name in desc:
                out.append((f"/{name}", f'{_PACKAGE}: "{name}" should be set as "resource.schema.{name}"'))
        for i, res in enumerate(desc.get("resources") if isinstance(desc.get("resources"), list) else []):
            if isinstance(res, dict) and "missingValues" in res:
                out.append(
                    (
                        f"/resources/{i}/missingValues",
                        f'{_RESOURCE}: "missingValues" should be set as "schema.missingValues"',
                    )
                )
    elif isinstance(desc.get("fields"), list):
        for i, fld in enumerate(desc["fields"]):
            if isinstance(fld, dict) and "required" in fld:
                out.append((f"/fields/{i}/required", f'{_FIELD}: "required" should be set as "constraints.required"'))
    return out


@lru_cache(maxsize=1)
def _format_checker():
    """The formats Data Package implementations check: a ``created`` date and time (ISO
    8601, to the second at least) and contributors' and sources' e-mail addresses."""
    from datetime import datetime

    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value) -> bool:
        if not isinstance(value, str):
            return True
        if len(value) < 19 or value[16] != ":":
            raise ValueError("not a date and time to the second")
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True

    @checker.checks("email")
    def _email(value) -> bool:
        if not isinstance(value, str):
            return True
        local, at, domain = value.rpartition("@")
        return bool(at and local and "." in domain and " " not in value)

    return checker


@lru_cache(maxsize=None)
def _validator(profile: str):
    return offline_validator(shipped(profile), format_checker=_format_checker())
