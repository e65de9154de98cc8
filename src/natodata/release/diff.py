"""Comparing two packages: what changed in the descriptor, in each Table Schema and in
each table's rows (matched by primary key), as data.

Each change is a :class:`~natodata.release.schemadiff.Change` whose ``kind`` is a
:class:`~natodata.release.changes.ChangeKind`, which says the bump it requires; row changes
are listed row by row as well. Schemas are compared in :mod:`natodata.release.schemadiff`;
:mod:`natodata.release.diff_report` renders a :class:`PackageDiff` as text or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DiffError
from ..layout import is_version, release_dir
from ..model.location import DESCRIPTOR, locate
from ..tables.read import Loaded, LoadedTable, read_tables
from .changes import ChangeKind as K
from .schemadiff import Change, differing, metadata_message, schema_changes
from .versioning import Bump

#: Descriptor properties that differ between every release and are not changes.
RELEASE_STAMPS = {"version", "created"}
#: Resource properties that describe the file's bytes, not its content.
RESOURCE_STAMPS = {"bytes", "hash"}
RESOURCE_FORMAT = ("type", "scheme", "format", "mediatype", "encoding", "dialect")
Key = tuple[str, ...]


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
        for kind, items, verb in (
            (K.ROWS_ADDED, self.added, "added"),
            (K.ROWS_REMOVED, self.removed, "removed"),
            (K.ROWS_REKEYED, self.rekeyed, "re-keyed"),
            (K.VALUES_CHANGED, self.updated, "changed"),
        ):
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


# --- resolving the two sides -------------------------------------------------------


def resolve_side(arg: str, root: Path | str | None = None) -> Path:
    """A release version (``releases/X.Y.Z`` under ``root``) or a package path."""
    base = locate(root).parent if root is not None else Path.cwd()  # a mistyped --package is not found
    if is_version(arg):
        release = release_dir(base, arg)
        if (release / DESCRIPTOR).is_file():
            return release
        if not Path(arg).exists():
            raise DiffError(f"no release {arg} in {release.parent}")
    return Path(arg)


# --- the comparison ----------------------------------------------------------------


def diff_packages(
    old: Path | str | Loaded, new: Path | str | Loaded, old_label: str | None = None, new_label: str | None = None
) -> PackageDiff:
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
            out.tables.append(
                TableDiff(
                    name,
                    "added",
                    rows_new=n,
                    schema=[Change(K.RESOURCE_ADDED, f"table {name!r} added with {_rows(n)}")],
                )
            )
        elif name not in new_res:
            n = len(a.tables[name].raw)
            out.tables.append(
                TableDiff(
                    name,
                    "removed",
                    rows_old=n,
                    schema=[Change(K.RESOURCE_REMOVED, f"table {name!r} removed with {_rows(n)}")],
                )
            )
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
            raise DiffError(
                f"cannot compare {where}: table {res.name!r} ({res.path}) cannot be read cleanly; run natodata validate"
            )


def _package_changes(old: dict, new: dict) -> list[Change]:
    out = []
    for k in differing(old, new, RELEASE_STAMPS | {"resources"}):
        kind = {"name": K.PACKAGE_RENAMED, "licenses": K.LICENSE_CHANGED}.get(k, K.METADATA_CHANGED)
        out.append(
            Change(
                kind,
                metadata_message(f"package metadata {k!r}", old.get(k), new.get(k)),
                field=k,
                old=old.get(k),
                new=new.get(k),
            )
        )
    return out


def _resource_changes(old: dict, new: dict) -> list[Change]:
    out = []
    for k in differing(old, new, RESOURCE_STAMPS | {"name", "schema"}):
        kind = (
            K.RESOURCE_MOVED
            if k == "path"
            else K.RESOURCE_FORMAT_CHANGED
            if k in RESOURCE_FORMAT
            else K.RESOURCE_METADATA_CHANGED
        )
        out.append(
            Change(
                kind,
                metadata_message(f"resource {k!r}", old.get(k), new.get(k)),
                field=k,
                old=old.get(k),
                new=new.get(k),
            )
        )
    return out


# --- rows --------------------------------------------------------------------------


def _keyed(raw: pd.DataFrame, key: list[str]) -> pd.DataFrame | None:
    """The frame indexed by its key, or None when the key repeats."""
    index = pd.MultiIndex.from_frame(raw[key])
    if index.has_duplicates:
        return None
    return raw.set_axis(index, axis=0)


def _table_diff(name: str, old: LoadedTable, new: LoadedTable) -> TableDiff:
    out = TableDiff(
        name, "unchanged", rows_old=len(old.raw), rows_new=len(new.raw), schema=schema_changes(old.schema, new.schema)
    )
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
        raise DiffError(
            f"cannot compare table {name!r}: its primary key ({', '.join(new.schema.primary_key)}) repeats; "
            "run natodata validate"
        )
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
