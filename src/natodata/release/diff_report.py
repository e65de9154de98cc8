"""Rendering a :class:`~natodata.release.diff.PackageDiff` as text or JSON: the one place a diff
becomes output (``natodata diff`` and the release notes both use it)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..formats import TableFormat

if TYPE_CHECKING:  # rendering needs no pandas; the diff itself does
    from .diff import Change, Key, PackageDiff, TableDiff

JSON_DIFF_VERSION = 1


def _key(fields: list[str], key: Key) -> str:
    return ", ".join(f"{f}={v}" for f, v in zip(fields, key))


def _change_line(c: Change) -> str:
    return f"  {str(c.bump):<5}  {c.kind}: {c.message}"


def _table_text(t: TableDiff) -> list[str]:
    lines = [f"{t.name}: {t.bump}"]
    lines += [_change_line(c) for c in t.changes]
    for k in t.added:
        lines.append(f"  + {_key(t.key, k)}")
    for k in t.removed:
        lines.append(f"  - {_key(t.key, k)}")
    for r in t.rekeyed:
        lines.append(f"  > {_key(t.key, r.old)} → {_key(t.key, r.new)}")
    for row in t.updated:
        lines.append(f"  ~ {_key(t.key, row.key)}")
        for c in row.cells:
            lines.append(
                f"      {c.field}: {json.dumps(c.old, ensure_ascii=False)} → {json.dumps(c.new, ensure_ascii=False)}"
            )
    if t.note:
        lines.append(f"  ({t.note})")
    return lines


def render_text(diff: PackageDiff) -> str:
    lines = [f"diff {diff.old} → {diff.new}"]
    if diff.package:
        lines.append("package metadata")
        lines += [_change_line(c) for c in diff.package]
    changed = [t for t in diff.tables if t.status != "unchanged"]
    for t in changed:
        lines += _table_text(t)
    n = len(diff.tables)
    if diff.has_changes:
        lines.append(f"{len(changed)} of {n} table{'s' * (n != 1)} changed; required bump: {diff.bump}")
    else:
        lines.append(f"no changes ({n} table{'s' * (n != 1)} compared)")
    return "\n".join(lines) + "\n"


def _change_dict(c: Change) -> dict:
    return {"kind": c.kind, "bump": str(c.bump), "message": c.message, "field": c.field, "old": c.old, "new": c.new}


def _table_dict(t: TableDiff) -> dict:
    def key(k: Key) -> dict:
        return dict(zip(t.key, k))

    return {
        "name": t.name,
        "status": t.status,
        "bump": str(t.bump),
        "key": t.key,
        "rows": {"old": t.rows_old, "new": t.rows_new},
        "changes": [_change_dict(c) for c in t.changes],
        "added": [key(k) for k in t.added],
        "removed": [key(k) for k in t.removed],
        "rekeyed": [{"old": key(r.old), "new": key(r.new)} for r in t.rekeyed],
        "changed": [
            {"key": key(r.key), "cells": [{"field": c.field, "old": c.old, "new": c.new} for c in r.cells]}
            for r in t.updated
        ],
        "note": t.note,
    }


def render_json(diff: PackageDiff) -> str:
    doc = {
        "version": JSON_DIFF_VERSION,
        "old": diff.old,
        "new": diff.new,
        "changed": diff.has_changes,
        "bump": str(diff.bump),
        "package": [_change_dict(c) for c in diff.package],
        "tables": [_table_dict(t) for t in diff.tables],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_diff(diff: PackageDiff, fmt: str) -> str:
    return {TableFormat.TEXT: render_text, TableFormat.JSON: render_json}[TableFormat(fmt)](diff)
