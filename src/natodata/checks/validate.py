"""``validate``: every check over a package, collected into one :class:`~natodata.findings.Report`.

Orchestration only: the tables are read by :mod:`natodata.tables.read`; each kind of
check lives in its own module here.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import UnreadableInput
from ..findings import Finding, Report
from ..model.descriptor import CANONICAL_FILES
from ..tables.canonical import canonical_text, first_difference, in_canonical_order
from ..tables.read import Loaded, LoadedTable, read_tables
from ..workers import worker_count
from .constraints import check_table
from .descriptor import descriptor_findings
from .integrity import integrity_findings
from .keys import foreign_key_findings, key_findings
from .provenance import provenance_findings

#: Above this many rows in all, tables are checked on worker threads (pandas and pyarrow
#: kernels release the GIL); small packages are checked one table at a time.
PARALLEL_ROWS = 200_000


def validate(path: Path | str | None = None, corpus: Path | str | None = None) -> Report:
    """Read the package at ``path`` and run every check; with ``corpus``, the provenance
    checks against the articles too."""
    corpus = _corpus_dir(corpus)
    return check(read_tables(path), corpus)


def _corpus_dir(corpus: Path | str | None) -> Path | None:
    if corpus is None:
        return None
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise UnreadableInput(f"corpus directory not found: {corpus}")
    return corpus


def check(loaded: Loaded, corpus: Path | str | None = None) -> Report:
    """Run every check on a package already read by :func:`read_tables`. The reading
    findings come first; ``loaded`` itself is left unchanged, so a caller that reads
    once (``publish``) can check, compare and write the very same tables."""
    corpus = _corpus_dir(corpus)
    report = Report(list(loaded.report.findings))
    report.extend(descriptor_findings(loaded.package))
    tables = loaded.tables
    checked = _check_tables(tables)
    for t in tables.values():
        report.extend(checked[t.name]())
        report.extend(key_findings(t.typed, t.schema, t.name, t.path))
        if loaded.package.descriptor.get(CANONICAL_FILES) is True:
            report.extend(_canonical_findings(loaded.package.root, t))
    report.extend(foreign_key_findings({n: t.typed for n, t in tables.items()},
                                       {n: t.schema for n, t in tables.items()},
                                       {n: t.path for n, t in tables.items()}))
    if corpus is not None:
        report.extend(provenance_findings(tables, corpus))
    report.extend(integrity_findings(loaded.package))
    return report


def _canonical_findings(root: Path, t: LoadedTable) -> list[Finding]:
    # A verbatim file in primary-key order is canonical; no need to render it again.
    if t.structural or not t.complete or (t.verbatim and in_canonical_order(t.typed, t.schema)):
        return []
    text = t.text if t.text is not None else (root / t.path).read_bytes().decode("utf-8")
    canon = canonical_text(t.raw, t.typed, t.schema)
    if canon == text:
        return []
    line = first_difference(text, canon)
    return [Finding("not-canonical", f"file is not in canonical form (first difference at line {line}); run natodata fmt",
                    table=t.name, path=t.path, line=line)]


def _check_tables(tables: dict[str, LoadedTable]) -> dict:
    """Start ``check_table`` for every table; return, per table, a callable giving its
    findings. The findings and their order are the same either way."""
    complete = {n: t.typed for n, t in tables.items() if t.complete}
    schemas = {n: t.schema for n, t in tables.items()}

    def run(t: LoadedTable):
        return check_table(t.typed, t.schema, t.name, t.path, complete, t.bad_cells, schemas)

    workers = worker_count()
    if workers < 2 or sum(len(t.typed) for t in tables.values()) < PARALLEL_ROWS:
        return {name: (lambda t=t: run(t)) for name, t in tables.items()}
    # Warm pandera up on the smallest table first, so its lazily built registries are
    # complete before threads share them; then the biggest tables go first.
    order = sorted(tables.values(), key=lambda t: len(t.typed))
    first = run(order[0])
    pool = ThreadPoolExecutor(max_workers=workers)
    results = {t.name: pool.submit(run, t).result for t in reversed(order[1:])}
    pool.shutdown(wait=False)  # the submitted checks still run to the end
    results[order[0].name] = lambda: first
    return results
