"""``fmt``: rewrite the CSV files in canonical form."""

from __future__ import annotations

from pathlib import Path

from ..errors import NatodataError
from ..tables.canonical import canonical_text, write_if_changed
from ..tables.read import read_tables


def format_package(path: Path | str | None = None, check: bool = False) -> list[str]:
    """Rewrite every table canonically (or, with ``check``, only list those that would change).

    Returns the paths of the files changed. Raises NatodataError, writing nothing, when a
    file has problems rewriting cannot repair."""
    loaded = read_tables(path)
    problems = []
    for res in loaded.package.resources:
        t = loaded.tables.get(res.name)
        if t is None:
            problems.append(f"{res.path}: cannot be read; run natodata validate for details")
            continue
        problems += [f"{f.path}:{f.line}: {f.type}: {f.message}" for f in loaded.blocking(t)]
        if not t.complete:
            problems.append(f"{t.path}: header lacks schema fields")
    if problems:
        raise NatodataError("cannot format; fix these first:\n  " + "\n  ".join(problems))
    changed = []
    root = loaded.package.root
    for t in loaded.tables.values():
        text = canonical_text(t.raw, t.typed, t.schema)
        if check:
            if (root / t.path).read_bytes() != text.encode("utf-8"):
                changed.append(t.path)
        elif write_if_changed(root / t.path, text):
            changed.append(t.path)
    return changed
