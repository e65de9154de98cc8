"""``fmt``: rewrite the CSV files in canonical form."""

from __future__ import annotations

from pathlib import Path

from .errors import NatodataError
from .validate import STRUCTURAL, LoadedTable, read_tables

#: Structural findings that rewriting the file repairs.
FIXABLE = {"line-ending", "header-order", "blank-row", "encoding-bom"}
STRUCTURAL_BLOCKING = STRUCTURAL - FIXABLE


def unfixable(loaded, table: LoadedTable) -> list[str]:
    return [f"{f.path}:{f.line}: {f.type}: {f.message}" for f in loaded.report.findings
            if f.table == table.name and f.type in STRUCTURAL_BLOCKING]


def write_canonical(loaded, table: LoadedTable) -> bool:
    """Write one table canonically; return True when the file changed."""
    from .canonical import canonical_text

    text = canonical_text(table.raw, table.typed, table.schema)
    file = loaded.package.root / table.path
    if file.read_bytes() == text.encode("utf-8"):
        return False
    tmp = file.with_name(file.name + ".tmp")
    tmp.write_bytes(text.encode("utf-8"))
    tmp.replace(file)
    return True


def format_package(path: Path | str | None = None, check: bool = False) -> list[str]:
    """Rewrite every table canonically (or, with ``check``, only list those that would change).

    Returns the paths of the files changed. Raises NatodataError, writing nothing, when a
    file has problems rewriting cannot repair."""
    from .canonical import canonical_text

    loaded = read_tables(path)
    problems = []
    for name, res in ((r.name, r) for r in loaded.package.resources):
        t = loaded.tables.get(name)
        if t is None:
            problems.append(f"{res.path}: cannot be read; run natodata validate for details")
            continue
        problems += unfixable(loaded, t)
        if not t.complete:
            problems.append(f"{t.path}: header lacks schema fields")
    if problems:
        raise NatodataError("cannot format; fix these first:\n  " + "\n  ".join(problems))
    changed = []
    for t in loaded.tables.values():
        if check:
            text = canonical_text(t.raw, t.typed, t.schema)
            if (loaded.package.root / t.path).read_bytes() != text.encode("utf-8"):
                changed.append(t.path)
        elif write_canonical(loaded, t):
            changed.append(t.path)
    return changed
