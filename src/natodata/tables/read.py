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
from ..model.dialect import Dialect
from ..model.tableschema import TableSchema, corpus_table
from .casting import cast_frame, constraint_problems
from .csvfile import CHUNK_BYTES, CsvStream, join_frames
from .source import table_source


@dataclass
class LoadedTable:
    name: str
    path: str
    schema: TableSchema
    raw: pd.DataFrame
    typed: pd.DataFrame
    bad_cells: set
    structural: bool  # the file had structural findings
    canonical_rendering: bool = False  # the file is the canonical rendering of ``raw`` in file order
    #: The first line where the file differs from the canonical rendering of ``raw`` in
    #: file order (None if it does not).
    first_diff: int | None = None
    #: The table is one plain file at ``path`` (not inline, several files or compressed),
    #: which the tools may rewrite.
    file_backed: bool = True
    #: The dialect and encoding the file was read with (the encoding as detected, if undeclared).
    dialect: Dialect | None = None

    @property
    def complete(self) -> bool:
        return all(f in self.typed.columns for f in self.schema.field_names)


@dataclass
class Loaded:
    package: Package
    tables: dict[str, LoadedTable] = field(default_factory=dict)
    report: Report = field(default_factory=Report)

    @property
    def sources(self) -> LoadedTable | None:
        """The table listing the articles (its schema has ``x-corpus``), if it was read."""
        name = corpus_table({n: t.schema for n, t in self.tables.items()})
        return None if name is None else self.tables[name]

    def blocking(self, table: LoadedTable) -> list[Finding]:
        """The table's structural findings that rewriting the file cannot repair."""
        return [
            f
            for f in self.report.findings
            if f.table == table.name and TYPES[f.type].structural and not TYPES[f.type].fixable
        ]


def _typed_schema_findings(pkg: Package, res) -> list[Finding]:
    base = "" if res.schema_path else f"/resources/{pkg.resources.index(res)}/schema"
    out = []
    for i, fld in enumerate(res.schema.fields):
        for ptr, message in constraint_problems(fld):
            out.append(
                Finding(
                    "schema-error",
                    f"field {fld.name!r}: {message}",
                    table=res.name,
                    path=res.schema_path or pkg.descriptor_path.name,
                    field=fld.name,
                    pointer=f"{base}/fields/{i}{ptr}",
                )
            )
    return out


@dataclass
class TypedChunk:
    """Some consecutive rows of a table, as read and as typed."""

    raw: pd.DataFrame
    typed: pd.DataFrame
    findings: list[Finding]  # the type errors
    bad_cells: set  # (line, field) of the cells that failed to convert


class TableReader:
    """One resource, read piece by piece: its schema's typing problems first
    (:attr:`findings`; a table with any is not read), then typed pieces of rows. After
    iterating, :attr:`stream` has the file's findings and verdicts."""

    def __init__(self, pkg: Package, res, chunk_bytes: int = CHUNK_BYTES):
        self.name, self.path, self.schema = res.name, res.path, res.schema
        # A constraint not of its field's type: the table cannot be checked as declared.
        self.findings = _typed_schema_findings(pkg, res) if res.schema is not None else []
        self.stream = None
        self.null_sequence = None
        self.file_backed = False
        if self.findings:
            return
        text, dialect, found = table_source(pkg, res)
        self.findings += found
        if text is None:
            return
        self.null_sequence = dialect.null_sequence
        self.file_backed = isinstance(text, Path)
        schema = res.schema
        self.stream = CsvStream(
            text,
            res.name,
            res.path,
            schema.field_names if schema is not None else None,
            dialect,
            canonical=pkg.descriptor.get(CANONICAL_FILES) is True,
            chunk_bytes=chunk_bytes,
            fields_match=schema.fields_match if schema is not None else "exact",
        )

    def __iter__(self):
        if self.stream is None:
            return
        for chunk in self.stream:
            if self.schema is None:  # a table without a schema: its raw strings only
                yield TypedChunk(chunk.frame, chunk.frame, [], set())
                continue
            typed, found, bad = cast_frame(chunk.frame, self.schema, self.name, self.path, self.null_sequence)
            yield TypedChunk(chunk.frame, typed, found, bad)

    @property
    def structural(self) -> bool:
        return self.stream is not None and any(TYPES[f.type].structural for f in self.stream.findings)


def read_tables(path: Path | str | None = None) -> Loaded:
    """Read the descriptor and every CSV, with the findings of reading them: unusable
    paths and schemas, structure and types. (``validate`` checks the rest.)"""
    pkg = load_package(path)
    loaded = Loaded(package=pkg)
    report = loaded.report
    report.extend(pkg.findings)
    for res in pkg.resources:
        if res.schema is None or not res.tabular or (res.file is None and not res.inline):
            continue
        reader = TableReader(pkg, res)
        report.extend(reader.findings)
        if reader.stream is None:
            continue
        chunks = list(reader)
        stream = reader.stream
        report.extend(stream.findings)
        if stream.dropped:
            continue
        raw = join_frames([c.raw for c in chunks], stream.names)
        if len(chunks) == 1:
            typed, bad = chunks[0].typed, chunks[0].bad_cells
        else:
            typed = (
                pd.concat([c.typed for c in chunks])
                if chunks
                else cast_frame(raw, res.schema, res.name, res.path, reader.null_sequence)[0]
            )
            bad = set().union(*(c.bad_cells for c in chunks))
        for c in chunks:
            report.extend(c.findings)
        loaded.tables[res.name] = LoadedTable(
            res.name,
            res.path,
            res.schema,
            raw,
            typed,
            bad,
            reader.structural,
            canonical_rendering=stream.canonical_rendering,
            first_diff=stream.first_diff,
            file_backed=reader.file_backed,
            dialect=stream.dialect,
        )
    return loaded
