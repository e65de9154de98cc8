"""Descriptor checks: the standard Data Package profiles (:mod:`.profile`) plus our own
rules (every field described, every table keyed, types natodata can check).

Offline, always: the descriptor is checked against the profiles natodata ships, and a
descriptor naming any other profile (``profile`` in v1, a custom ``$schema`` in v2) or a
dialect given by path or URL gets an ``unsupported-feature`` finding
(:func:`remote_references`); that reference is taken out of what is checked, and nothing
is ever fetched.
"""

from __future__ import annotations

import re

from ..findings import Finding
from ..model.descriptor import Package, is_v2
from ..model.extensions import code_list_problem, package_problems
from .profile import package_faults, schema_faults
from .rules import RuleSpecError, build_rule


#: Package-level switches for natodata's documentation policy (see docs/validate.md).
REQUIRE_PRIMARY_KEYS = "x-requirePrimaryKeys"
REQUIRE_DESCRIPTIONS = "x-requireDescriptions"


def descriptor_findings(pkg: Package) -> list[Finding]:
    """Metadata findings beyond the gate that reading already applied: the descriptor and
    each schema against the standard profiles, ``x-checks`` parameters and code lists, and
    the policies a package opts into."""
    out: list[Finding] = []
    where = pkg.descriptor_path.name
    desc = dict(pkg.descriptor)
    v2 = is_v2(pkg.descriptor)
    if isinstance(desc.get("resources"), list):
        # Schemas are checked one by one below, so each fault names its file.
        desc["resources"] = [
            {k: v for k, v in r.items() if k != "schema"} if isinstance(r, dict) else r for r in desc["resources"]
        ]
    for ptr, message in remote_references(desc):
        out.append(Finding("unsupported-feature", message, path=where, pointer=ptr))
    tabular = {i for i, r in enumerate(pkg.descriptor.get("resources") or []) if isinstance(r, dict) and "schema" in r}
    for ptr, message in package_faults(_offline(desc), v2) + _schema_required(desc, tabular):
        out.append(Finding("descriptor-error", message, path=where, pointer=ptr))
    for p in package_problems(pkg.descriptor):  # natodata's x- properties of the package
        out.append(Finding("descriptor-error", p.message, path=where, pointer=p.pointer))
    schemas = {r.name: r.schema for r in pkg.resources if r.schema is not None}
    for res in pkg.resources:
        if res.schema is None:
            continue
        spath = res.schema_path or where
        base = "" if res.schema_path else f"/resources/{pkg.resources.index(res)}/schema"
        for ptr, message in remote_references(res.schema.descriptor, "schema"):
            out.append(Finding("unsupported-feature", message, table=res.name, path=spath, pointer=base + ptr))
        for ptr, message in schema_faults(_offline(res.schema.descriptor, "schema")):
            out.append(Finding("schema-error", message, table=res.name, path=spath, pointer=base + ptr))
        out += _version_findings(res, spath, v2, base)
        out += reference_findings(pkg, res, spath, base)
        for i, spec in enumerate(res.schema.checks if res.schema.primary_key else []):  # rules name rows by key
            try:
                build_rule(spec, res.name, res.schema, schemas)
            except RuleSpecError as exc:
                out.append(
                    Finding(
                        "schema-error",
                        f"x-checks[{i}]: {exc}",
                        table=res.name,
                        path=spath,
                        field="x-checks",
                        pointer=f"{base}/x-checks/{i}{exc.pointer}",
                    )
                )
        for i, fld in enumerate(res.schema.fields):
            why = None if fld.code_list is None else code_list_problem(fld.code_list)
            if why:
                out.append(
                    Finding(
                        "schema-error",
                        f"field {fld.name!r}: {why}",
                        table=res.name,
                        path=spath,
                        field=fld.name,
                        pointer=f"{base}/fields/{i}/x-codeList",
                    )
                )
        if pkg.descriptor.get(REQUIRE_PRIMARY_KEYS) is True and not res.schema.primary_key:
            out.append(
                Finding(
                    "schema-error",
                    f"the table has no primaryKey ({REQUIRE_PRIMARY_KEYS} is set)",
                    table=res.name,
                    path=spath,
                    field="primaryKey",
                    pointer="/primaryKey",
                )
            )
        if pkg.descriptor.get(REQUIRE_DESCRIPTIONS) is True:
            for i, fld in enumerate(res.schema.fields):
                if not fld.description.strip():
                    out.append(
                        Finding(
                            "schema-error",
                            f"field {fld.name!r} has no description ({REQUIRE_DESCRIPTIONS} is set)",
                            table=res.name,
                            path=spath,
                            field=fld.name,
                            pointer=f"/fields/{i}/description",
                        )
                    )
    return out


#: The profiles each kind of descriptor may name by identifier (Data Package v1's registry).
REGISTRY = {
    "package": ("data-package", "tabular-data-package"),
    "resource": ("data-resource", "tabular-data-resource"),
    "schema": (),
    "dialect": (),
}
#: Where the standard profiles live: frictionless ships them and never fetches these.
_STANDARD = {"package": "datapackage", "resource": "dataresource", "schema": "tableschema", "dialect": "tabledialect"}


def _standard(kind: str, url) -> bool:
    return (
        isinstance(url, str)
        and re.fullmatch(rf"https://datapackage\.org/profiles/\d+\.\d+/{_STANDARD[kind]}\.json", url) is not None
    )


def remote_references(desc: dict, kind: str = "package") -> list[tuple[str, str]]:
    """``(JSON pointer, message)`` for each profile or dialect of ``desc`` (a package
    descriptor, with its resources, or a Table Schema) that only the network could
    give: a ``profile`` that is not one of the standard identifiers, a ``$schema`` that is
    not a standard profile, a dialect given by path or URL."""
    out = []

    def screen(d, k: str, at: str) -> None:
        if not isinstance(d, dict):
            return
        if "profile" in d and d["profile"] not in REGISTRY[k]:
            out.append(
                (
                    at + "/profile",
                    f"profile {d['profile']!r} is not a standard profile "
                    f"({', '.join(REGISTRY[k]) or 'none for this kind'}); natodata never fetches a profile and "
                    "checks the descriptor against the standard Data Package profiles only",
                )
            )
        if "$schema" in d and not _standard(k, d["$schema"]):
            out.append(
                (
                    at + "/$schema",
                    f"$schema {d['$schema']!r} is not a standard Data Package profile; natodata "
                    "never fetches a profile and checks the descriptor against the standard ones only",
                )
            )
        if k == "resource":  # its schema is screened on its own, as frictionless validates it
            screen(d.get("dialect"), "dialect", at + "/dialect")

    screen(desc, kind, "")
    if kind == "package" and isinstance(desc.get("resources"), list):
        for i, r in enumerate(desc["resources"]):
            screen(r, "resource", f"/resources/{i}")
    return out


def _offline(desc: dict, kind: str = "package") -> dict:
    """``desc`` without what :func:`remote_references` reports, for frictionless."""

    def clean(d: dict, k: str) -> dict:
        d = dict(d)
        if "profile" in d and d["profile"] not in REGISTRY[k]:
            del d["profile"]
        if "$schema" in d and not _standard(k, d["$schema"]):
            del d["$schema"]
        if k == "resource" and "dialect" in d:
            d["dialect"] = clean(d["dialect"], "dialect") if isinstance(d["dialect"], dict) else {}
        return d

    out = clean(desc, kind)
    if kind == "package" and isinstance(out.get("resources"), list):
        out["resources"] = [clean(r, "resource") if isinstance(r, dict) else r for r in out["resources"]]
    return out


def reference_findings(pkg: Package, res, spath: str, base: str = "") -> list[Finding]:
    """Foreign keys naming a resource the package lacks, or fields its schema lacks."""
    from .hints import did_you_mean

    out = []
    names = [r.name for r in pkg.resources]
    for i, fk in enumerate(res.schema.foreign_keys):
        target = fk["resource"] or res.name
        ptr = f"{base}/foreignKeys/{i}/reference"
        if target not in names:
            out.append(
                Finding(
                    "schema-error",
                    f"foreign key ({', '.join(fk['fields'])}) refers to resource {target!r}, "
                    f"which the package does not have{did_you_mean(target, names)}",
                    table=res.name,
                    path=spath,
                    field=",".join(fk["fields"]),
                    pointer=ptr + "/resource",
                )
            )
            continue
        parent = pkg.resource(target)
        if parent.schema is None:
            continue  # its schema is missing or refused: a finding says so
        have = parent.schema.field_names
        for f in fk["reference_fields"]:
            if f not in have:
                out.append(
                    Finding(
                        "schema-error",
                        f"foreign key ({', '.join(fk['fields'])}) refers to field {f!r} of "
                        f"resource {target!r}, which has no such field{did_you_mean(f, have)}",
                        table=res.name,
                        path=spath,
                        field=",".join(fk["fields"]),
                        pointer=ptr + "/fields",
                    )
                )
    return out


def _schema_required(desc: dict, with_schema: set[int]) -> list[tuple[str, str]]:
    """v1's tabular profiles: a ``tabular-data-resource`` has a schema (``with_schema``: the
    indexes of the resources that have one), a ``tabular-data-package`` only such resources."""
    out = []
    resources = desc.get("resources") if isinstance(desc.get("resources"), list) else []
    for i, r in enumerate(resources):
        if isinstance(r, dict) and r.get("profile") == "tabular-data-resource" and i not in with_schema:
            out.append(
                (
                    f"/resources/{i}",
                    'The data resource has an error: profile "tabular-data-resource" requires "schema" to be present',
                )
            )
    if desc.get("profile") == "tabular-data-package" and any(
        isinstance(r, dict) and r.get("profile") != "tabular-data-resource" for r in resources
    ):
        out.append(
            (
                "/profile",
                'The data package has an error: profile "tabular-data-package" requires all the '
                'resources to be "tabular-data-resource"',
            )
        )
    return out


def _version_findings(res, spath: str, v2: bool, base: str = "") -> list[Finding]:
    """v2 features in a v1 package: object-form ``missingValues`` and the exclusive bounds
    (the package's version decides, whatever the schema's own ``$schema`` claims)."""
    if v2:
        return []
    out = []
    desc = res.schema.descriptor
    places = [("/missingValues", desc.get("missingValues"))]
    places += [
        (f"/fields/{i}/missingValues", f.get("missingValues"))
        for i, f in enumerate(desc.get("fields", []))
        if isinstance(f, dict)
    ]
    for ptr, mv in places:
        if isinstance(mv, list) and any(isinstance(v, dict) for v in mv):
            out.append(
                Finding(
                    "schema-error",
                    "missingValues in object form are Table Schema v2, but the package "
                    "is v1 (its descriptor has no v2 $schema)",
                    table=res.name,
                    path=spath,
                    pointer=base + ptr,
                )
            )
    for i, f in enumerate(desc.get("fields", [])):
        cons = f.get("constraints") if isinstance(f, dict) else None
        for key in ("exclusiveMinimum", "exclusiveMaximum"):
            if isinstance(cons, dict) and key in cons:
                out.append(
                    Finding(
                        "schema-error",
                        f"constraint {key} is Table Schema v2, but the package is v1 (its "
                        "descriptor has no v2 $schema)",
                        table=res.name,
                        path=spath,
                        field=f.get("name") if isinstance(f.get("name"), str) else None,
                        pointer=f"{base}/fields/{i}/constraints/{key}",
                    )
                )
    return out
