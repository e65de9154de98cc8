"""Reading one CSV file, piece by piece: its structure checks and frames of raw strings.

A file is read in pieces of whole records (about :data:`CHUNK_BYTES` each), so memory
stays flat however long the file is. Each piece is read the fast way when
:mod:`natodata.tables.fastcsv` can prove that is exact, and the exact way (Python's
:mod:`csv` module) otherwise; either way its frame is what reading the whole file at once
gives for those records. Each frame's index is the file's 1-based line number of each
record (header = line 1), so every later check can report lines without any arithmetic.

:class:`CsvStream` yields the pieces; :func:`read_csv` gathers them into one frame. The
exact way is :mod:`natodata.tables.csvexact`'s.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from ..findings import Finding
from ..model.dialect import Dialect
from ..safeio import open_regular
from .csvexact import MAX_CELL_CHARS, Chunk, ExactReading, Fatal, NeedMore, is_utf8, record_end
from .fastcsv import parse_canonical, string_dtype_is_arrow, to_frame, writer_bytes
from .header import header_findings

MAX_FILE_BYTES = 2 * 1024**3
#: About how many bytes of a file are read, parsed and checked at a time.
CHUNK_BYTES = 16 * 1024**2
#: A piece that is not canonical is narrowed down to about this many bytes before it is
#: read the exact way.
_SMALL_PIECE = 64 * 1024


class CsvStream(ExactReading):
    """The pieces of one CSV file, as :class:`Chunk` s; after iterating, the file's
    findings and verdicts. ``dialect`` is what the descriptor declares (default:
    natodata's own: comma, double quotes, UTF-8). With ``canonical`` (the package sets
    ``x-canonicalFiles``), a BOM and CR line endings are findings; otherwise a UTF-8 BOM
    is dropped and CRLF accepted, as the Table Schema spec's CSV dialect allows.

    When :attr:`dropped` is true at the end, the file could not be read as a whole (an
    encoding error, a NUL, malformed CSV, no header): its rows must not be used, as if
    none had been read."""

    def __init__(
        self,
        file: Path | bytes,
        table: str,
        path: str,
        expected: list[str] | None,
        dialect: Dialect | None = None,
        canonical: bool = True,
        chunk_bytes: int = CHUNK_BYTES,
        fields_match: str = "exact",
    ):
        self.file, self.table, self.path = file, table, path
        #: The schema's fields; None for a table without a schema (its header is its own).
        self.expected = list(expected) if expected is not None else None
        self.fields_match = fields_match
        self.dialect = dialect or Dialect()
        self._record = 0  # records read so far, header and comment rows included
        self._header_parts: list[list[str]] = []
        self.canonical, self.chunk_bytes = canonical, max(1, chunk_bytes)
        self.findings: list[Finding] = []
        self.header: list[str] | None = None
        self.dropped = False
        #: Every record was read the fast way: the file is byte for byte the canonical
        #: rendering of its rows in file order (see :mod:`natodata.tables.fastcsv`).
        self.canonical_rendering = True
        #: The first line where the file differs from the canonical rendering of its rows in
        #: file order (None if it does not): known for pieces read the exact way.
        self.first_diff: int | None = None
        self._names: list[str] = []
        self._cols: list[int] = []
        self._work: np.ndarray | None = None
        if not self.dialect.header and self.expected is not None:  # no header row: fields map by order
            self.header = list(self.expected)
            self._set_columns()

    def __iter__(self) -> Iterator[Chunk]:
        try:
            yield from self._read()
        except Fatal:
            self.dropped = True
            return
        if not self._header_ok():
            self._finding("header-error", "file has no header line", line=1)
            self.dropped = True
            return
        self._check_header()

    # --- the file, from the top --------------------------------------------------

    def _read(self) -> Iterator[Chunk]:
        try:
            if isinstance(self.file, bytes):  # a table natodata.tables.source put together
                fh, size = io.BytesIO(self.file), len(self.file)
            else:
                fh = open_regular(self.file)  # a regular file, asked of the open file; a FIFO cannot block
                size = os.fstat(fh.fileno()).st_size
            if size > MAX_FILE_BYTES:
                fh.close()
                self._finding("file-too-large", f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")
                raise Fatal
        except OSError as exc:
            self._finding("file-unreadable", f"cannot read file: {exc.strerror or exc}")
            raise Fatal from None
        with fh:
            header = self._fast_header()
            try:
                head = fh.read(max(self.chunk_bytes, len(header or b"")))
            except OSError as exc:
                self._finding("file-unreadable", f"cannot read file: {exc.strerror or exc}")
                raise Fatal from None
            if not head:
                self._finding("empty-file", "file is empty; it needs at least a header line")
                raise Fatal
            if header is not None and head.startswith(header):
                self.header = list(self.expected)
                self._set_columns()
                yield from self._fast(fh, head[len(header) :], line=2)
            else:
                yield from self._exact(fh, head, line=1, at_start=True)

    def _fast_header(self) -> bytes | None:
        """The header's bytes when the fast path may read this file at all, else None."""
        if self.expected is None or self.fields_match != "exact" or not self.dialect.plain_rows:
            return None
        n = len(self.expected)
        # A sole field gets the writer's special quoting of empty rows.
        if not self.dialect.default or n < 2 or len(set(self.expected)) != n or not string_dtype_is_arrow():
            return None
        try:
            return writer_bytes(self.expected)
        except UnicodeEncodeError:
            return None

    def _scratch(self, size: int) -> np.ndarray:
        """A boolean work array for the fast path, reused from piece to piece."""
        if self._work is None or len(self._work) < size:
            self._work = np.empty(max(size, self.chunk_bytes + (self.chunk_bytes >> 2)), dtype=bool)
        return self._work

    # --- the fast way ------------------------------------------------------------

    def _fast(self, fh, data: bytes, line: int) -> Iterator[Chunk]:
        eof = False
        while True:
            if not eof and len(data) < self.chunk_bytes:
                more = self._more(fh, self.chunk_bytes - len(data))
                eof = not more
                data += more
            if not data:
                return
            # Cut after the last line break: a canonical piece ends a record there (were
            # the break inside a quoted cell, the piece's marks would not pair up and the
            # fast path would refuse it).
            cut = len(data) if eof else data.rfind(b"\n") + 1
            if cut == 0:  # no line break yet
                more = self._more(fh)
                eof = not more
                data += more
                continue
            parsed = parse_canonical(data, cut, self.expected, MAX_CELL_CHARS, line, self._scratch(cut))
            if parsed is not None:
                data = data[cut:]
                yield Chunk(to_frame(parsed.table, self.expected, parsed.lines), True)
                line += parsed.newlines
                continue
            if not eof:  # read the exact way up to the last break outside quotation marks
                cut = record_end(data)
                if cut is None:
                    more = self._more(fh)
                    eof = not more
                    data += more
                    continue
            piece, data = data[:cut], data[cut:]
            self.canonical_rendering = False
            if b"\r" in piece or b"\x00" in piece or not is_utf8(piece):
                # Problems of the file as a whole: the rest of it is read the exact way.
                fh.seek(fh.tell() - len(piece) - len(data))
                yield from self._exact(fh, b"", line=line, at_start=False)
                return
            # This piece is not canonical somewhere. Narrow that down by halves (a half
            # that passes is read the fast way), read the small rest the exact way, then
            # go on fast: one needless quotation mark costs a few kilobytes read slowly.
            while len(piece) > _SMALL_PIECE:
                half = record_end(piece[: len(piece) // 2])
                if not half:
                    break
                parsed = parse_canonical(piece, half, self.expected, MAX_CELL_CHARS, line, self._scratch(half))
                if parsed is None:
                    piece, data = piece[:half], piece[half:] + data
                    continue
                yield Chunk(to_frame(parsed.table, self.expected, parsed.lines), True)
                line += parsed.newlines
                piece = piece[half:]
            while True:
                try:
                    chunk, used = self._parse(piece.decode("utf-8"), line, final=eof and not data)
                    break
                except NeedMore:  # a quoted cell runs on past the piece: add the next lines
                    while not eof and (len(data) < self.chunk_bytes or b"\n" not in data):
                        more = self._more(fh)
                        eof = not more
                        data += more
                    cut = len(data) if eof else data.rfind(b"\n") + 1
                    piece, data = piece + data[:cut], data[cut:]
            line += used
            if chunk is not None:
                yield chunk

    # --- the header ------------------------------------------------------------------

    def _check_header(self) -> None:
        if self.dialect.header:
            for type_, message, name in header_findings(self.header, self.expected, self.fields_match):
                self._finding(type_, message, line=1, field=name, value=name if type_ == "extra-label" else None)

    @property
    def names(self) -> list[str]:
        """The frame's columns: the header's fields, each once."""
        return list(self._names)


@dataclass
class CsvTable:
    """What could be read of one CSV file, as a whole."""

    header: list[str] | None = None
    frame: pd.DataFrame | None = None  # raw strings, indexed by line number
    findings: list[Finding] = field(default_factory=list)
    #: The file is byte for byte the canonical rendering of ``frame`` in file order.
    canonical_rendering: bool = False
    #: The first line where the file differs from that rendering (None if it does not).
    first_diff: int | None = None


def read_csv(
    file: Path,
    table: str,
    path: str,
    expected: list[str],
    dialect: Dialect | None = None,
    canonical: bool = True,
    chunk_bytes: int = CHUNK_BYTES,
) -> CsvTable:
    """Read one CSV file whole: every piece of :class:`CsvStream`, in one frame."""
    stream = CsvStream(file, table, path, expected, dialect, canonical, chunk_bytes)
    frames = [c.frame for c in stream]
    out = CsvTable(findings=stream.findings)
    if stream.dropped:
        return out
    out.header, out.canonical_rendering, out.first_diff = stream.header, stream.canonical_rendering, stream.first_diff
    out.frame = join_frames(frames, stream.names)
    return out


def join_frames(frames: list[pd.DataFrame], names: list[str]) -> pd.DataFrame:
    if len(frames) == 1:
        return frames[0]
    if not frames:
        return pd.DataFrame({n: [] for n in names}, index=pd.Index([], dtype="int64", name="line"), dtype="str")
    return pd.concat(frames)
