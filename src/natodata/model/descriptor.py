"""Reading the package descriptor and its Table Schemas, safely.

Nothing here trusts a path in the descriptor: every resource and schema path must be
relative, stay inside the package directory and name an existing file. Problems with
individual resources become findings; only a descriptor that cannot be read at all
raises :class:`~natodata.errors.UnreadableInput`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnreadableInput
from ..findings import Finding
from .location import locate
from ..safeio import NotRegular, TooLarge, read_capped, reason
from .dialect import Dialect, read_dialect
from .problem import pointer
from .schemacheck import schema_problems
from .tableschema import TableSchema

#: The largest descriptor or Table Schema file read, in bytes.
MAX_JSON_BYTES = 10 * 1024 * 1024
#: How deep arrays and objects may nest in a descriptor or Table Schema (natodata's own
#: nest 6 deep; Python's parser and every recursive step after it would fail near 1,000).
MAX_JSON_DEPTH = 64
#: Package-level switch: files must be in natodata's canonical form (UTF-8 without BOM,
#: LF line endings; ``not-canonical`` warns about the rest). See docs/validate.md.
CANONICAL_FILES = "x-canonicalFiles"


@dataclass
class Resource:
    name: str
    path: str  # as written in the descriptor, relative to the package root
    file: Path | None  # resolved file, None when the path is unusable
    schema_path: str | None  # the schema's file; None for an inline schema (or none)
    schema: TableSchema | None  # None when the schema is missing or did not pass the gate
    descriptor: dict = field(default_factory=dict)  # the resource as the package describes it
    dialect: Dialect = field(default_factory=Dialect)  # its CSV dialect and encoding
    #: Every file of the resource, in order (one, or the parts of a multi-file ``path``).
    files: list[Path] = field(default_factory=list)
    #: A table (see :func:`is_tabular`); any other resource is a file, checked for its
    #: path, existence, ``bytes`` and ``hash`` only.
    tabular: bool = True

    @property
    def inline(self) -> bool:
        """The rows are in the descriptor (``data``), not in a file."""
        return self.descriptor.get("path") is None and "data" in self.descriptor


#: Formats read as tables. Any resource with a schema, a dialect, ``type: "table"`` or a
#: tabular profile is a table whatever its format.
TABLE_FORMATS = ("csv", "tsv")
#: Compressed files natodata reads (the last extension of their path, or ``compression``).
COMPRESSIONS = ("gz", "zip")


#: The ``$schema`` of a Table Schema v2, which a v2 package's schemas are read as.
TABLE_SCHEMA_V2 = "https://datapackage.org/profiles/2.0/tableschema.json"


def is_v2(desc: dict) -> bool:
    """Whether v2 features are allowed in a descriptor: its ``$schema`` is not a 1.x
    profile. (The spec: without ``$schema``, a descriptor is v1; a custom profile is of
    no known version, so v2's features are not refused under it.)"""
    ref = desc.get("$schema")
    return isinstance(ref, str) and "/1." not in ref and "/v1" not in ref


def resource_format(res: dict) -> str:
    """The resource's ``format``, or its path's extension below any compression."""
    fmt = res.get("format")
    if isinstance(fmt, str) and fmt:
        return fmt.lower()
    path = res.get("path")
    path = path[0] if isinstance(path, list) and path and isinstance(path[0], str) else path
    if not isinstance(path, str):
        return "json" if "data" in res and not isinstance(res.get("data"), list) else ""
    parts = path.rsplit("/", 1)[-1].lower().split(".")[1:]
    if parts and parts[-1] in COMPRESSIONS:
        parts = parts[:-1]
    return parts[-1] if parts else ""


def is_tabular(res: dict) -> bool:
    """Whether a resource is a table: it has a schema or a dialect, says ``type: "table"``
    or a tabular profile, holds inline rows, or is CSV or TSV."""
    if "schema" in res or "dialect" in res or res.get("type") == "table":
        return True
    profile = res.get("profile")
    if isinstance(profile, str) and "tabular" in profile:
        return True
    if res.get("path") is None and isinstance(res.get("data"), list):
        return True
    return resource_format(res) in TABLE_FORMATS


@dataclass
class Package:
    root: Path
    descriptor_path: Path
    descriptor: dict
    resources: list[Resource] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def resource(self, name: str) -> Resource | None:
        return next((r for r in self.resources if r.name == name), None)


class _NotJson(ValueError):
    pass


def _not_json(name: str):
    # Python's json reads NaN, Infinity and -Infinity; JSON (RFC 8259) has no such literals.
    raise _NotJson(name)


def read_json(path: Path, what: str) -> dict:
    """Read a JSON object, or raise UnreadableInput with a precise message.

    The file must be a regular file (not a device, a FIFO or a socket) of at most
    :data:`MAX_JSON_BYTES`, asked of the open file and enforced on the read itself
    (:func:`natodata.safeio.read_capped`), and its values nested at most
    :data:`MAX_JSON_DEPTH` deep."""
    try:
        raw = read_capped(path, MAX_JSON_BYTES)
    except FileNotFoundError:
        raise UnreadableInput(f"{what} not found: {path}") from None
    except NotRegular as exc:
        raise UnreadableInput(f"{what} {path} {exc}; natodata reads only regular files") from None
    except TooLarge as exc:
        raise UnreadableInput(f"{what} {path} {exc}") from None
    except OSError as exc:
        raise UnreadableInput(f"cannot read {what} {path}: {reason(exc)}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableInput(f"{what} {path} is not UTF-8 (byte {exc.start})") from None
    return parse_json(text, f"{what} {path}")


def descriptor_bytes(descriptor: dict) -> bytes:
    """A descriptor or Table Schema as natodata writes it: JSON indented by two spaces, in
    its key order, non-ASCII characters as themselves, a final newline, UTF-8."""
    return (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def parse_json(text: str, what: str) -> dict:
    """``text`` as a JSON object, or UnreadableInput naming ``what``."""
    try:
        data = json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as exc:
        raise UnreadableInput(f"{what} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except _NotJson as exc:
        raise UnreadableInput(f"{what} is not valid JSON: {exc} is not a JSON value (RFC 8259)") from None
    except RecursionError:
        raise UnreadableInput(f"{what} nests arrays or objects more than {MAX_JSON_DEPTH} deep") from None
    except ValueError as exc:  # an integer of more digits than Python converts (4,300 by default)
        raise UnreadableInput(f"{what} is not readable JSON: {str(exc).split(';')[0]}") from None
    if json_depth(data) > MAX_JSON_DEPTH:
        raise UnreadableInput(f"{what} nests arrays or objects more than {MAX_JSON_DEPTH} deep")
    if not isinstance(data, dict):
        raise UnreadableInput(f"{what} must hold a JSON object, not {type(data).__name__}")
    return data


def json_depth(value) -> int:
    """How deep arrays and objects nest in ``value`` (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        v, d = stack.pop()
        children = v.values() if isinstance(v, dict) else v if isinstance(v, list) else None
        if children is None:
            continue
        deepest = max(deepest, d)
        if d > MAX_JSON_DEPTH:
            return d
        stack.extend((c, d + 1) for c in children)
    return deepest


def resolve_inside(root: Path, relpath: object) -> tuple[Path | None, str | None]:
    """Resolve a descriptor path, returning ``(file, None)`` or ``(None, reason)``."""
    if not isinstance(relpath, str) or not relpath:
        return None, "is not a non-empty string"
    if "://" in relpath:
        return None, "is a URL; natodata validates offline and reads local files only, so it is not fetched"
    if "\0" in relpath:
        return None, "contains a NUL character, which no file name can"
    p = Path(relpath)
    if p.is_absolute():
        return None, "is absolute; paths must be relative to the package directory"
    try:
        resolved = (root / p).resolve()
        inside = resolved.is_relative_to(root.resolve())
        is_file = resolved.is_file()
    except (RuntimeError, OSError) as exc:  # a symlink loop, a directory we may not enter
        return None, f"cannot be resolved ({getattr(exc, 'strerror', None) or exc})"
    if not inside:
        return None, "escapes the package directory"
    if not is_file:
        return None, "does not name an existing file"
    return resolved, None


def load_package(path: Path | str | None = None, schemas: bool = True) -> Package:
    """The descriptor at ``path`` and its resources, with the findings of reading them.
    With ``schemas`` false, the resources' schemas are neither read nor checked (a
    caller that only needs paths and declared hashes, such as the release checks)."""
    descriptor_path = locate(path)
    descriptor = read_json(descriptor_path, "data package descriptor")
    root = descriptor_path.parent
    pkg = Package(root=root, descriptor_path=descriptor_path, descriptor=descriptor)
    where = descriptor_path.name
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        pkg.findings.append(
            Finding("descriptor-error", "the descriptor lists no resources", path=where, pointer="/resources")
        )
        return pkg
    seen: set[str] = set()
    for i, res in enumerate(resources):
        at = pointer("resources", i)
        if not isinstance(res, dict) or not isinstance(res.get("name"), str) or not res["name"]:
            pkg.findings.append(
                Finding("descriptor-error", f"resources[{i}] is not an object with a name", path=where, pointer=at)
            )
            continue
        name = res["name"]
        if name in seen:
            pkg.findings.append(
                Finding(
                    "descriptor-error",
                    f"resource name {name!r} appears more than once",
                    table=name,
                    path=where,
                    pointer=at + "/name",
                )
            )
            continue
        seen.add(name)
        files = _resource_files(pkg, res, name, at)
        file = files[0] if files else None
        tabular = is_tabular(res)
        if schemas and tabular:
            schema_ref, schema = _resource_schema(pkg, res, name, at)
        else:
            schema_ref, schema = (res["schema"] if isinstance(res.get("schema"), str) else None), None
        dialect, problems = read_dialect(res, at) if tabular else (Dialect(), [])
        for p in problems:
            pkg.findings.append(
                Finding(
                    "unsupported-feature" if p.unsupported else "descriptor-error",
                    p.message,
                    table=name,
                    path=where,
                    pointer=p.pointer,
                )
            )
        if problems:
            file, files = None, []  # a file we cannot read as declared is not read at all
        path = res.get("path")
        shown = where if path is None else ", ".join(map(str, path)) if isinstance(path, list) else str(path)
        pkg.resources.append(
            Resource(
                name=name,
                path=shown,
                file=file,
                schema_path=schema_ref,
                schema=schema,
                descriptor=res,
                dialect=dialect,
                files=files,
                tabular=tabular,
            )
        )
    return pkg


def _resource_files(pkg: Package, res: dict, name: str, at: str) -> list[Path]:
    """The resource's files, resolved inside the package; [] for inline data or when a
    path is unusable (a finding says why)."""
    where = pkg.descriptor_path.name
    rpath = res.get("path")
    if rpath is None and "data" in res:
        return []  # inline data: read from the descriptor (natodata.tables.source)
    parts = rpath if isinstance(rpath, list) and rpath else [rpath]
    files = []
    for i, part in enumerate(parts):
        ptr = at + "/path" + (f"/{i}" if isinstance(rpath, list) else "")
        file, why = resolve_inside(pkg.root, part)
        if why:
            pkg.findings.append(
                Finding(
                    "resource-path-error",
                    f"resource {name!r}: path {part!r} {why}",
                    table=name,
                    path=where,
                    field="path",
                    value=str(part),
                    pointer=ptr,
                )
            )
        files.append(file)
    return files if all(f is not None for f in files) else []


def _resource_schema(pkg: Package, res: dict, name: str, at: str) -> tuple[str | None, TableSchema | None]:
    """The resource's schema, given inline or as a relative path, if it passes the gate
    (:mod:`natodata.model.schemacheck`); otherwise findings and no schema."""
    where = pkg.descriptor_path.name
    ref = res.get("schema")
    if isinstance(ref, dict):  # inline: findings point into the package descriptor
        schema_path, base, desc = where, at + "/schema", ref
    elif isinstance(ref, str):
        sfile, why = resolve_inside(pkg.root, ref)
        if why:
            pkg.findings.append(
                Finding(
                    "schema-path-error",
                    f"resource {name!r}: schema path {ref!r} {why}",
                    table=name,
                    path=where,
                    field="schema",
                    value=ref,
                    pointer=at + "/schema",
                )
            )
            return ref, None
        try:
            desc = read_json(sfile, "table schema")
        except UnreadableInput as exc:
            pkg.findings.append(Finding("schema-error", str(exc), table=name, path=ref))
            return ref, None
        schema_path, base = ref, ""
    elif ref is None:  # a table without a schema: its structure is checked, not its types
        return None, None
    else:
        pkg.findings.append(
            Finding(
                "schema-path-error",
                f"resource {name!r} has a schema that is {type(ref).__name__}, not an object or a path",
                table=name,
                path=where,
                field="schema",
                pointer=at + "/schema",
            )
        )
        return None, None
    problems = schema_problems(desc)
    for p in problems:
        pkg.findings.append(
            Finding(
                "unsupported-feature" if p.unsupported else "schema-error",
                p.message,
                table=name,
                path=schema_path,
                pointer=base + p.pointer,
            )
        )
    return (None if isinstance(ref, dict) else schema_path), (None if problems else TableSchema(desc))
