"""Descriptor checks: frictionless's metadata validation plus our own rules
(every field described, every table keyed, types natodata can check)."""

from __future__ import annotations

from .casting import SUPPORTED_TYPES
from .findings import Finding, Severity
from .package import Package


def descriptor_findings(pkg: Package) -> list[Finding]:
    from frictionless import Package as FPackage
    from frictionless import Schema as FSchema

    out: list[Finding] = []
    where = pkg.descriptor_path.name
    desc = {k: v for k, v in pkg.descriptor.items()}
    if isinstance(desc.get("resources"), list):
        # Schemas are validated one by one below, so each error names its file.
        desc["resources"] = [{k: v for k, v in r.items() if k != "schema"} if isinstance(r, dict) else r
                             for r in desc["resources"]]
    if not str(desc.get("$schema", "")).startswith("https://datapackage.org/profiles/2."):
        out.append(Finding("descriptor-error", Severity.ERROR, "the descriptor's $schema must name a Data Package v2 profile",
                           path=where, field="$schema"))
    for e in _frictionless_errors(FPackage, desc):
        out.append(Finding("descriptor-error", Severity.ERROR, e, path=where))
    for res in pkg.resources:
        if res.schema is None:
            continue
        for e in _frictionless_errors(FSchema, res.schema.descriptor):
            out.append(Finding("schema-error", Severity.ERROR, e, table=res.name, path=res.schema_path))
        if not res.schema.primary_key:
            out.append(Finding("schema-error", Severity.ERROR, "the table has no primaryKey", table=res.name,
                               path=res.schema_path, field="primaryKey"))
        for fld in res.schema.fields:
            if not fld.description.strip():
                out.append(Finding("schema-error", Severity.ERROR, f"field {fld.name!r} has no description",
                                   table=res.name, path=res.schema_path, field=fld.name))
            if fld.type not in SUPPORTED_TYPES:
                out.append(Finding("schema-error", Severity.ERROR, f"field {fld.name!r} has type {fld.type!r}, which natodata cannot check",
                                   table=res.name, path=res.schema_path, field=fld.name))
    return out


def _frictionless_errors(cls, descriptor: dict) -> list[str]:
    try:
        report = cls.validate_descriptor(descriptor)
    except Exception as exc:  # frictionless raises assorted errors on odd descriptors
        return [f"frictionless could not read the descriptor: {exc}"]
    return [e.message for e in report.errors]
