"""``validate``: every check over a package, collected into one :class:`~natodata.findings.Report`.

Orchestration only: which tables are read, in what order and in which process. The
tables are read by :mod:`natodata.tables.read`; the run's state, which gives each piece
and each whole table its checks, is :mod:`natodata.checks.run`; each kind of check lives
in its own module here.

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
import sys
from pathlib import Path
from typing import Iterator

import pandas as pd

from ..errors import UnreadableInput
from ..findings import Finding, Report
from ..model.descriptor import Package, load_package
from ..tables.csvfile import CHUNK_BYTES, join_frames
from ..tables.read import Loaded, TableReader
from .run import Outcome, Run, report_order as report_order
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
    run = Run(pkg, corpus, pkg.findings, chunk_bytes=chunk_bytes)
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
        done: dict[str, Outcome] = {}
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
    run = Run(pkg, corpus, [], chunk_bytes=chunk_bytes)
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


def _outcomes(run: "Run", pkg: Package, resources: list, chunk_bytes: int, ahead: int) -> Iterator["Outcome"]:
    """Each table of ``resources`` read and checked piece by piece, as one outcome per table
    (the next piece is read on a worker thread with ``ahead``)."""
    table, outcome = None, None
    events = read_ahead(_pieces(pkg, resources, chunk_bytes), ahead=ahead)
    with closing(events):  # on an error, the worker thread is stopped before it goes up
        for event, res, item in events:
            if event == "begin":
                outcome = Outcome(res.name, list(item.findings))  # the schema's typing problems
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
    run = Run(loaded.package, _corpus_dir(corpus), loaded.report.findings)
    for t in _corpus_first(list(loaded.tables.values()), lambda t: t.schema):
        table = run.begin(t.name, t.path, t.schema, list(t.typed.columns))
        run.piece(table, t.typed, t.bad_cells)
        run.apply(Outcome(t.name, run.end(table, t.structural, t.canonical_rendering, t.first_diff), table))
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
