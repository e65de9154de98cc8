"""Reading one CSV file, piece by piece: its structure checks and frames of raw strings.

A file is read in pieces of whole records (about :data:`CHUNK_BYTES` each), so memory
stays flat however long the file is. Each piece is read the fast way when
:mod:`natodata.tables.fastcsv` can prove that is exact, and the exact way (Python's
:mod:`csv` module) otherwise; either way its frame is what reading the whole file at once
gives for those records. Each frame's index is the file's 1-based line number of each
record (header = line 1), so every later check can report lines without any arithmetic.

:class:`CsvStream` yields the pieces; :func:`read_csv` gathers them into one frame.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from ..findings import Finding
from ..model.dialect import Dialect
from ..safeio import open_regular
from .fastcsv import (
    RowWriter,
    parse_canonical,
    string_dtype_is_arrow,
    to_frame,
    writer_bytes,
)
from .header import detect_encoding, header_findings, join_header_rows

MAX_CELL_CHARS = 100_000
MAX_FILE_BYTES = 2 * 1024**3
#: About how many bytes of a file are read, parsed and checked at a time.
CHUNK_BYTES = 16 * 1024**2
_BOM = b"\xef\xbb\xbf"
#: A piece that is not canonical is narrowed down to about this many bytes before it is
#: read the exact way.
_SMALL_PIECE = 64 * 1024
#: Findings about single records: a file that cannot be decoded as a whole has none.
_ROW_FINDINGS = frozenset({"blank-row", "extra-cell", "missing-cell"})


@dataclass
class Chunk:
    """Some consecutive records of a file."""

    frame: pd.DataFrame  # raw strings, indexed by line number
    #: The records' bytes are exactly csv.writer's rendering of ``frame`` (read the fast way).
    verbatim: bool


class _Fatal(Exception):
    """The file cannot be read as a whole: what was read of it must be dropped."""


class _NeedMore(Exception):
    """A piece ended inside a quoted cell: it needs the text that follows."""


class CsvStream:
    """The pieces of one CSV file, as :class:`Chunk` s; after iterating, the file's
    findings and verdicts. ``dialect`` is what the descriptor declares (default:
    natodata's own: comma, double quotes, UTF-8). With ``canonical`` (the package sets
    ``x-canonicalFiles``), a BOM and CR line endings are findings; otherwise a UTF-8 BOM
    is dropped and CRLF accepted, as the Table Schema spec's CSV dialect allows.

    When :attr:`dropped` is true at the end, the file could not be read as a whole (an
    encoding error, a NUL, malformed CSV, no header): its rows must not be used, as if
    none had been read."""

    def __init__(self, file: Path | bytes, table: str, path: str, expected: list[str] | None,
                 dialect: Dialect | None = None, canonical: bool = True, chunk_bytes: int = CHUNK_BYTES,
                 fields_match: str = "exact"):
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
        self.verbatim = True
        #: The first line where the file differs from the canonical rendering of its rows in
        #: file order (None if it does not): known for pieces read the exact way.
        self.first_diff: int | None = None
        self._names: list[str] = []
        self._cols: list[int] = []
        self._work: np.ndarray | None = None
        if not self.dialect.header and self.expected is not None:  # no header row: fields map by order
            self.header = list(self.expected)
            self._set_columns()

    def _finding(self, type_, message, line=None, field=None, value=None, into=None):
        (self.findings if into is None else into).append(
            Finding(type_, message, table=self.table, path=self.path, line=line, field=field, value=value))

    def __iter__(self) -> Iterator[Chunk]:
        try:
            yield from self._read()
        except _Fatal:
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
                raise _Fatal
        except OSError as exc:
            self._finding("file-unreadable", f"cannot read file: {exc.strerror or exc}")
            raise _Fatal from None
        with fh:
            header = self._fast_header()
            try:
                head = fh.read(max(self.chunk_bytes, len(header or b"")))
            except OSError as exc:
                self._finding("file-unreadable", f"cannot read file: {exc.strerror or exc}")
                raise _Fatal from None
            if not head:
                self._finding("empty-file", "file is empty; it needs at least a header line")
                raise _Fatal
            if header is not None and head.startswith(header):
                self.header = list(self.expected)
                self._set_columns()
                yield from self._fast(fh, head[len(header):], line=2)
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

    def _more(self, fh, size: int | None = None) -> bytes:
        try:
            return fh.read(size or self.chunk_bytes)
        except OSError as exc:
            self._finding("file-unreadable", f"cannot read file: {exc.strerror or exc}")
            raise _Fatal from None

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
                cut = _record_end(data)
                if cut is None:
                    more = self._more(fh)
                    eof = not more
                    data += more
                    continue
            piece, data = data[:cut], data[cut:]
            self.verbatim = False
            if b"\r" in piece or b"\x00" in piece or not _is_utf8(piece):
                # Problems of the file as a whole: the rest of it is read the exact way.
                fh.seek(fh.tell() - len(piece) - len(data))
                yield from self._exact(fh, b"", line=line, at_start=False)
                return
            # This piece is not canonical somewhere. Narrow that down by halves (a half
            # that passes is read the fast way), read the small rest the exact way, then
            # go on fast: one needless quotation mark costs a few kilobytes read slowly.
            while len(piece) > _SMALL_PIECE:
                half = _record_end(piece[:len(piece) // 2])
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
                except _NeedMore:  # a quoted cell runs on past the piece: add the next lines
                    while not eof and (len(data) < self.chunk_bytes or b"\n" not in data):
                        more = self._more(fh)
                        eof = not more
                        data += more
                    cut = len(data) if eof else data.rfind(b"\n") + 1
                    piece, data = piece + data[:cut], data[cut:]
            line += used
            if chunk is not None:
                yield chunk

    # --- the exact way -------------------------------------------------------------

    def _exact(self, fh, data: bytes, line: int, at_start: bool) -> Iterator[Chunk]:
        """Read the rest of the file (from ``fh``'s position, after ``data``) with Python's
        csv module, after the checks that concern the text as a whole."""
        self.verbatim = False
        start = fh.tell() - len(data)
        if at_start and data.startswith(_BOM) and self.dialect.encoding == "utf-8":
            if self.canonical:
                self._finding("encoding-bom", "file starts with a UTF-8 byte order mark (BOM); save it as UTF-8 without BOM", line=1)
            start += len(_BOM)
        self._scan(fh, start, line)
        fh.seek(start)
        decoder = codecs.getincrementaldecoder(self.dialect.encoding)()
        text, eof = "", False
        while True:
            if not eof:
                raw = self._more(fh)
                eof = not raw
                text += decoder.decode(raw, final=eof)
            if not text:
                if eof:
                    return
                continue
            cut = len(text) if eof else text.rfind("\n") + 1
            if cut == 0:  # no line break yet
                continue
            piece = text[:cut]
            try:
                chunk, used = self._parse(piece, line, final=eof and cut == len(text))
            except _NeedMore:
                if eof:  # cannot happen: a final piece raises its error instead
                    raise
                raw = self._more(fh)
                eof = not raw
                text += decoder.decode(raw, final=eof)
                continue
            text = text[cut:]
            line += used
            if chunk is not None:
                yield chunk

    def _scan(self, fh, start: int, line: int) -> None:
        """The findings about the text from ``start`` on as a whole: an encoding error
        (fatal), CR line endings, a NUL (fatal). ``line`` is the line at ``start``."""
        fh.seek(start)
        decoder = codecs.getincrementaldecoder(self.dialect.encoding)()
        newlines, fed = 0, start
        first_cr = bare_cr = nul = None  # lines
        # A CR inside a quoted cell is content, not a line ending: quotation marks are counted
        # (with an escape character, every CR counts).
        quote = self.dialect.quote_char if self.dialect.escape_char is None else None
        quotes = 0
        carry = ""  # a CR at the end of the text so far: whether LF follows is not known yet
        while True:
            raw = self._more(fh)
            final = not raw
            try:
                text = carry + decoder.decode(raw, final=final)
            except UnicodeDecodeError as exc:
                if not self.dialect.encoding_declared and not self.canonical:
                    detected = detect_encoding(fh, start)
                    if detected is not None and detected != self.dialect.encoding:
                        self.dialect = replace(self.dialect, encoding=detected)
                        return self._scan(fh, start, line)
                at = fed - (len(exc.object) - len(raw)) + exc.start  # offset in the file
                fh.seek(start)
                where = line + self._count_newlines(fh, at - start)
                declared = "UTF-8" if self.dialect.encoding == "utf-8" else f"{self.dialect.encoding}, its declared encoding"
                self._finding("encoding-error", f"file is not valid {declared}: byte 0x{exc.object[exc.start]:02x} at line {where} "
                              "cannot be decoded", line=where)
                self.findings = [f for f in self.findings if f.type not in _ROW_FINDINGS]
                raise _Fatal from None
            fed += len(raw)
            carry = ""
            if not final and text.endswith("\r"):
                carry, text = "\r", text[:-1]
            if self.canonical and "\r" in text and (first_cr is None or bare_cr is None):
                first_cr, bare_cr = self._crs(text, quotes, line + newlines, first_cr, bare_cr)
            if quote is not None:
                quotes += text.count(quote)
            if nul is None and "\x00" in text:
                nul = line + newlines + text.count("\n", 0, text.index("\x00"))
            newlines += text.count("\n")
            if final:
                break
        # Line endings are natodata's own rule (x-canonicalFiles): otherwise LF, CRLF and CR
        # all end records, and a CR inside a quoted cell is content.
        if first_cr is not None and self.canonical:
            crlf_ok = self.dialect.line_terminator == "\r\n"
            if not crlf_ok or bare_cr is not None:
                self._finding("line-ending", "file has CR or CRLF line endings; use LF only" if not crlf_ok else
                              "file has a CR line ending not followed by LF", line=first_cr if not crlf_ok else bare_cr)
        if nul is not None:
            self._finding("csv-error", "file contains a NUL character", line=nul)
            self.findings = [f for f in self.findings if f.type not in _ROW_FINDINGS]
            raise _Fatal

    def _crs(self, text: str, quotes: int, line: int, first_cr, bare_cr):
        """The lines of the first CR and the first CR not followed by LF outside quoted
        cells in ``text`` (which starts on ``line`` after ``quotes`` quotation marks), given
        those found so far."""
        quote, pos, count = self.dialect.quote_char if self.dialect.escape_char is None else None, 0, quotes
        i = text.find("\r")
        while i >= 0 and (first_cr is None or bare_cr is None):
            if quote is not None:
                count += text.count(quote, pos, i)
                pos = i
            if count % 2 == 0:
                at = line + text.count("\n", 0, i)
                first_cr = at if first_cr is None else first_cr
                if bare_cr is None and not text.startswith("\n", i + 1):
                    bare_cr = at
            i = text.find("\r", i + 1)
        return first_cr, bare_cr

    def _count_newlines(self, fh, n: int) -> int:
        count = 0
        while n > 0:
            raw = fh.read(min(n, self.chunk_bytes))
            if not raw:
                break
            count += raw.count(b"\n")
            n -= len(raw)
        return count

    def _parse(self, text: str, line: int, final: bool) -> tuple[Chunk | None, int]:
        """Parse whole records of ``text`` (starting on ``line``) the exact way. Returns
        the chunk of good rows (None if there are none or the header is unusable) and
        how many lines the text holds. Raises _NeedMore when the text ends inside a
        quoted cell and more follows, _Fatal on malformed CSV."""
        found: list[Finding] = []
        rows: list[list[str]] = []
        lines: list[int] = []
        had_header = self.header is not None
        header = self.header
        prev = 0
        plain = self.dialect.plain_rows
        skip_blank = self.dialect.skip_blank_rows
        # A piece parsed again with more text (_NeedMore) must count its records once.
        saved = (self._record, len(self._header_parts), self.header, list(self._names), list(self._cols))
        reader = csv.reader(io.StringIO(text, newline=""), strict=True, **self.dialect.reader_options())
        with _field_size_limit(MAX_CELL_CHARS):
            try:
                for record in reader:
                    start = line + prev
                    prev = reader.line_num
                    self._record += 1
                    if not plain:
                        kept = self._dialect_row(record)
                        if kept is None:
                            continue
                        header = self.header
                        if kept == "header":
                            continue
                    elif header is None:
                        header = [h.strip() for h in record]  # labels are trimmed, as frictionless does
                        continue
                    if all(c == "" for c in record):
                        if not skip_blank:  # frictionless's skipBlankRows drops them
                            self._finding("blank-row", "blank row", line=start, into=found)
                        continue
                    n = len(header)
                    if len(record) != n:
                        kind = "extra-cell" if len(record) > n else "missing-cell"
                        self._finding(kind, f"row has {len(record)} cells; the header has {n}", line=start, into=found)
                        continue
                    rows.append(record)
                    lines.append(start)
            except csv.Error as exc:
                msg = str(exc)
                if not final and msg == "unexpected end of data":
                    self._record, n, self.header, self._names, self._cols = saved
                    del self._header_parts[n:]
                    raise _NeedMore from None
                self.findings += found
                at = line + prev
                if "field larger than field limit" in msg:
                    self._finding("cell-too-large", f"a cell is longer than {MAX_CELL_CHARS} characters; reading stopped here", line=at)
                else:
                    self._finding("csv-error", f"malformed CSV: {msg}; reading stopped here", line=at)
                raise _Fatal from None
        self.findings += found
        if not had_header and plain:
            self.header = header
            self._set_columns()
        used = text.count("\n") if "\r" not in text else _line_count(text)
        if self.canonical and plain and self.first_diff is None and not found and self._header_ok():
            self._first_difference(text, rows, line, with_header=not had_header)
        if not self._header_ok():
            return None, used
        frame = pd.DataFrame({name: [r[i] for r in rows] for name, i in zip(self._names, self._cols)},
                             index=pd.Index(lines, dtype="int64", name="line"), dtype="str")
        return (Chunk(frame, False) if rows else None), used

    def _dialect_row(self, record: list[str]) -> str | None:
        """A record under the dialect's header and comment rows: None for a comment row or
        a row before the data, ``"header"`` once the header is complete (it is then
        :attr:`header`), ``"data"`` for a row of data. Row numbers count records from 1,
        header and comment rows included, as Table Dialect's ``headerRows`` and
        ``commentRows`` do."""
        d, n = self.dialect, self._record
        if (d.comment_char is not None and record and record[0].startswith(d.comment_char)) or n in d.comment_rows:
            return None
        if d.header and n in d.header_rows:
            self._header_parts.append([c.strip() for c in record])
            if n == d.header_rows[-1]:
                self.header = join_header_rows(self._header_parts, d.header_join)
                self._set_columns()
                return "header"
            return None
        if d.header and n < d.header_rows[-1]:
            return None
        if self.header is None:  # no header row: fields are named by position
            self.header = [f"field{i}" for i in range(1, len(record) + 1)]
            self._set_columns()
        return "data"

    def _first_difference(self, text: str, rows: list[list[str]], line: int, with_header: bool) -> None:
        buf = io.StringIO()
        w = RowWriter(buf)
        if with_header:
            w.writerow(self.expected)
        w.writerows(rows)
        canon = buf.getvalue()
        if canon != text:
            self.first_diff = line - 1 + first_difference(text, canon)

    # --- the header ------------------------------------------------------------------

    def _header_ok(self) -> bool:
        return self.header is not None and self.header != [] and self.header != [""]

    def _set_columns(self) -> None:
        seen: set[str] = set()
        self._cols, self._names = [], []
        for i, h in enumerate(self.header or []):
            if h not in seen and h != "":
                seen.add(h)
                self._cols.append(i)
                self._names.append(h)

    def _check_header(self) -> None:
        if self.dialect.header:
            for type_, message, name in header_findings(self.header, self.expected, self.fields_match):
                self._finding(type_, message, line=1, field=name, value=name if type_ == "extra-label" else None)

    @property
    def names(self) -> list[str]:
        """The frame's columns: the header's fields, each once."""
        return list(self._names)


def _record_end(data: bytes) -> int | None:
    """The end of the last whole record in ``data`` (which starts at a record boundary),
    judged by the parity of quotation marks before each line break; None if none."""
    arr = np.frombuffer(data, dtype=np.uint8)
    marks = int(np.count_nonzero(arr == ord('"')))
    pos = len(data)
    for _ in range(8):  # the last line break or one just before it, almost always
        nl = data.rfind(b"\n", 0, pos)
        if nl < 0:
            return None
        if (marks - data.count(b'"', nl)) % 2 == 0:
            return nl + 1
        pos = nl
    breaks = np.flatnonzero(arr[:pos] == ord("\n"))
    even = breaks[np.searchsorted(np.flatnonzero(arr == ord('"')), breaks) % 2 == 0]
    return int(even[-1]) + 1 if len(even) else None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _line_count(text: str) -> int:
    """Lines as csv.reader counts them: LF, CRLF and CR each end one."""
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n")


def first_difference(a: str, b: str) -> int:
    """1-based line of the first difference between two texts."""
    for i, (x, y) in enumerate(zip(a.split("\n"), b.split("\n")), start=1):
        if x != y:
            return i
    return min(a.count("\n"), b.count("\n")) + 1


@contextmanager
def _field_size_limit(limit: int):
    """The csv module's cell limit is process-wide: set it for one read, then put back
    whatever the caller (or another library) had."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


@dataclass
class CsvTable:
    """What could be read of one CSV file, as a whole."""

    header: list[str] | None = None
    frame: pd.DataFrame | None = None  # raw strings, indexed by line number
    findings: list[Finding] = field(default_factory=list)
    #: The file is byte for byte the canonical rendering of ``frame`` in file order.
    verbatim: bool = False
    #: The first line where the file differs from that rendering (None if it does not).
    first_diff: int | None = None


def read_csv(file: Path, table: str, path: str, expected: list[str], dialect: Dialect | None = None,
             canonical: bool = True, chunk_bytes: int = CHUNK_BYTES) -> CsvTable:
    """Read one CSV file whole: every piece of :class:`CsvStream`, in one frame."""
    stream = CsvStream(file, table, path, expected, dialect, canonical, chunk_bytes)
    frames = [c.frame for c in stream]
    out = CsvTable(findings=stream.findings)
    if stream.dropped:
        return out
    out.header, out.verbatim, out.first_diff = stream.header, stream.verbatim, stream.first_diff
    out.frame = join_frames(frames, stream.names)
    return out


def join_frames(frames: list[pd.DataFrame], names: list[str]) -> pd.DataFrame:
    if len(frames) == 1:
        return frames[0]
    if not frames:
        return pd.DataFrame({n: [] for n in names}, index=pd.Index([], dtype="int64", name="line"), dtype="str")
    return pd.concat(frames)
