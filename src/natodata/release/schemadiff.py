"""Comparing two Table Schemas: every change from one to the other as a :class:`Change`
whose ``kind`` is a :class:`~natodata.release.changes.ChangeKind`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..model.tableschema import Field, TableSchema
from .changes import ChangeKind as K
from .versioning import Bump

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

    kind: K
    message: str
    field: str | None = None
    old: Any = None
    new: Any = None

    def __post_init__(self) -> None:
        # A kind given as its name is checked against the registry: an unknown one is a bug.
        object.__setattr__(self, "kind", K(self.kind))

    @property
    def bump(self) -> Bump:
        return self.kind.bump


def _show(value: Any) -> str:
    return "none" if value is None else json.dumps(value, ensure_ascii=False)


def differing(old: dict, new: dict, skip) -> list[str]:
    keys = list(old) + [k for k in new if k not in old]
    return [k for k in keys if k not in skip and old.get(k) != new.get(k)]


def metadata_message(what: str, old: Any, new: Any) -> str:
    if isinstance(old, str) and isinstance(new, str):
        return f"{what} changed: {_show(old)} → {_show(new)}"
    if old is None:
        return f"{what} added"
    if new is None:
        return f"{what} removed"
    return f"{what} changed"


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
            out.append(
                Change(
                    K.FIELD_RENAMED,
                    f"field {name!r} renamed to {new_names[i]!r}",
                    field=name,
                    old=name,
                    new=new_names[i],
                )
            )
            removed.remove(name)
            added.remove(new_names[i])
    for name in removed:
        out.append(Change(K.FIELD_REMOVED, f"field {name!r} removed", field=name, old=old.field(name).descriptor))
    for name in added:
        fld = new.field(name)
        kind, what = (K.REQUIRED_FIELD_ADDED, "required") if fld.required else (K.FIELD_ADDED, "optional")
        out.append(Change(kind, f"field {name!r} added ({fld.type}, {what})", field=name, new=fld.descriptor))
    common_old = [n for n in old_names if n in new_names]
    common_new = [n for n in new_names if n in old_names]
    if common_old != common_new:
        out.append(
            Change(
                K.FIELDS_REORDERED,
                f"fields reordered: {', '.join(common_old)} → {', '.join(common_new)}",
                old=common_old,
                new=common_new,
            )
        )
    for name in common_new:
        out += field_changes(old.field(name), new.field(name))
    out += _key_changes(old, new)
    if old.descriptor.get("missingValues", [""]) != new.descriptor.get("missingValues", [""]):
        out.append(
            Change(
                K.MISSING_VALUES_CHANGED,
                f"missingValues changed: {_show(old.missing_values)} → {_show(new.missing_values)}",
                old=old.missing_values,
                new=new.missing_values,
            )
        )
    skip = {"fields", "primaryKey", "uniqueKeys", "foreignKeys", "missingValues"}
    for k in differing(old.descriptor, new.descriptor, skip):
        out.append(
            Change(
                K.SCHEMA_METADATA_CHANGED,
                metadata_message(f"schema {k!r}", old.descriptor.get(k), new.descriptor.get(k)),
                old=old.descriptor.get(k),
                new=new.descriptor.get(k),
            )
        )
    return out


def field_changes(old: Field, new: Field) -> list[Change]:
    name = new.name
    out: list[Change] = []

    def change(kind: K, message: str, o: Any, n: Any) -> None:
        out.append(Change(kind, f"field {name!r}: {message}", field=name, old=o, new=n))

    if old.type != new.type:
        change(K.FIELD_RETYPED, f"type {old.type} → {new.type}", old.type, new.type)
    for k in PARSING:
        o, n = old.descriptor.get(k), new.descriptor.get(k)
        if o != n:
            change(K.FIELD_RETYPED, f"{k} {_show(o)} → {_show(n)}", o, n)
    out += _vocabulary_changes(old, new)
    oc, nc = old.constraints, new.constraints
    for k in differing(oc, nc, {"enum"}):
        o, n = oc.get(k), nc.get(k)
        if k in FLAGS and bool(o) == bool(n):  # absent and false mean the same
            change(K.FIELD_METADATA_CHANGED, f"constraint {k} {_show(o)} → {_show(n)} (no effect)", o, n)
            continue
        tighter = _tighter(k, o, n)
        change(
            K.CONSTRAINT_TIGHTENED if tighter else K.CONSTRAINT_RELAXED, f"constraint {k} {_show(o)} → {_show(n)}", o, n
        )
    for key in EXEMPTIONS:
        # Each exempts the field from a check (surrounding whitespace, formula start):
        # adding it relaxes, removing it tightens.
        o, n = bool(old.descriptor.get(key)), bool(new.descriptor.get(key))
        if o != n:
            change(K.CONSTRAINT_RELAXED if n else K.CONSTRAINT_TIGHTENED, f"{key} {_show(o)} → {_show(n)}", o, n)
    semantic = {"name", "type", "constraints", "categories", *EXEMPTIONS, *PARSING}
    meta = differing(old.descriptor, new.descriptor, semantic)
    if (
        old.vocabulary is not None
        and new.vocabulary is not None
        and set(old.vocabulary) == set(new.vocabulary)
        and old.descriptor.get("categories") != new.descriptor.get("categories")
    ):
        meta.append("categories")  # same values; labels or order changed
    for k in meta:
        o, n = old.descriptor.get(k), new.descriptor.get(k)
        change(K.FIELD_METADATA_CHANGED, metadata_message(k, o, n), o, n)
    return out


def _vocabulary_changes(old: Field, new: Field) -> list[Change]:
    ov, nv = old.vocabulary, new.vocabulary
    name = new.name
    if ov == nv or (ov is not None and nv is not None and set(ov) == set(nv)):
        return []
    if ov is None:
        return [
            Change(K.CONSTRAINT_TIGHTENED, f"field {name!r}: now limited to the values {_show(nv)}", field=name, new=nv)
        ]
    if nv is None:
        return [Change(K.CONSTRAINT_RELAXED, f"field {name!r}: no longer limited to a vocabulary", field=name, old=ov)]
    out = []
    gone = [v for v in ov if v not in nv]
    new_values = [v for v in nv if v not in ov]
    if gone:
        out.append(
            Change(
                K.CONSTRAINT_TIGHTENED,
                f"field {name!r}: values removed from the vocabulary: {_show(gone)}",
                field=name,
                old=gone,
            )
        )
    if new_values:
        out.append(
            Change(
                K.CONSTRAINT_RELAXED,
                f"field {name!r}: values added to the vocabulary: {_show(new_values)}",
                field=name,
                new=new_values,
            )
        )
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
        out.append(
            Change(
                K.PRIMARY_KEY_CHANGED,
                f"primary key ({', '.join(old.primary_key)}) → ({', '.join(new.primary_key)})",
                old=old.primary_key,
                new=new.primary_key,
            )
        )
    ou, nu = [tuple(k) for k in old.unique_keys], [tuple(k) for k in new.unique_keys]
    for k in nu:
        if k not in ou:
            out.append(
                Change(K.CONSTRAINT_TIGHTENED, f"unique key ({', '.join(k)}) added", field=",".join(k), new=list(k))
            )
    for k in ou:
        if k not in nu:
            out.append(
                Change(K.CONSTRAINT_RELAXED, f"unique key ({', '.join(k)}) removed", field=",".join(k), old=list(k))
            )
    of, nf = _foreign_keys(old), _foreign_keys(new)

    def ref(target: tuple[str, Key]) -> str:
        return f"{target[0]}({', '.join(target[1])})"

    for k, target in nf.items():
        if k not in of:
            out.append(
                Change(
                    K.CONSTRAINT_TIGHTENED,
                    f"foreign key ({', '.join(k)}) → {ref(target)} added",
                    field=",".join(k),
                    new=ref(target),
                )
            )
        elif of[k] != target:
            out.append(
                Change(
                    K.REFERENCE_UPDATED,
                    f"foreign key ({', '.join(k)}) now refers to {ref(target)}, not {ref(of[k])}",
                    field=",".join(k),
                    old=ref(of[k]),
                    new=ref(target),
                )
            )
    for k, target in of.items():
        if k not in nf:
            out.append(
                Change(
                    K.CONSTRAINT_RELAXED,
                    f"foreign key ({', '.join(k)}) → {ref(target)} removed",
                    field=",".join(k),
                    old=ref(target),
                )
            )
    return out
