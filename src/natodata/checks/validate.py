"""``validate``: every check over a package, collected into one :class:`~natodata.findings.Report`.

Orchestration only: the tables are read by :mod:`natodata.tables.read`; each kind of
check lives in its own module here.

A table is read and checked piece by piece (:class:`~natodata.tables.read.TableReader`),
so memory does not grow with the length of its files. Each piece gets the checks that
look at one row at a time: types, column constraints, cell checks, row rules and, with a
corpus, its anchors and mentions. Of each table only the columns the whole-table checks
read are kept (:mod:`natodata.checks.retain`): keys, references, the fields of the rules
that compare rows or tables. Once every table is read, those columns get uniqueness,
primary, unique and foreign keys, the table rules, canonical order and completeness.
The findings are the same whatever the size of the pieces.
"""

from __future__ import annotations

from contextlib import ExitStack, closing
from dataclasses import dataclass, field, replace
import sys
from pathlib import Path
from typing import Iterator

import pandas as pd

from ..errors import UnreadableInput
from ..findings import Finding, Report
from ..model.descriptor import CANONICAL_FILES, Package, load_package
from ..model.tableschema import TableSchema
from ..tables.canonical import first_moved
from ..tables.csvfile import CHUNK_BYTES, join_frames
from ..tables.read import Loaded, TableReader
from .constraints import TableChecks
from .descriptor import descriptor_findings
from .integrity import integrity_findings
from .keys import foreign_key_findings, key_findings
from .provenance import anchor_findings, load_articles, mention_findings
from .retain import Kept, coded_fields, key_only_fields, retained_fields
from ..workers import Child, balanced, cpu_count, read_ahead


def validate(
    path: Path | str | None = None,
    corpus: Path | str | None = None,
    chunk_bytes: int = CHUNK_BYTES,
    read_ahead_: bool = True,
    workers: int = 1,
) -> Report:
    """Read the package at ``path`` and run every check; with ``corpus``, the provenance
    checks against the articles too. Files are read about ``chunk_bytes`` at a time, the
    next piece on a worker thread while one is checked (``read_ahead_``). With
    ``workers`` above 1, tables are checked in up to that many processes at once (no
    more than the CPUs, and one for a package under :data:`PARALLEL_BYTES`); the report is
    the same whatever their number."""
    corpus = _corpus_dir(corpus)
    pkg = load_package(path)
    run = _Run(pkg, corpus, pkg.findings, chunk_bytes=chunk_bytes)
    tables = [res for res in pkg.resources if res.tabular and (res.file is not None or res.inline)]
    referenced = {fk["resource"] for r in pkg.resources if r.schema is not None for fk in r.schema.foreign_keys}
    for res in tables:
        if res.schema is None and not _schema_refused(pkg, res):
            found, frame = structure_findings(pkg, res, chunk_bytes, keep=res.name in referenced)
            run.report.extend(found)
            if frame is not None:
                run.untyped[res.name] = (frame, res.path)
            run.report.notes.append(
                f"{res.name}: the resource has no Table Schema; its structure was checked, "
                "its types and constraints were not"
            )
    readable = _corpus_first([res for res in tables if res.schema is not None], lambda r: r.schema)
    size = _size(readable)
    ahead = 1 if read_ahead_ and size >= READ_AHEAD_BYTES else 0  # noqa: E702
    bins = _share(readable, min(workers, cpu_count()) if size >= PARALLEL_BYTES and sys.executable else 1)
    if len(bins) < 2:
        for outcome in _outcomes(run, pkg, readable, chunk_bytes, ahead):
            run.apply(outcome)  # at once: the articles, if this was their table, are needed by the next
        return run.finish()
    with ExitStack() as stack:  # on any error or interruption, every child is ended
        children = [
            stack.enter_context(Child(_check_in_child, pkg, [r.name for r in share], run.corpus, chunk_bytes, ahead))
            for share in bins[1:]
        ]
        done: dict[str, _Outcome] = {}
        own = bins[0]
        if own and own[0] is readable[0] and readable[0].schema.corpus is not None and run.corpus is not None:
            for outcome in _outcomes(run, pkg, own[:1], chunk_bytes, ahead):  # the articles first
                run.apply(outcome)
                done[outcome.name] = outcome
            own = own[1:]
        for child in children:
            child.send(run.articles)
        done.update((o.name, o) for o in _outcomes(run, pkg, own, chunk_bytes, ahead))
        for child in children:
            done.update((o.name, o) for o in child.results())
    for res in readable:  # in the order one process would have read them
        if res.name in done and res.name not in run.applied:
            run.apply(done[res.name])
    return run.finish()


def _check_in_child(pkg: Package, names: list[str], corpus: Path | None, chunk_bytes: int, ahead: int, inbox, outbox):
    """A child process's share of the tables: each table's outcome, as soon as it is checked."""
    from ..runtime import prepare

    prepare()  # noqa: E702 - this process is ours: set up as the CLI sets itself up
    run = _Run(pkg, corpus, [], chunk_bytes=chunk_bytes)
    run.articles = inbox.get()
    for outcome in _outcomes(run, pkg, [pkg.resource(n) for n in names], chunk_bytes, ahead):
        if outcome.table is not None:  # pandera's checks do not travel; the caller builds its own
            outcome.table.checks = None
        outbox.put(outcome)


#: Below this many bytes of CSV, one process checks every table (another costs 130 MB and its imports).
PARALLEL_BYTES = 64 * 1024**2


def _share(resources: list, n: int) -> list[list]:
    """``resources`` in up to ``n`` shares of about equal size, each in reading order; the
    first share, this process's, starts with the table listing the articles."""
    return balanced(
        resources, n, lambda r: _size([r]), 1 if resources and resources[0].schema.corpus is not None else 0
    )


def _outcomes(run: "_Run", pkg: Package, resources: list, chunk_bytes: int, ahead: int) -> Iterator["_Outcome"]:
    """Each table of ``resources`` read and checked piece by piece, as one outcome per table
    (the next piece is read on a worker thread with ``ahead``)."""
    table, outcome = None, None
    events = read_ahead(_pieces(pkg, resources, chunk_bytes), ahead=ahead)
    with closing(events):  # on an error, the worker thread is stopped before it goes up
        for event, res, item in events:
            if event == "begin":
                outcome = _Outcome(res.name, list(item.findings))  # the schema's typing problems
                table = run.begin(res.name, res.path, res.schema, None) if item.stream is not None else None
            elif event == "piece":
                if not table.columns_known:
                    table.set_columns(item.typed.columns)
                table.findings += item.findings
                run.piece(table, item.typed, item.bad_cells)
            else:
                if table is not None:  # the end of a table that was read
                    stream = item.stream
                    outcome.found += stream.findings
                    if not stream.dropped:
                        if not table.columns_known:  # no rows: the header's fields
                            table.set_columns([f for f in res.schema.field_names if f in stream.names])
                        outcome.found += run.end(table, item.structural, stream.canonical_rendering, stream.first_diff)
                        outcome.table = table
                yield outcome


#: Below this many bytes of CSV, handing pieces between threads costs more than it saves.
READ_AHEAD_BYTES = 16 * 1024**2


def _size(resources: list) -> int:
    total = 0
    for res in resources:
        try:
            total += sum(f.stat().st_size for f in res.files)
        except OSError:
            pass
    return total


def _schema_refused(pkg: Package, res) -> bool:
    """The resource declares a schema that did not pass the gate (a finding says why)."""
    return "schema" in res.descriptor


def structure_findings(
    pkg: Package, res, chunk_bytes: int = CHUNK_BYTES, keep: bool = False
) -> tuple[list[Finding], pd.DataFrame | None]:
    """A table without a schema: every structural check (encoding, dialect, blank and
    repeated labels, blank and ragged rows), no types. With ``keep`` (another table's
    foreign key refers to it), its rows too, as strings."""
    reader = TableReader(pkg, res, chunk_bytes)
    frames = [chunk.raw for chunk in reader if keep]
    found = reader.findings + (reader.stream.findings if reader.stream is not None else [])
    if not keep or reader.stream is None or reader.stream.dropped:
        return found, None
    return found, join_frames(frames, reader.stream.names)


def _pieces(pkg: Package, resources: list, chunk_bytes: int):
    """Every table's reading, as events: ``begin``, each ``piece`` of typed rows, ``end``."""
    for res in resources:
        reader = TableReader(pkg, res, chunk_bytes)
        yield "begin", res, reader
        for chunk in reader:
            yield "piece", res, chunk
        yield "end", res, reader


def validate_loaded(loaded: Loaded, corpus: Path | str | None = None) -> Report:
    """Run every check on a package already read whole by :func:`read_tables`. The
    reading findings come first; ``loaded`` itself is left unchanged, so a caller that
    reads once (``publish``) can check, compare and write the very same tables."""
    run = _Run(loaded.package, _corpus_dir(corpus), loaded.report.findings)
    for t in _corpus_first(list(loaded.tables.values()), lambda t: t.schema):
        table = run.begin(t.name, t.path, t.schema, list(t.typed.columns))
        run.piece(table, t.typed, t.bad_cells)
        run.apply(_Outcome(t.name, run.end(table, t.structural, t.canonical_rendering, t.first_diff), table))
    return run.finish()


def _corpus_dir(corpus: Path | str | None) -> Path | None:
    if corpus is None:
        return None
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise UnreadableInput(f"corpus directory not found: {corpus}")
    return corpus


def _corpus_first(items: list, schema_of) -> list:
    """The table listing the articles goes first: the anchors of the others are checked
    against its articles as they are read."""
    return sorted(items, key=lambda x: schema_of(x).corpus is None)


@dataclass
class _Outcome:
    """One table as checked: its findings in the order found; the table, if read whole."""

    name: str
    found: list[Finding]
    table: "_Table | None" = None


@dataclass
class _Table:
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


class _Run:
    def __init__(self, pkg: Package, corpus: Path | None, reading: list[Finding], chunk_bytes: int | None = None):
        """With ``chunk_bytes`` (the tables are streamed from their files), the kept columns
        are compact: a table that :class:`Kept` cannot prove in key order is read again."""
        self.pkg, self.corpus, self.chunk_bytes = pkg, corpus, chunk_bytes
        self.report = Report(list(reading))
        self.schemas = {r.name: r.schema for r in pkg.resources if r.schema is not None}
        self.keep = retained_fields(self.schemas, corpus=corpus is not None)
        self.key_only = key_only_fields(self.schemas, corpus=corpus is not None) if chunk_bytes else {}
        self.coded = coded_fields(self.schemas) if chunk_bytes else {}
        self.tables: dict[str, _Table] = {}  # read whole, in the order read
        #: Tables without a schema that foreign keys refer to: their rows as strings.
        self.untyped: dict[str, tuple[pd.DataFrame, str]] = {}
        self.articles: dict[str, str] | None = None
        self.source_table: _Table | None = None
        self.applied: set[str] = set()  # the tables whose outcome is in the report

    def begin(self, name: str, path: str, schema: TableSchema, columns) -> _Table:
        return _Table(
            name, path, schema, self.keep.get(name, []), columns=list(columns) if columns is not None else None
        )

    def piece(self, t: _Table, typed: pd.DataFrame, bad_cells: set) -> None:
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

    def end(self, t: _Table, structural: bool, canonical_rendering: bool, first_diff: int | None) -> list[Finding]:
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

    def apply(self, outcome: "_Outcome") -> None:
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

    def _in_package_order(self) -> list[_Table]:
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


def _canonical_findings(t: _Table) -> list[Finding]:
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
