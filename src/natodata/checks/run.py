"""One validation run's state: each table as it is checked (:class:`CheckedTable`), its
outcome (:class:`Outcome`), and the :class:`Run` that gives every piece of rows its checks,
keeps the columns the whole-table checks read, and ends with the checks of whole tables
and across tables, into one :class:`~natodata.findings.Report`.

Which tables are read, in what order and in which process is :mod:`natodata.checks.validate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from ..findings import Finding, Report
from ..model.descriptor import CANONICAL_FILES, Package
from ..model.tableschema import TableSchema
from ..tables.canonical import first_moved
from ..tables.csvfile import CHUNK_BYTES
from ..tables.read import TableReader
from .constraints import TableChecks
from .descriptor import descriptor_findings
from .integrity import integrity_findings
from .keys import foreign_key_findings, key_findings
from .provenance import anchor_findings, load_articles, mention_findings
from .retain import Kept, coded_fields, key_only_fields, retained_fields


@dataclass
class Outcome:
    """One table as checked: its findings in the order found; the table, if read whole."""

    name: str
    found: list[Finding]
    table: "CheckedTable | None" = None


@dataclass
class CheckedTable:
    """One table as the run checks it: its pending findings and the columns kept."""

    name: str
    path: str
    schema: TableSchema
    keep: list[str]
    findings: list[Finding] = field(default_factory=list)
    store: Kept | None = None
    columns: list[str] | None = None
    checks: TableChecks | None = None
    kept: pd.DataFrame | None = None
    #: The rows were proved in key order with no blank and no repeated key (:class:`Kept`).
    in_order: bool = False
    structural: bool = False
    canonical_rendering: bool = True
    first_diff: int | None = None

    @property
    def columns_known(self) -> bool:
        return self.columns is not None

    def set_columns(self, columns) -> None:
        self.columns = list(columns)

    @property
    def complete(self) -> bool:
        return self.columns is not None and set(self.columns).issuperset(self.schema.field_names)

    # What completeness and provenance read of a table (``LoadedTable``'s names).
    @property
    def typed(self) -> pd.DataFrame:
        return self.kept


class Run:
    """The state of one validation run: the report so far, the schemas, the columns kept of
    each table read whole, the articles once read."""

    def __init__(self, pkg: Package, corpus: Path | None, reading: list[Finding], chunk_bytes: int | None = None):
        """With ``chunk_bytes`` (the tables are streamed from their files), the kept columns
        are compact: a table that :class:`Kept` cannot prove in key order is read again."""
        self.pkg, self.corpus, self.chunk_bytes = pkg, corpus, chunk_bytes
        self.report = Report(list(reading))
        self.schemas = {r.name: r.schema for r in pkg.resources if r.schema is not None}
        self.keep = retained_fields(self.schemas, corpus=corpus is not None)
        self.key_only = key_only_fields(self.schemas, corpus=corpus is not None) if chunk_bytes else {}
        self.coded = coded_fields(self.schemas) if chunk_bytes else {}
        self.tables: dict[str, CheckedTable] = {}  # read whole, in the order read
        #: Tables without a schema that foreign keys refer to: their rows as strings.
        self.untyped: dict[str, tuple[pd.DataFrame, str]] = {}
        self.articles: dict[str, str] | None = None
        self.source_table: CheckedTable | None = None
        self.applied: set[str] = set()  # the tables whose outcome is in the report

    def begin(self, name: str, path: str, schema: TableSchema, columns) -> CheckedTable:
        return CheckedTable(
            name, path, schema, self.keep.get(name, []), columns=list(columns) if columns is not None else None
        )

    def piece(self, t: CheckedTable, typed: pd.DataFrame, bad_cells: set) -> None:
        """Every check of one piece of rows that needs no other rows."""
        if t.checks is None:
            t.checks = TableChecks(t.schema, t.name, t.path, t.columns, self.schemas)
        t.findings += t.checks.rows(typed, bad_cells)
        if self.articles is not None:
            t.findings += anchor_findings(typed, t.schema, t.name, t.path, self.articles)
            t.findings += mention_findings(typed, t.schema, t.name, t.path, self.articles)
        if t.store is None:
            t.store = Kept(t.keep, self.coded.get(t.name, ()), t.schema.primary_key, self.key_only.get(t.name, ()))
        t.store.add(typed)

    def end(
        self, t: CheckedTable, structural: bool, canonical_rendering: bool, first_diff: int | None
    ) -> list[Finding]:
        """The table was read whole: keep its columns; its pending findings, returned."""
        if t.checks is None:
            t.checks = TableChecks(t.schema, t.name, t.path, t.columns, self.schemas)
        t.structural, t.canonical_rendering, t.first_diff = structural, canonical_rendering, first_diff
        store = t.store or Kept(t.keep)
        t.store = None
        if store.reread:  # a second pass, keeping every field the checks read, exactly
            store = self._reread(t.name)
        t.in_order = store.in_order
        t.kept = store.frame(t.columns)
        found, t.findings = _once(t.findings), []
        return found

    def apply(self, outcome: "Outcome") -> None:
        """One table's outcome into the report; the articles, if it lists them."""
        self.applied.add(outcome.name)
        self.report.extend(outcome.found)
        t = outcome.table
        if t is None:
            return
        if t.checks is None:  # checked in another process
            t.schema = self.schemas[t.name]
            t.checks = TableChecks(t.schema, t.name, t.path, t.columns, self.schemas)
        self.tables[t.name] = t
        if t.schema.corpus is not None and self.source_table is None and self.corpus is not None and t.complete:
            self.source_table = t
            self.articles, found = load_articles(t.kept, t.schema, t.name, self.corpus, t.path)
            self.report.extend(found)
            self.report.extend(anchor_findings(t.kept, t.schema, t.name, t.path, self.articles))
            self.report.extend(mention_findings(t.kept, t.schema, t.name, t.path, self.articles))

    def _reread(self, name: str) -> Kept:
        store = Kept(self.keep.get(name, []), self.coded.get(name, ()))
        for chunk in TableReader(self.pkg, self.pkg.resource(name), self.chunk_bytes or CHUNK_BYTES):
            store.add(chunk.typed)
        return store

    def finish(self) -> Report:
        """The checks of whole tables and across tables; the findings that follow from a
        table that could not be read are folded into its problem (:meth:`Report.fold`)."""
        report = self.report
        report.extend(descriptor_findings(self.pkg))
        complete = {n: t.kept for n, t in self.tables.items() if t.complete}
        unread = [r.name for r in self.pkg.resources if r.name not in complete]
        for t in self._in_package_order():
            report.extend(_depending(_once(t.checks.whole(t.kept, complete)), t.checks.table_rules, unread))
            report.extend(key_findings(t.kept, t.schema, t.name, t.path))
            if self.pkg.descriptor.get(CANONICAL_FILES) is True:
                report.extend(_canonical_findings(t))
        report.extend(
            foreign_key_findings(
                {**{n: f for n, (f, _) in self.untyped.items()}, **{n: t.kept for n, t in self.tables.items()}},
                {n: t.schema for n, t in self.tables.items()},
                {**{n: p for n, (_, p) in self.untyped.items()}, **{n: t.path for n, t in self.tables.items()}},
                {r.name for r in self.pkg.resources},
            )
        )
        if self.source_table is not None:
            from .completeness import completeness_findings

            found = completeness_findings(self.tables, self.articles, self.source_table)
            # a table that could not be read may have accounted for these (its schema may be unknown)
            accounting = [n for n in unread if self.schemas.get(n) is None or "x-covers" in self.schemas[n].descriptor]
            report.extend(replace(f, depends_on=accounting[0]) if accounting else f for f in found)
        report.extend(integrity_findings(self.pkg))
        report.order = report_order(self.pkg)
        folded = report.fold()
        folded.notes = report.notes
        return folded

    def _in_package_order(self) -> list[CheckedTable]:
        order = {r.name: i for i, r in enumerate(self.pkg.resources)}
        return sorted(self.tables.values(), key=lambda t: order.get(t.name, len(order)))


def report_order(pkg: Package) -> list[str]:
    """The tables in report order: each before the tables whose foreign keys refer to it,
    otherwise in the order of their files (a cycle keeps that order)."""
    refs = {
        r.name: {
            fk["resource"] for fk in (r.schema.foreign_keys if r.schema else []) if fk["resource"] not in ("", r.name)
        }
        for r in pkg.resources
    }
    pending = sorted(refs, key=lambda n: (pkg.resource(n).path, n))
    order: list[str] = []
    while pending:
        ready = next((n for n in pending if not (refs[n] & set(pending))), pending[0])
        order.append(ready)
        pending.remove(ready)
    return order


def _depending(findings: list[Finding], rules, unread: list[str]) -> list[Finding]:
    """Rule findings that read a table that could not be read depend on it."""
    reads = {r.type: [t for t, _ in sorted(r.reads or ()) if t in unread] for r in rules}
    return [replace(f, depends_on=reads[f.type][0]) if reads.get(f.type) else f for f in findings]


def _once(findings: list[Finding]) -> list[Finding]:
    """A check that raises does so on every piece: report it once per table."""
    seen, out = set(), []
    for f in findings:
        if f.type == "check-error":
            if (f.table, f.field, f.message) in seen:
                continue
            seen.add((f.table, f.field, f.message))
        out.append(f)
    return out


def _canonical_findings(t: CheckedTable) -> list[Finding]:
    if t.structural or not t.complete:
        return []
    moved = None if t.in_order else first_moved(t.kept, t.schema)
    lines = [x for x in (t.first_diff, moved) if x is not None]
    if not lines:
        return []
    line = min(lines)
    return [
        Finding(
            "not-canonical",
            f"file is not in canonical form (first difference at line {line}); run natodata fmt",
            table=t.name,
            path=t.path,
            line=line,
        )
    ]
