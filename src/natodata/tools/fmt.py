"""``fmt``: rewrite the CSV files in canonical form."""

from __future__ import annotations

from pathlib import Path

from ..atomic import recover, write_files
from ..errors import FormatRefused
from ..layout import locate
from ..tables.canonical import canonical_text
from ..tables.read import read_tables


def format_package(path: Path | str | None = None, check: bool = False) -> list[str]:
    """Rewrite every table canonically (or, with ``check``, only list those that would change).

    Returns the paths of the files changed. Raises FormatRefused, writing nothing, when a
    file has problems rewriting cannot repair, and UnwritableOutput, leaving every file as
    it was, when one cannot be written."""
    if not check:
        recover(locate(path).parent)  # a write a killed run left half done: finished first
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
        raise FormatRefused("cannot format; fix these first:\n  " + "\n  ".join(problems))
    root = loaded.package.root
    new = {}
    for t in loaded.tables.values():
        data = canonical_text(t.raw, t.typed, t.schema).encode("utf-8")
        if (root / t.path).read_bytes() != data:
            new[t.path] = data
    if not check:  # every file or none
        write_files({root / p: data for p, data in new.items()}, home=root)
    return list(new)
