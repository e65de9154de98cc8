"""Descriptor checks: frictionless's metadata validation plus our own rules
(every field described, every table keyed, types natodata can check)."""

from __future__ import annotations

import json
from functools import lru_cache

from frictionless import FrictionlessException
from frictionless import Package as FPackage
from frictionless import Schema as FSchema

from ..findings import Finding
from ..model.descriptor import Package
from ..tables.casting import SUPPORTED_TYPES
from .rules import RuleSpecError, build_rule

#: What frictionless raises, besides its own exception, on descriptors of unexpected shape.
_FRICTIONLESS_FAILURES = (FrictionlessException, TypeError, ValueError, KeyError, AttributeError)


def descriptor_findings(pkg: Package) -> list[Finding]:
    out: list[Finding] = []
    where = pkg.descriptor_path.name
    desc = {k: v for k, v in pkg.descriptor.items()}
    if isinstance(desc.get("resources"), list):
        # Schemas are validated one by one below, so each error names its file.
        desc["resources"] = [{k: v for k, v in r.items() if k != "schema"} if isinstance(r, dict) else r
                             for r in desc["resources"]]
    if not str(desc.get("$schema", "")).startswith("https://datapackage.org/profiles/2."):
        out.append(Finding("descriptor-error", "the descriptor's $schema must name a Data Package v2 profile",
                           path=where, field="$schema"))
    for e in _frictionless_errors(FPackage, desc):
        out.append(Finding("descriptor-error", e, path=where))
    for res in pkg.resources:
        if res.schema is None:
            continue
        for e in _frictionless_errors(FSchema, res.schema.descriptor):
            out.append(Finding("schema-error", e, table=res.name, path=res.schema_path))
        schemas = {r.name: r.schema for r in pkg.resources if r.schema is not None}
        for i, spec in enumerate(res.schema.checks if res.schema.primary_key else []):  # rules name rows by key
            try:
                build_rule(spec, res.name, res.schema, schemas)
            except RuleSpecError as exc:
                out.append(Finding("schema-error", f"x-checks[{i}]: {exc}", table=res.name, path=res.schema_path,
                                   field="x-checks"))
        if not res.schema.primary_key:
            out.append(Finding("schema-error", "the table has no primaryKey", table=res.name,
                               path=res.schema_path, field="primaryKey"))
        for fld in res.schema.fields:
            if not fld.description.strip():
                out.append(Finding("schema-error", f"field {fld.name!r} has no description",
                                   table=res.name, path=res.schema_path, field=fld.name))
            if fld.type not in SUPPORTED_TYPES:
                out.append(Finding("schema-error", f"field {fld.name!r} has type {fld.type!r}, which natodata cannot check",
                                   table=res.name, path=res.schema_path, field=fld.name))
    return out


def _frictionless_errors(cls, descriptor: dict) -> list[str]:
    # A descriptor's metadata errors depend on its JSON alone; validate each text once.
    return list(_frictionless_errors_of(cls, json.dumps(descriptor, sort_keys=True)))


@lru_cache(maxsize=256)
def _frictionless_errors_of(cls, text: str) -> tuple[str, ...]:
    try:
        report = cls.validate_descriptor(json.loads(text))
    except _FRICTIONLESS_FAILURES as exc:
        return (f"frictionless could not read the descriptor: {exc}",)
    return tuple(e.message for e in report.errors)
