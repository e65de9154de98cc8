"""Comparing two packages: what changed in the descriptor, in each Table Schema and in
each table's rows (matched by primary key), as data.

Each change is a :class:`Change` whose ``kind`` is a key of
:data:`natodata.release.versioning.BUMP_FOR_CHANGE`, which says the bump it requires; row changes are
listed row by row as well. :mod:`natodata.release.diff_report` renders a :class:`PackageDiff`
as text or JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DiffError
from ..layout import DESCRIPTOR, release_dir
from ..model.tableschema import Field, TableSchema
from ..tables.read import Loaded, LoadedTable, read_tables
from .versioning import Bump, is_version, required_bump

#: Descriptor properties that differ between every release and are not changes.
RELEASE_STAMPS = {"version", "created"}
#: Resource properties that describe the file's bytes, not its content.
RESOURCE_STAMPS = {"bytes", "hash"}
RESOURCE_FORMAT = ("type", "scheme", "format", "mediatype", "encoding", "dialect")
#: Field properties that change how a cell's text is read: changing one retypes the field.
PARSING = ("format", "trueValues", "falseValues", "decimalChar", "groupChar", "bareNumber", "missingValues")
LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength")
FLAGS = ("required", "unique")
#: x- properties that exempt a field from a check: adding one relaxes the schema.
EXEMPTIONS = ("x-preserveWhitespace",)

Key = tuple[str, ...]


@dataclass(frozen=True)
class Change:
    """One change to the package, a resource or a schema, or one kind of row change."""

    kind: str  # a key of versioning.BUMP_FOR_CHANGE
    message: str
    field: str | None = None
    old: Any = None
    new: Any = None

    @property
    def bump(self) -> Bump:
        return required_bump(self.kind)


@dataclass(frozen=True)
class CellChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    key: Key
    cells: tuple[CellChange, ...]


@dataclass(frozen=True)
class Rekey:
    """A row whose primary key changed and nothing else."""

    old: Key
    new: Key


@dataclass
class TableDiff:
    name: str
    status: str  # "added", "removed", "changed" or "unchanged"
    key: list[str] = field(default_factory=list)  # the fields rows are matched by; [] if not compared
    schema: list[Change] = field(default_factory=list)  # resource and Table Schema changes
    added: list[Key] = field(default_factory=list)
    removed: list[Key] = field(default_factory=list)
    rekeyed: list[Rekey] = field(default_factory=list)
    updated: list[RowChange] = field(default_factory=list)  # rows whose values changed
    rows_old: int = 0
    rows_new: int = 0
    note: str | None = None  # why rows were not compared, when they were not

    @property
    def changes(self) -> list[Change]:
        """The schema changes plus one summary change per kind of row change."""
        out = list(self.schema)
        for kind, items, verb in (("rows-added", self.added, "added"), ("rows-removed", self.removed, "removed"),
                                  ("rows-rekeyed", self.rekeyed, "re-keyed"), ("values-changed", self.updated, "changed")):
            if items:
                out.append(Change(kind, f"{_rows(len(items))} {verb}"))
        return out

    @property
    def bump(self) -> Bump:
        return max((c.bump for c in self.changes), default=Bump.NONE)


@dataclass
class PackageDiff:
    old: str
    new: str
    package: list[Change] = field(default_factory=list)
    tables: list[TableDiff] = field(default_factory=list)

    @property
    def bump(self) -> Bump:
        return max([c.bump for c in self.package] + [t.bump for t in self.tables], default=Bump.NONE)

    @property
    def has_changes(self) -> bool:
        return self.bump is not Bump.NONE

    def reasons(self, at_least: Bump) -> list[str]:
        """One line per change requiring ``at_least`` the given bump."""
        out = [f"{c.kind}: {c.message}" for c in self.package if c.bump >= at_least]
        for t in self.tables:
            out += [f"{t.name}: {c.kind}: {c.message}" for c in t.changes if c.bump >= at_least]
        return out


def _rows(n: int) -> str:
    return f"{n} row{'s' * (n != 1)}"


def _show(value: Any) -> str:
    return "none" if value is None else json.dumps(value, ensure_ascii=False)


# --- resolving the two sides -------------------------------------------------------

def resolve_side(arg: str, root: Path | str | None = None) -> Path:
    """A release version (``releases/X.Y.Z`` under ``root``) or a package path."""
    base = Path(root) if root is not None else Path.cwd()
    if base.is_file():
        base = base.parent
    if is_version(arg):
        release = release_dir(base, arg)
        if (release / DESCRIPTOR).is_file():
            return release
        if not Path(arg).exists():
            raise DiffError(f"no release {arg} in {release.parent}")
    return Path(arg)


# --- the comparison ----------------------------------------------------------------

def diff_packages(old: Path | str | Loaded, new: Path | str | Loaded, old_label: str | None = None,
                  new_label: str | None = None) -> PackageDiff:
    """Compare two packages, each a path or a package already read. Raises DiffError if
    a table of either cannot be read."""
    a, b = (side if isinstance(side, Loaded) else read_tables(side) for side in (old, new))
    for loaded in (a, b):
        _check_readable(loaded)
    out = PackageDiff(old=old_label or str(old), new=new_label or str(new))
    out.package = _package_changes(a.package.descriptor, b.package.descriptor)
    old_res = {r["name"]: r for r in a.package.descriptor["resources"]}
    new_res = {r["name"]: r for r in b.package.descriptor["resources"]}
    for name in list(new_res) + [n for n in old_res if n not in new_res]:
        if name not in old_res:
            n = len(b.tables[name].raw)
            out.tables.append(TableDiff(name, "added", rows_new=n,
                                        schema=[Change("resource-added", f"table {name!r} added with {_rows(n)}")]))
        elif name not in new_res:
            n = len(a.tables[name].raw)
            out.tables.append(TableDiff(name, "removed", rows_old=n,
                                        schema=[Change("resource-removed", f"table {name!r} removed with {_rows(n)}")]))
        else:
            t = _table_diff(name, a.tables[name], b.tables[name])
            t.schema = _resource_changes(old_res[name], new_res[name]) + t.schema
            t.status = "changed" if t.changes else "unchanged"
            out.tables.append(t)
    return out


def _check_readable(loaded: Loaded) -> None:
    where = loaded.package.root
    if loaded.package.findings:
        f = loaded.package.findings[0]
        at = f"{f.path}#{f.pointer}" if f.pointer else f.path
        raise DiffError(f"cannot compare {where}: {at}: {f.message}; run natodata validate")
    for res in loaded.package.resources:
        t = loaded.tables.get(res.name)
        if t is None or t.structural or not t.complete or res.schema is None:
            raise DiffError(f"cannot compare {where}: table {res.name!r} ({res.path}) cannot be read cleanly; run natodata validate")


def _differing(old: dict, new: dict, skip) -> list[str]:
    keys = list(old) + [k for k in new if k not in old]
    return [k for k in keys if k not in skip and old.get(k) != new.get(k)]


def _metadata_message(what: str, old: Any, new: Any) -> str:
    if isinstance(old, str) and isinstance(new, str):
        return f"{what} changed: {_show(old)} → {_show(new)}"
    if old is None:
        return f"{what} added"
    if new is None:
        return f"{what} removed"
    return f"{what} changed"


def _package_changes(old: dict, new: dict) -> list[Change]:
    out = []
    for k in _differing(old, new, RELEASE_STAMPS | {"resources"}):
        kind = {"name": "package-renamed", "licenses": "license-changed"}.get(k, "metadata-changed")
        out.append(Change(kind, _metadata_message(f"package {k!r}", old.get(k), new.get(k)), field=k,
                          old=old.get(k), new=new.get(k)))
    return out


def _resource_changes(old: dict, new: dict) -> list[Change]:
    out = []
    for k in _differing(old, new, RESOURCE_STAMPS | {"name", "schema"}):
        kind = "resource-moved" if k == "path" else "resource-format-changed" if k in RESOURCE_FORMAT else "resource-metadata-changed"
        out.append(Change(kind, _metadata_message(f"resource {k!r}", old.get(k), new.get(k)), field=k,
                          old=old.get(k), new=new.get(k)))
    return out


# --- schemas -----------------------------------------------------------------------

def schema_changes(old: TableSchema, new: TableSchema) -> list[Change]:
    """Every change from one Table Schema to another, each with its kind."""
    out: list[Change] = []
    old_names, new_names = old.field_names, new.field_names
    removed = [n for n in old_names if n not in new_names]
    added = [n for n in new_names if n not in old_names]
    # A field removed where a field of the same type was added, at the same position, was renamed.
    for name in list(removed):
        i = old_names.index(name)
        if i < len(new_names) and new_names[i] in added and old.field(name).type == new.field(new_names[i]).type:
            out.append(Change("field-renamed", f"field {name!r} renamed to {new_names[i]!r}", field=name,
                              old=name, new=new_names[i]))
            removed.remove(name)
            added.remove(new_names[i])
    for name in removed:
        out.append(Change("field-removed", f"field {name!r} removed", field=name, old=old.field(name).descriptor))
    for name in added:
        fld = new.field(name)
        kind, what = ("required-field-added", "required") if fld.required else ("field-added", "optional")
        out.append(Change(kind, f"field {name!r} added ({fld.type}, {what})", field=name, new=fld.descriptor))
    common_old = [n for n in old_names if n in new_names]
    common_new = [n for n in new_names if n in old_names]
    if common_old != common_new:
        out.append(Change("fields-reordered", f"fields reordered: {', '.join(common_old)} → {', '.join(common_new)}",
                          old=common_old, new=common_new))
    for name in common_new:
        out += field_changes(old.field(name), new.field(name))
    out += _key_changes(old, new)
    if old.descriptor.get("missingValues", [""]) != new.descriptor.get("missingValues", [""]):
        out.append(Change("missing-values-changed",
                          f"missingValues changed: {_show(old.missing_values)} → {_show(new.missing_values)}",
                          old=old.missing_values, new=new.missing_values))
    skip = {"fields", "primaryKey", "uniqueKeys", "foreignKeys", "missingValues"}
    for k in _differing(old.descriptor, new.descriptor, skip):
        out.append(Change("schema-metadata-changed", _metadata_message(f"schema {k!r}", old.descriptor.get(k), new.descriptor.get(k)),
                          old=old.descriptor.get(k), new=new.descriptor.get(k)))
    return out


def field_changes(old: Field, new: Field) -> list[Change]:
    name = new.name
    out: list[Change] = []

    def change(kind: str, message: str, o: Any, n: Any) -> None:
        out.append(Change(kind, f"field {name!r}: {message}", field=name, old=o, new=n))

    if old.type != new.type:
        change("field-retyped", f"type {old.type} → {new.type}", old.type, new.type)
    for k in PARSING:
        o, n = old.descriptor.get(k), new.descriptor.get(k)
        if o != n:
            change("field-retyped", f"{k} {_show(o)} → {_show(n)}", o, n)
    out += _vocabulary_changes(old, new)
    oc, nc = old.constraints, new.constraints
    for k in _differing(oc, nc, {"enum"}):
        o, n = oc.get(k), nc.get(k)
        if k in FLAGS and bool(o) == bool(n):  # absent and false mean the same
            change("field-metadata-changed", f"constraint {k} {_show(o)} → {_show(n)} (no effect)", o, n)
            continue
        tighter = _tighter(k, o, n)
        change("constraint-tightened" if tighter else "constraint-relaxed", f"constraint {k} {_show(o)} → {_show(n)}", o, n)
    for key in EXEMPTIONS:
        # Each exempts the field from a check (surrounding whitespace, formula start):
        # adding it relaxes, removing it tightens.
        o, n = bool(old.descriptor.get(key)), bool(new.descriptor.get(key))
        if o != n:
            change("constraint-relaxed" if n else "constraint-tightened", f"{key} {_show(o)} → {_show(n)}", o, n)
    semantic = {"name", "type", "constraints", "categories", *EXEMPTIONS, *PARSING}
    meta = _differing(old.descriptor, new.descriptor, semantic)
    if old.vocabulary is not None and new.vocabulary is not None and set(old.vocabulary) == set(new.vocabulary) \
            and old.descriptor.get("categories") != new.descriptor.get("categories"):
        meta.append("categories")  # same values; labels or order changed
    for k in meta:
        o, n = old.descriptor.get(k), new.descriptor.get(k)
        change("field-metadata-changed", _metadata_message(k, o, n), o, n)
    return out


def _vocabulary_changes(old: Field, new: Field) -> list[Change]:
    ov, nv = old.vocabulary, new.vocabulary
    name = new.name
    if ov == nv or (ov is not None and nv is not None and set(ov) == set(nv)):
        return []
    if ov is None:
        return [Change("constraint-tightened", f"field {name!r}: now limited to the values {_show(nv)}", field=name, new=nv)]
    if nv is None:
        return [Change("constraint-relaxed", f"field {name!r}: no longer limited to a vocabulary", field=name, old=ov)]
    out = []
    gone = [v for v in ov if v not in nv]
    new_values = [v for v in nv if v not in ov]
    if gone:
        out.append(Change("constraint-tightened", f"field {name!r}: values removed from the vocabulary: {_show(gone)}",
                          field=name, old=gone))
    if new_values:
        out.append(Change("constraint-relaxed", f"field {name!r}: values added to the vocabulary: {_show(new_values)}",
                          field=name, new=new_values))
    return out


def _tighter(constraint: str, old: Any, new: Any) -> bool:
    """Whether changing a constraint from ``old`` to ``new`` (None: absent) can reject a
    value that was valid. When that cannot be decided (a changed pattern), it can."""
    if new is None:
        return False
    if old is None:
        return bool(new) if constraint in FLAGS else True
    if constraint in FLAGS:
        return bool(new) and not bool(old)
    if constraint in LOWER_BOUNDS or constraint in UPPER_BOUNDS:
        try:
            raised = new > old
        except TypeError:
            return True
        return raised if constraint in LOWER_BOUNDS else not raised and new != old
    return True


def _foreign_keys(schema: TableSchema) -> dict[Key, tuple[str, Key]]:
    return {tuple(fk["fields"]): (fk["resource"], tuple(fk["reference_fields"])) for fk in schema.foreign_keys}


def _key_changes(old: TableSchema, new: TableSchema) -> list[Change]:
    out = []
    if old.primary_key != new.primary_key:
        out.append(Change("primary-key-changed", f"primary key ({', '.join(old.primary_key)}) → ({', '.join(new.primary_key)})",
                          old=old.primary_key, new=new.primary_key))
    ou, nu = [tuple(k) for k in old.unique_keys], [tuple(k) for k in new.unique_keys]
    for k in nu:
        if k not in ou:
            out.append(Change("constraint-tightened", f"unique key ({', '.join(k)}) added", field=",".join(k), new=list(k)))
    for k in ou:
        if k not in nu:
            out.append(Change("constraint-relaxed", f"unique key ({', '.join(k)}) removed", field=",".join(k), old=list(k)))
    of, nf = _foreign_keys(old), _foreign_keys(new)

    def ref(target: tuple[str, Key]) -> str:
        return f"{target[0]}({', '.join(target[1])})"

    for k, target in nf.items():
        if k not in of:
            out.append(Change("constraint-tightened", f"foreign key ({', '.join(k)}) → {ref(target)} added",
                              field=",".join(k), new=ref(target)))
        elif of[k] != target:
            out.append(Change("reference-updated", f"foreign key ({', '.join(k)}) now refers to {ref(target)}, not {ref(of[k])}",
                              field=",".join(k), old=ref(of[k]), new=ref(target)))
    for k, target in of.items():
        if k not in nf:
            out.append(Change("constraint-relaxed", f"foreign key ({', '.join(k)}) → {ref(target)} removed",
                              field=",".join(k), old=ref(target)))
    return out


# --- rows --------------------------------------------------------------------------

def _keyed(raw: pd.DataFrame, key: list[str]) -> pd.DataFrame | None:
    """The frame indexed by its key, or None when the key repeats."""
    index = pd.MultiIndex.from_frame(raw[key])
    if index.has_duplicates:
        return None
    return raw.set_axis(index, axis=0)


def _table_diff(name: str, old: LoadedTable, new: LoadedTable) -> TableDiff:
    out = TableDiff(name, "unchanged", rows_old=len(old.raw), rows_new=len(new.raw),
                    schema=schema_changes(old.schema, new.schema))
    both = [f for f in new.schema.field_names if f in old.schema.field_names]
    candidates = []
    for key in (new.schema.primary_key, old.schema.primary_key):
        if key and key not in candidates and all(f in both for f in key):
            candidates.append(key)
    for key in candidates:
        a, b = _keyed(old.raw, key), _keyed(new.raw, key)
        if a is not None and b is not None:
            out.key = list(key)
            _compare_rows(out, a, b, [f for f in both if f not in key])
            return out
    if old.schema.primary_key == new.schema.primary_key and old.schema.primary_key:
        raise DiffError(f"cannot compare table {name!r}: its primary key ({', '.join(new.schema.primary_key)}) repeats; "
                        "run natodata validate")
    out.note = "rows not compared: no primary key identifies the rows on both sides"
    return out


def _compare_rows(out: TableDiff, a: pd.DataFrame, b: pd.DataFrame, values: list[str]) -> None:
    added = list(b.index.difference(a.index, sort=True))
    removed = list(a.index.difference(b.index, sort=True))
    if added and removed and values:
        rekeyed = _rekeyed(a, b, removed, added, values)
        gone = {r.old for r in rekeyed}
        came = {r.new for r in rekeyed}
        out.rekeyed = rekeyed
        removed = [k for k in removed if k not in gone]
        added = [k for k in added if k not in came]
    out.added, out.removed = added, removed
    common = a.index.intersection(b.index, sort=True)
    if not values or not len(common):
        return
    av = a.loc[common, values].fillna("").to_numpy(dtype=object)
    bv = b.loc[common, values].fillna("").to_numpy(dtype=object)
    differs = av != bv
    for i in np.flatnonzero(differs.any(axis=1)):
        cells = tuple(CellChange(values[j], av[i, j], bv[i, j]) for j in np.flatnonzero(differs[i]))
        out.updated.append(RowChange(tuple(common[i]), cells))


def _rekeyed(a: pd.DataFrame, b: pd.DataFrame, removed: list[Key], added: list[Key], values: list[str]) -> list[Rekey]:
    """Removed and added rows that are the same row under a new key: their other values
    are equal, not all blank, and shared by no other removed or added row."""
    def signatures(frame: pd.DataFrame, keys: list[Key]) -> dict[tuple, list[Key]]:
        sigs: dict[tuple, list[Key]] = {}
        for k, row in zip(keys, frame.loc[keys, values].itertuples(index=False, name=None)):
            sigs.setdefault(row, []).append(k)
        return sigs

    old_sigs, new_sigs = signatures(a, removed), signatures(b, added)
    out = []
    for sig, olds in old_sigs.items():
        news = new_sigs.get(sig, [])
        if len(olds) == 1 and len(news) == 1 and any(v != "" for v in sig):
            out.append(Rekey(olds[0], news[0]))
    return sorted(out, key=lambda r: r.old)
