"""Descriptor checks: frictionless's metadata validation plus our own rules
(every field described, every table keyed, types natodata can check)."""

from __future__ import annotations

import json
from functools import lru_cache

from ..cache import cached_strings
from ..findings import Finding
from ..model.descriptor import Package
from .columns import CODE_LISTS
from .rules import RuleSpecError, build_rule

#: What frictionless raises, besides its own exception, on descriptors of unexpected shape.
_FRICTIONLESS_FAILURES = (TypeError, ValueError, KeyError, AttributeError)


#: Package-level switches for natodata's documentation policy (see docs/validate.md).
REQUIRE_PRIMARY_KEYS = "x-requirePrimaryKeys"
REQUIRE_DESCRIPTIONS = "x-requireDescriptions"


def descriptor_findings(pkg: Package) -> list[Finding]:
    """Metadata findings beyond the gate that reading already applied: frictionless's
    validation of the descriptor and each schema, ``x-checks`` parameters and code lists,
    and the policies a package opts into."""
    out: list[Finding] = []
    where = pkg.descriptor_path.name
    desc = {k: v for k, v in pkg.descriptor.items()}
    if isinstance(desc.get("resources"), list):
        # Schemas are validated one by one below, so each error names its file.
        # (A placeholder keeps a tabular resource tabular for frictionless.)
        desc["resources"] = [{**r, "schema": {"fields": []}} if isinstance(r, dict) and "schema" in r else r
                             for r in desc["resources"]]
    for e in _frictionless_errors("Package", desc):
        out.append(Finding("descriptor-error", e, path=where))
    schemas = {r.name: r.schema for r in pkg.resources if r.schema is not None}
    for res in pkg.resources:
        if res.schema is None:
            continue
        spath = res.schema_path or where
        for e in _frictionless_errors("Schema", res.schema.descriptor):
            out.append(Finding("schema-error", e, table=res.name, path=spath))
        for i, spec in enumerate(res.schema.checks if res.schema.primary_key else []):  # rules name rows by key
            try:
                build_rule(spec, res.name, res.schema, schemas)
            except RuleSpecError as exc:
                out.append(Finding("schema-error", f"x-checks[{i}]: {exc}", table=res.name, path=spath,
                                   field="x-checks", pointer=f"/x-checks/{i}"))
        for i, fld in enumerate(res.schema.fields):
            if fld.code_list is not None and fld.code_list not in CODE_LISTS:
                out.append(Finding("schema-error", f"field {fld.name!r}: unknown code list {fld.code_list!r}; "
                                   f"known: {', '.join(CODE_LISTS)}", table=res.name, path=spath, field=fld.name,
                                   pointer=f"/fields/{i}/x-codeList"))
        if pkg.descriptor.get(REQUIRE_PRIMARY_KEYS) is True and not res.schema.primary_key:
            out.append(Finding("schema-error", f"the table has no primaryKey ({REQUIRE_PRIMARY_KEYS} is set)",
                               table=res.name, path=spath, field="primaryKey", pointer="/primaryKey"))
        if pkg.descriptor.get(REQUIRE_DESCRIPTIONS) is True:
            for i, fld in enumerate(res.schema.fields):
                if not fld.description.strip():
                    out.append(Finding("schema-error", f"field {fld.name!r} has no description ({REQUIRE_DESCRIPTIONS} is set)",
                                       table=res.name, path=spath, field=fld.name, pointer=f"/fields/{i}/description"))
    return out


def _frictionless_errors(kind: str, descriptor: dict) -> list[str]:
    """frictionless's metadata errors for a ``Package`` or ``Schema`` descriptor. They
    depend on its JSON text alone (and frictionless's version), so each text is validated
    once: per process, and across runs through :mod:`natodata.cache`."""
    return list(_frictionless_errors_of(kind, json.dumps(descriptor, sort_keys=True)))


@lru_cache(maxsize=256)
def _frictionless_errors_of(kind: str, text: str) -> tuple[str, ...]:
    from importlib.metadata import version

    namespace = f"frictionless-{version('frictionless')}-{kind}"
    return tuple(cached_strings(namespace, text, lambda: _validate(kind, text)))


def _validate(kind: str, text: str) -> list[str]:
    import frictionless

    try:
        report = getattr(frictionless, kind).validate_descriptor(json.loads(text))
    except (frictionless.FrictionlessException, *_FRICTIONLESS_FAILURES) as exc:
        return [f"frictionless could not read the descriptor: {exc}"]
    return [e.message for e in report.errors]
