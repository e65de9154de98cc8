"""Reading CSV text the exact way: with Python's :mod:`csv` module, after the checks that
concern the text as a whole (its encoding, CR line endings, a NUL).

:class:`ExactReading` is the half of :class:`natodata.tables.csvfile.CsvStream` that reads
a piece the fast way cannot prove exact; the stream holds the state both halves share
(its findings, header and columns), declared here. The helpers below are about records
as bytes and text.
"""

from __future__ import annotations

import codecs
import csv
import io
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Iterator

import numpy as np
import pandas as pd

from ..findings import Finding
from ..model.dialect import Dialect
from .fastcsv import RowWriter
from .header import detect_encoding, join_header_rows

MAX_CELL_CHARS = 100_000
_BOM = b"\xef\xbb\xbf"
#: Findings about single records: a file that cannot be decoded as a whole has none.
_ROW_FINDINGS = frozenset({"blank-row", "extra-cell", "missing-cell"})


@dataclass
class Chunk:
    """Some consecutive records of a file."""

    frame: pd.DataFrame  # raw strings, indexed by line number
    #: The records' bytes are exactly csv.writer's rendering of ``frame`` (read the fast way).
    canonical_rendering: bool


class Fatal(Exception):
    """The file cannot be read as a whole: what was read of it must be dropped."""


class NeedMore(Exception):
    """A piece ended inside a quoted cell: it needs the text that follows."""


class ExactReading:
    """The exact way of :class:`natodata.tables.csvfile.CsvStream`, and what it shares with
    the fast way: findings, reading more of the file, the header's columns. The stream
    sets these attributes."""

    table: str
    path: str
    dialect: Dialect
    canonical: bool
    chunk_bytes: int
    expected: list[str] | None
    findings: list[Finding]
    header: list[str] | None
    canonical_rendering: bool
    first_diff: int | None
    _record: int
    _header_parts: list[list[str]]
    _names: list[str]
    _cols: list[int]

    def _finding(self, type_, message, line=None, field=None, value=None, into=None):
        (self.findings if into is None else into).append(
            Finding(type_, message, table=self.table, path=self.path, line=line, field=field, value=value)
        )

    def _more(self, fh, size: int | None = None) -> bytes:
        try:
            return fh.read(size or self.chunk_bytes)
        except OSError as exc:
            self._finding("file-unreadable", f"cannot read file: {exc.strerror or exc}")
            raise Fatal from None

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

    def _exact(self, fh, data: bytes, line: int, at_start: bool) -> Iterator[Chunk]:
        """Read the rest of the file (from ``fh``'s position, after ``data``) with Python's
        csv module, after the checks that concern the text as a whole."""
        self.canonical_rendering = False
        start = fh.tell() - len(data)
        if at_start and data.startswith(_BOM) and self.dialect.encoding == "utf-8":
            if self.canonical:
                self._finding(
                    "encoding-bom",
                    "file starts with a UTF-8 byte order mark (BOM); save it as UTF-8 without BOM",
                    line=1,
                )
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
            except NeedMore:
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
                declared = (
                    "UTF-8" if self.dialect.encoding == "utf-8" else f"{self.dialect.encoding}, its declared encoding"
                )
                self._finding(
                    "encoding-error",
                    f"file is not valid {declared}: byte 0x{exc.object[exc.start]:02x} at line {where} "
                    "cannot be decoded",
                    line=where,
                )
                self.findings = [f for f in self.findings if f.type not in _ROW_FINDINGS]
                raise Fatal from None
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
                self._finding(
                    "line-ending",
                    "file has CR or CRLF line endings; use LF only"
                    if not crlf_ok
                    else "file has a CR line ending not followed by LF",
                    line=first_cr if not crlf_ok else bare_cr,
                )
        if nul is not None:
            self._finding("csv-error", "file contains a NUL character", line=nul)
            self.findings = [f for f in self.findings if f.type not in _ROW_FINDINGS]
            raise Fatal

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
        how many lines the text holds. Raises NeedMore when the text ends inside a
        quoted cell and more follows, Fatal on malformed CSV."""
        found: list[Finding] = []
        rows: list[list[str]] = []
        lines: list[int] = []
        had_header = self.header is not None
        header = self.header
        prev = 0
        plain = self.dialect.plain_rows
        skip_blank = self.dialect.skip_blank_rows
        # A piece parsed again with more text (NeedMore) must count its records once.
        saved = (self._record, len(self._header_parts), self.header, list(self._names), list(self._cols))
        reader = csv.reader(io.StringIO(text, newline=""), strict=True, **self.dialect.reader_options())
        with field_size_limit(MAX_CELL_CHARS):
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
                    raise NeedMore from None
                self.findings += found
                at = line + prev
                if "field larger than field limit" in msg:
                    self._finding(
                        "cell-too-large",
                        f"a cell is longer than {MAX_CELL_CHARS} characters; reading stopped here",
                        line=at,
                    )
                else:
                    self._finding("csv-error", f"malformed CSV: {msg}; reading stopped here", line=at)
                raise Fatal from None
        self.findings += found
        if not had_header and plain:
            self.header = header
            self._set_columns()
        used = text.count("\n") if "\r" not in text else line_count(text)
        if self.canonical and plain and self.first_diff is None and not found and self._header_ok():
            self._first_difference(text, rows, line, with_header=not had_header)
        if not self._header_ok():
            return None, used
        frame = pd.DataFrame(
            {name: [r[i] for r in rows] for name, i in zip(self._names, self._cols)},
            index=pd.Index(lines, dtype="int64", name="line"),
            dtype="str",
        )
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


def record_end(data: bytes) -> int | None:
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


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def line_count(text: str) -> int:
    """Lines as csv.reader counts them: LF, CRLF and CR each end one."""
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n")


def first_difference(a: str, b: str) -> int:
    """1-based line of the first difference between two texts."""
    for i, (x, y) in enumerate(zip(a.split("\n"), b.split("\n")), start=1):
        if x != y:
            return i
    return min(a.count("\n"), b.count("\n")) + 1


@contextmanager
def field_size_limit(limit: int):
    """The csv module's cell limit is process-wide: set it for one read, then put back
    whatever the caller (or another library) had."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)
