"""``validate``: every check over a package, collected into one :class:`Report`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import UnreadableInput
from .findings import Finding, Report, Severity
from .package import Package, load_package
from .tableschema import TableSchema

STRUCTURAL = {"encoding-error", "encoding-bom", "line-ending", "blank-row", "extra-cell", "missing-cell", "csv-error",
              "cell-too-large", "duplicate-label", "missing-label", "extra-label", "header-order", "header-error"}


@dataclass
class LoadedTable:
    name: str
    path: str
    schema: TableSchema
    raw: pd.DataFrame
    typed: pd.DataFrame
    text: str | None  # None when the file was read by the fast path (verbatim)
    bad_cells: set
    structural: bool  # the file had structural findings
    verbatim: bool = False  # the file is the canonical rendering of ``raw`` in file order

    @property
    def complete(self) -> bool:
        return all(f in self.typed.columns for f in self.schema.field_names)


@dataclass
class Loaded:
    package: Package
    tables: dict[str, LoadedTable] = field(default_factory=dict)
    report: Report = field(default_factory=Report)


def read_tables(path: Path | str | None = None, check_descriptor: bool = True) -> Loaded:
    """Read the descriptor and every CSV, with structure and type findings
    (and, with ``check_descriptor``, frictionless's metadata validation)."""
    from .casting import cast_frame
    from .csvfile import read_csv
    from .metadata import descriptor_findings

    pkg = load_package(path)
    loaded = Loaded(package=pkg)
    report = loaded.report
    report.extend(pkg.findings)
    if check_descriptor:
        report.extend(descriptor_findings(pkg))
    for res in pkg.resources:
        if res.schema is None or res.file is None:
            continue
        csvt = read_csv(res.file, res.name, res.path, res.schema.field_names)
        report.extend(csvt.findings)
        if csvt.frame is None:
            continue
        typed, type_findings, bad = cast_frame(csvt.frame, res.schema, res.name, res.path)
        report.extend(type_findings)
        structural = any(f.type in STRUCTURAL for f in csvt.findings)
        loaded.tables[res.name] = LoadedTable(res.name, res.path, res.schema, csvt.frame, typed, csvt.text, bad, structural,
                                              verbatim=csvt.verbatim)
    return loaded


def validate(path: Path | str | None = None, corpus: Path | str | None = None) -> Report:
    from .canonical import canonical_text, first_difference, in_canonical_order
    from .keys import foreign_key_findings, key_findings

    if corpus is not None:
        corpus = Path(corpus)
        if not corpus.is_dir():
            raise UnreadableInput(f"corpus directory not found: {corpus}")
    loaded = read_tables(path)
    report = loaded.report
    tables = loaded.tables
    complete = {n: t.typed for n, t in tables.items() if t.complete}
    checked = _check_tables(tables, complete)
    for t in tables.values():
        report.extend(checked[t.name]())
        report.extend(key_findings(t.typed, t.schema, t.name, t.path))
        # A verbatim file in primary-key order is canonical; no need to render it again.
        if not t.structural and t.complete and not (t.verbatim and in_canonical_order(t.typed, t.schema)):
            text = t.text if t.text is not None else (loaded.package.root / t.path).read_bytes().decode("utf-8")
            canon = canonical_text(t.raw, t.typed, t.schema)
            if canon != text:
                line = first_difference(text, canon)
                report.add(Finding("not-canonical", Severity.WARNING,
                                   f"file is not in canonical form (first difference at line {line}); run natodata fmt",
                                   table=t.name, path=t.path, line=line))
    report.extend(foreign_key_findings({n: t.typed for n, t in tables.items()},
                                       {n: t.schema for n, t in tables.items()},
                                       {n: t.path for n, t in tables.items()}))
    if corpus is not None:
        report.extend(provenance_findings(loaded, corpus))
    from .checksums import integrity_findings

    report.extend(integrity_findings(loaded.package))
    return report


#: Above this many rows in all, tables are checked on worker threads (pandas and pyarrow
#: kernels release the GIL); small packages are checked one table at a time, as before.
PARALLEL_ROWS = 200_000


def _check_tables(tables: dict[str, LoadedTable], complete: dict) -> dict:
    """Start ``check_table`` for every table; return, per table, a callable giving its
    findings. The findings and their order are the same either way."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    from .constraints import check_table

    def run(t: LoadedTable):
        return check_table(t.typed, t.schema, t.name, t.path, complete, t.bad_cells)

    workers = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
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


def provenance_findings(loaded: Loaded, corpus: Path) -> list[Finding]:
    from .provenance import anchor_findings, load_articles, mention_findings

    tables = loaded.tables
    src = tables.get("sources")
    if src is None or not src.complete:
        return []
    articles, out = load_articles(src.typed, corpus, src.path)
    for t in tables.values():
        if t.schema.anchor_field:
            out += anchor_findings(t.typed, t.schema, t.name, t.path, articles)
    for name, fld in (("actor_aliases", "alias"), ("actor_titles", "title")):
        if name in tables:
            out += mention_findings(tables[name].typed, name, tables[name].path, fld, articles)
    return out
