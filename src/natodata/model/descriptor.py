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
from ..layout import locate
from .tableschema import TableSchema, shape_problems

MAX_JSON_BYTES = 10 * 1024 * 1024


@dataclass
class Resource:
    name: str
    path: str  # as written in the descriptor, relative to the package root
    file: Path | None  # resolved file, None when the path is unusable
    schema_path: str | None
    schema: TableSchema | None


@dataclass
class Package:
    root: Path
    descriptor_path: Path
    descriptor: dict
    resources: list[Resource] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def resource(self, name: str) -> Resource | None:
        return next((r for r in self.resources if r.name == name), None)


def read_json(path: Path, what: str) -> dict:
    """Read a JSON object, or raise UnreadableInput with a precise message."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UnreadableInput(f"{what} not found: {path}") from None
    except OSError as exc:
        raise UnreadableInput(f"cannot read {what} {path}: {exc.strerror}") from None
    if path.is_dir():
        raise UnreadableInput(f"{what} is a directory, not a file: {path}")
    if size > MAX_JSON_BYTES:
        raise UnreadableInput(f"{what} {path} is {size} bytes; the limit is {MAX_JSON_BYTES}")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableInput(f"{what} {path} is not UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise UnreadableInput(f"cannot read {what} {path}: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableInput(f"{what} {path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(data, dict):
        raise UnreadableInput(f"{what} {path} must hold a JSON object, not {type(data).__name__}")
    return data


def resolve_inside(root: Path, relpath: object) -> tuple[Path | None, str | None]:
    """Resolve a descriptor path, returning ``(file, None)`` or ``(None, reason)``."""
    if not isinstance(relpath, str) or not relpath:
        return None, "is not a non-empty string"
    if "://" in relpath:
        return None, "is a URL; natodata reads local files only"
    p = Path(relpath)
    if p.is_absolute():
        return None, "is absolute; paths must be relative to the package directory"
    resolved = (root / p).resolve()
    if not resolved.is_relative_to(root.resolve()):
        return None, "escapes the package directory"
    if not resolved.is_file():
        return None, "does not name an existing file"
    return resolved, None


def load_package(path: Path | str | None = None) -> Package:
    descriptor_path = locate(path)
    descriptor = read_json(descriptor_path, "data package descriptor")
    root = descriptor_path.parent
    pkg = Package(root=root, descriptor_path=descriptor_path, descriptor=descriptor)
    where = descriptor_path.name
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        pkg.findings.append(Finding("descriptor-error", "the descriptor lists no resources", path=where, field="resources"))
        return pkg
    for i, res in enumerate(resources):
        if not isinstance(res, dict) or not isinstance(res.get("name"), str):
            pkg.findings.append(Finding("descriptor-error", f"resources[{i}] is not an object with a name", path=where, field="resources"))
            continue
        name = res["name"]
        rpath = res.get("path")
        file, why = resolve_inside(root, rpath)
        if why:
            pkg.findings.append(Finding("resource-path-error", f"resource {name!r}: path {rpath!r} {why}", table=name, path=where, field="path", value=str(rpath)))
        schema_ref = res.get("schema")
        schema = None
        if not isinstance(schema_ref, str):
            pkg.findings.append(Finding("schema-path-error", f"resource {name!r}: schema must be a path to a file in schemas/", table=name, path=where, field="schema"))
            schema_ref = None
        else:
            sfile, why = resolve_inside(root, schema_ref)
            if why:
                pkg.findings.append(Finding("schema-path-error", f"resource {name!r}: schema path {schema_ref!r} {why}", table=name, path=where, field="schema", value=schema_ref))
            else:
                try:
                    data = read_json(sfile, "table schema")
                except UnreadableInput as exc:
                    pkg.findings.append(Finding("schema-error", str(exc), table=name, path=schema_ref))
                else:
                    problems = shape_problems(data)
                    pkg.findings += [Finding("schema-error", f"unusable schema, table skipped: {p}", table=name, path=schema_ref)
                                     for p in problems]
                    schema = None if problems else TableSchema(data)
        pkg.resources.append(Resource(name=name, path=str(rpath), file=file, schema_path=schema_ref, schema=schema))
    return pkg
