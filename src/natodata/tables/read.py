"""Reading a whole package: the descriptor, then each CSV's structure and typed columns.

This is the stage every tool starts from: ``validate`` checks what it reads, ``fmt`` and
``anchor`` rewrite it, ``load``, ``export``, ``diff`` and ``publish`` use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..findings import TYPES, Finding, Report
from ..model.descriptor import CANONICAL_FILES, Package, load_package
from ..model.tableschema import TableSchema
from .casting import cast_frame, constraint_problems
from .csvfile import read_csv


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

    def blocking(self, table: LoadedTable) -> list[Finding]:
        """The table's structural findings that rewriting the file cannot repair."""
        return [f for f in self.report.findings
                if f.table == table.name and TYPES[f.type].structural and not TYPES[f.type].fixable]


def _typed_schema_findings(pkg: Package, res) -> list[Finding]:
    base = "" if res.schema_path else f"/resources/{pkg.resources.index(res)}/schema"
    out = []
    for i, fld in enumerate(res.schema.fields):
        for ptr, message in constraint_problems(fld):
            out.append(Finding("schema-error", f"field {fld.name!r}: {message}", table=res.name,
                               path=res.schema_path or pkg.descriptor_path.name, field=fld.name,
                               pointer=f"{base}/fields/{i}{ptr}"))
    return out


def read_tables(path: Path | str | None = None) -> Loaded:
    """Read the descriptor and every CSV, with the findings of reading them: unusable
    paths and schemas, structure and types. (``validate`` checks the rest.)"""
    pkg = load_package(path)
    loaded = Loaded(package=pkg)
    report = loaded.report
    report.extend(pkg.findings)
    for res in pkg.resources:
        if res.schema is None or res.file is None:
            continue
        problems = _typed_schema_findings(pkg, res)
        if problems:  # a constraint not of its field's type: the table cannot be checked as declared
            report.extend(problems)
            continue
        csvt = read_csv(res.file, res.name, res.path, res.schema.field_names, res.dialect,
                        canonical=pkg.descriptor.get(CANONICAL_FILES) is True)
        report.extend(csvt.findings)
        if csvt.frame is None:
            continue
        typed, type_findings, bad = cast_frame(csvt.frame, res.schema, res.name, res.path)
        report.extend(type_findings)
        structural = any(TYPES[f.type].structural for f in csvt.findings)
        loaded.tables[res.name] = LoadedTable(res.name, res.path, res.schema, csvt.frame, typed, csvt.text, bad, structural,
                                              verbatim=csvt.verbatim)
    return loaded
