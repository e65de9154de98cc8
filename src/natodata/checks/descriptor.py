"""Descriptor checks: frictionless's metadata validation plus our own rules
(every field described, every table keyed, types natodata can check).

Offline, always: frictionless validates against the standard Data Package profiles it
ships, and would fetch any other profile a descriptor names (``profile`` in v1, a custom
``$schema`` in v2) or a dialect given by URL. natodata never lets it: such a reference is
an ``unsupported-feature`` finding (:func:`remote_references`), it is taken out of what
frictionless is given, and frictionless runs untrusted with an HTTP session that refuses
every request (:class:`_NoNetwork`), so nothing can reach the network by another path.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from ..cache import cached_strings
from ..findings import Finding
from ..model.descriptor import TABLE_SCHEMA_V2, Package, is_v2
from ..model.extensions import code_list_problem, package_problems
from .rules import RuleSpecError, build_rule

#: What frictionless raises, besides its own exception, on descriptors of unexpected shape.
_FRICTIONLESS_FAILURES = (TypeError, ValueError, KeyError, AttributeError, RecursionError, OSError)


#: Package-level switches for natodata's documentation policy (see docs/validate.md).
REQUIRE_PRIMARY_KEYS = "x-requirePrimaryKeys"
REQUIRE_DESCRIPTIONS = "x-requireDescriptions"


def descriptor_findings(pkg: Package) -> list[Finding]:
    """Metadata findings beyond the gate that reading already applied: frictionless's
    validation of the descriptor and each schema, ``x-checks`` parameters and code lists,
    and the policies a package opts into."""
    out: list[Finding] = []
    where = pkg.descriptor_path.name
    desc = dict(pkg.descriptor)
    if isinstance(desc.get("resources"), list):
        # Schemas are validated one by one below, so each error names its file.
        # (A placeholder keeps a tabular resource tabular for frictionless.)
        desc["resources"] = [{**r, "schema": {"fields": []}} if isinstance(r, dict) and "schema" in r else r
                             for r in desc["resources"]]
    for ptr, message in remote_references(desc):
        out.append(Finding("unsupported-feature", message, path=where, pointer=ptr))
    for e in _frictionless_errors("Package", _offline(desc)):
        out.append(Finding("descriptor-error", e, path=where))
    for p in package_problems(pkg.descriptor):  # natodata's x- properties of the package
        out.append(Finding("descriptor-error", p.message, path=where, pointer=p.pointer))
    schemas = {r.name: r.schema for r in pkg.resources if r.schema is not None}
    v2 = is_v2(pkg.descriptor)
    for res in pkg.resources:
        if res.schema is None:
            continue
        spath = res.schema_path or where
        base = "" if res.schema_path else f"/resources/{pkg.resources.index(res)}/schema"
        for ptr, message in remote_references(res.schema.descriptor, "schema"):
            out.append(Finding("unsupported-feature", message, table=res.name, path=spath, pointer=base + ptr))
        for e in _frictionless_errors("Schema", _offline(versioned(res.schema.descriptor, v2), "schema")):
            out.append(Finding("schema-error", e, table=res.name, path=spath))
        base = "" if res.schema_path else f"/resources/{pkg.resources.index(res)}/schema"
        out += _version_findings(res, spath, v2, base)
        out += reference_findings(pkg, res, spath, base)
        for i, spec in enumerate(res.schema.checks if res.schema.primary_key else []):  # rules name rows by key
            try:
                build_rule(spec, res.name, res.schema, schemas)
            except RuleSpecError as exc:
                out.append(Finding("schema-error", f"x-checks[{i}]: {exc}", table=res.name, path=spath,
                                   field="x-checks", pointer=f"{base}/x-checks/{i}{exc.pointer}"))
        for i, fld in enumerate(res.schema.fields):
            why = None if fld.code_list is None else code_list_problem(fld.code_list)
            if why:
                out.append(Finding("schema-error", f"field {fld.name!r}: {why}", table=res.name, path=spath,
                                   field=fld.name, pointer=f"{base}/fields/{i}/x-codeList"))
        if pkg.descriptor.get(REQUIRE_PRIMARY_KEYS) is True and not res.schema.primary_key:
            out.append(Finding("schema-error", f"the table has no primaryKey ({REQUIRE_PRIMARY_KEYS} is set)",
                               table=res.name, path=spath, field="primaryKey", pointer="/primaryKey"))
        if pkg.descriptor.get(REQUIRE_DESCRIPTIONS) is True:
            for i, fld in enumerate(res.schema.fields):
                if not fld.description.strip():
                    out.append(Finding("schema-error", f"field {fld.name!r} has no description ({REQUIRE_DESCRIPTIONS} is set)",
                                       table=res.name, path=spath, field=fld.name, pointer=f"/fields/{i}/description"))
    return out


#: The profiles each kind of descriptor may name by identifier (Data Package v1's registry).
REGISTRY = {"package": ("data-package", "tabular-data-package"), "resource": ("data-resource", "tabular-data-resource"),
            "schema": (), "dialect": ()}
#: Where the standard profiles live: frictionless ships them and never fetches these.
_STANDARD = {"package": "datapackage", "resource": "dataresource", "schema": "tableschema", "dialect": "tabledialect"}


def _standard(kind: str, url) -> bool:
    return isinstance(url, str) and re.fullmatch(rf"https://datapackage\.org/profiles/\d+\.\d+/{_STANDARD[kind]}\.json",
                                                 url) is not None


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
            out.append((at + "/profile", f"profile {d['profile']!r} is not a standard profile "
                        f"({', '.join(REGISTRY[k]) or 'none for this kind'}); natodata never fetches a profile and "
                        "checks the descriptor against the standard Data Package profiles only"))
        if "$schema" in d and not _standard(k, d["$schema"]):
            out.append((at + "/$schema", f"$schema {d['$schema']!r} is not a standard Data Package profile; natodata "
                        "never fetches a profile and checks the descriptor against the standard ones only"))
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
            out.append(Finding("schema-error", f"foreign key ({', '.join(fk['fields'])}) refers to resource {target!r}, "
                               f"which the package does not have{did_you_mean(target, names)}", table=res.name,
                               path=spath, field=",".join(fk["fields"]), pointer=ptr + "/resource"))
            continue
        parent = pkg.resource(target)
        if parent.schema is None:
            continue  # its schema is missing or refused: a finding says so
        have = parent.schema.field_names
        for f in fk["reference_fields"]:
            if f not in have:
                out.append(Finding("schema-error", f"foreign key ({', '.join(fk['fields'])}) refers to field {f!r} of "
                                   f"resource {target!r}, which has no such field{did_you_mean(f, have)}",
                                   table=res.name, path=spath, field=",".join(fk["fields"]), pointer=ptr + "/fields"))
    return out


def versioned(schema: dict, v2: bool) -> dict:
    """A schema as its package's version reads it: a v2 package's schemas are Table Schema
    v2 unless they say otherwise, wherever they are (inline or in their own file)."""
    if v2 and "$schema" not in schema:
        schema = {"$schema": TABLE_SCHEMA_V2, **schema}
    fields = schema.get("fields")
    if isinstance(fields, list) and any(isinstance(f, dict) and isinstance(f.get("constraints"), dict)
                                        and "jsonSchema" in f["constraints"] for f in fields):
        # frictionless 5 does not know v2's jsonSchema constraint; natodata's gate checks it.
        schema = {**schema, "fields": [{**f, "constraints": {k: v for k, v in f["constraints"].items() if k != "jsonSchema"}}
                                       if isinstance(f, dict) and isinstance(f.get("constraints"), dict) else f
                                       for f in fields]}
    return schema


def _version_findings(res, spath: str, v2: bool, base: str = "") -> list[Finding]:
    """v2 features in a v1 package: object-form ``missingValues`` (the package's version
    decides, whatever the schema's own ``$schema`` claims)."""
    if v2:
        return []
    out = []
    desc = res.schema.descriptor
    places = [("/missingValues", desc.get("missingValues"))]
    places += [(f"/fields/{i}/missingValues", f.get("missingValues")) for i, f in enumerate(desc.get("fields", []))
               if isinstance(f, dict)]
    for ptr, mv in places:
        if isinstance(mv, list) and any(isinstance(v, dict) for v in mv):
            out.append(Finding("schema-error", "missingValues in object form are Table Schema v2, but the package "
                               "is v1 (its descriptor has no v2 $schema)", table=res.name, path=spath, pointer=base + ptr))
    return out


def _frictionless_errors(kind: str, descriptor: dict) -> list[str]:
    """frictionless's metadata errors for a ``Package`` or ``Schema`` descriptor. They
    depend on its JSON text alone (and frictionless's version), so each text is validated
    once: per process, and across runs through :mod:`natodata.cache`."""
    return list(_frictionless_errors_of(kind, json.dumps(descriptor, sort_keys=True)))


@lru_cache(maxsize=256)
def _frictionless_errors_of(kind: str, text: str) -> tuple[str, ...]:
    from importlib.metadata import version

    # "offline": verdicts of frictionless run without network and untrusted (issue 20).
    namespace = f"frictionless-{version('frictionless')}-offline-{kind}"
    return tuple(cached_strings(namespace, text, lambda: _validate(kind, text)))


class _NoNetwork:
    """An HTTP session for frictionless that refuses every request."""

    def request(self, method, url, *args, **kwargs):
        raise ConnectionRefusedError(f"natodata makes no network request (frictionless asked for {url})")

    def get(self, url, *args, **kwargs):
        return self.request("GET", url)

    def head(self, url, *args, **kwargs):
        return self.request("HEAD", url)


def _validate(kind: str, text: str) -> list[str]:
    import frictionless

    try:
        with frictionless.system.use_context(trusted=False, http_session=_NoNetwork()):
            report = getattr(frictionless, kind).validate_descriptor(json.loads(text))
    except (frictionless.FrictionlessException, *_FRICTIONLESS_FAILURES) as exc:
        return [f"frictionless could not read the descriptor: {exc}"]
    return [e.message for e in report.errors]
