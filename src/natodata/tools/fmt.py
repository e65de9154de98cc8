"""``fmt``: rewrite the CSV files in canonical form, as the package declares it.

A package that sets ``x-canonicalFiles`` asks for natodata's canonical form (UTF-8
without BOM, LF, minimal quoting, schema column order, rows sorted by primary key):
``fmt`` writes it and ``fmt --check`` demands it, as ``validate`` warns ``not-canonical``.
Any other package keeps its own dialect and encoding: ``fmt`` orders columns and rows and
quotes minimally in the file's own delimiter, quote character, line ending and encoding,
and ``fmt --check`` demands nothing ``validate`` does not, so it passes any package
``validate`` accepts. Tables that are not one plain file (inline data, several files,
compressed, JSON, header or comment rows) are left as they are.
"""

from __future__ import annotations

from pathlib import Path

from ..atomic import recover, write_files
from ..errors import FormatRefused
from ..model.location import locate
from ..report import finding_line
from ..model.descriptor import CANONICAL_FILES
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
    canonical = loaded.package.descriptor.get(CANONICAL_FILES) is True
    if check and not canonical:
        return []  # the package asks for no canonical form: nothing to demand
    problems = []
    tables = []
    for res in loaded.package.resources:
        if not res.tabular or res.schema is None:
            continue  # a file, or a table without a schema: nothing to order it by
        t = loaded.tables.get(res.name)
        if t is None:
            problems.append(f"{res.path}: cannot be read; run natodata validate for details")
            continue
        if not t.file_backed or not res.dialect.plain_rows:
            continue
        problems += [finding_line(f) for f in loaded.blocking(t)]
        if not t.complete:
            problems.append(f"{t.path}: header lacks schema fields")
        tables.append(t)
    if problems:
        raise FormatRefused("cannot format; fix these first:\n  " + "\n  ".join(problems))
    root = loaded.package.root
    new = {}
    for t in tables:
        before = (root / t.path).read_bytes()
        if canonical:
            data = canonical_text(t.raw, t.typed, t.schema).encode("utf-8")
        else:
            d = t.dialect
            ending = "\r\n" if b"\r\n" in before else "\n"
            text = canonical_text(t.raw, t.typed, t.schema, dialect=d, line_terminator=ending)
            bom = before.startswith(b"\xef\xbb\xbf") and d.encoding == "utf-8"
            data = (b"\xef\xbb\xbf" if bom else b"") + text.encode(d.encoding)
        if before != data:
            new[t.path] = data
    if not check:  # every file or none
        write_files({root / p: data for p, data in new.items()}, home=root)
    return list(new)
