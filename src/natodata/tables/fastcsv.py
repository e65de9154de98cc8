"""A fast path for reading a piece of CSV that is already in canonical form.

Files written by ``natodata fmt`` are UTF-8 without BOM, LF, minimal quoting, with the
schema's header. For such a file pyarrow's CSV parser yields the same cells as
Python's :mod:`csv` module, many times faster and in compact Arrow memory.

The fast path proves this rather than assuming it, for each piece of the file it is
given (whole records, see :mod:`natodata.tables.csvfile`). :func:`parse_canonical`
accepts pyarrow's parse only if the piece is provably the bytes
``csv.writer(lineterminator="\\n", quoting=csv.QUOTE_MINIMAL)`` would write for those
cells. The proof looks at the quotation marks alone, the way SIMD CSV parsers do:

* every quotation mark opens or closes a quoted cell (the marks alternate, and a doubled
  mark inside a quoted cell closes and reopens it): an opening mark starts a cell (it
  follows a comma, a line break or the start of the piece, or it is the second mark of a
  doubled pair), a closing mark ends one (a comma, a line break or the end follows, or
  the first mark of a doubled pair). So quoting is RFC 4180 quoting, which pyarrow and
  ``csv.reader(strict=True)`` read alike, and no cell holds a stray mark;
* the piece has exactly as many marks as minimal quoting needs: two for each cell that
  holds a comma, a mark or a line break, plus one more for each mark inside one. A cell
  quoted without need would add two.

With no CR, NUL or BOM (the caller's checks), no blank row and no oversized cell, the
piece is then byte for byte the writer's rendering of its cells, so the slow path would
find nothing in it either. On any doubt :func:`parse_canonical` returns ``None`` and
the caller reads the piece the exact, slow way, which reports the findings.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..model.dialect import CANONICAL

_QUOTE, _COMMA, _NEWLINE, _CR = ord('"'), ord(","), ord("\n"), ord("\r")


def writer_bytes(row: list[str]) -> bytes:
    """The bytes csv.writer writes for one row (the header, for the fast path)."""
    buf = io.StringIO()
    csv.writer(buf, **CANONICAL.writer_options()).writerow(row)
    return buf.getvalue().encode("utf-8")


class RowWriter:
    """``csv.writer`` with minimal quoting, except that a cell holding a CR is quoted too.
    (csv.writer quotes only the characters of its line terminator, so with LF it would
    write a CR bare, and a reader would end the record there.)"""

    def __init__(self, buf, line_terminator: str = "\n", cr_cells: bool = True, **options):
        options = {"quoting": csv.QUOTE_MINIMAL, **options}
        self._plain = csv.writer(buf, lineterminator=line_terminator, **options)
        self._cr = (
            None if "\r" in line_terminator or not cr_cells else csv.writer(buf, lineterminator="\r\n", **options)
        )
        self._buf, self._end = buf, line_terminator

    def writerow(self, row) -> None:
        if self._cr is not None and any(isinstance(c, str) and "\r" in c for c in row):
            self._cr.writerow(row)  # quotes the cells holding CR or LF, then ends with CRLF
            self._buf.seek(self._buf.tell() - 2)
            self._buf.truncate()
            self._buf.write(self._end)
        else:
            self._plain.writerow(row)

    def writerows(self, rows) -> None:
        if self._cr is None:
            self._plain.writerows(rows)
            return
        for row in rows:
            self.writerow(row)


def string_dtype_is_arrow() -> bool:
    """pandas' default ``str`` dtype is Arrow-backed (pandas 3 with pyarrow), so the frames
    the fast path builds are the very frames the slow path builds."""
    return pd.Series([], dtype="str").dtype == pd.StringDtype("pyarrow", na_value=np.nan)


def _marks_needed(table: pa.Table) -> int:
    """How many quotation marks csv.writer's minimal quoting puts around and inside the
    cells: two for each cell holding a comma, a mark or a line break, and one more for
    each mark inside one."""
    total = 0
    for column in table.columns:
        for chunk in column.chunks:
            wide = pa.types.is_large_string(chunk.type)
            offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64 if wide else np.int32)[
                chunk.offset : chunk.offset + len(chunk) + 1
            ].astype(np.int64, copy=False)
            if chunk.buffers()[2] is None or offsets[-1] == offsets[0]:
                continue
            data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
            marks = data == _QUOTE
            special = np.flatnonzero(marks | (data == _COMMA) | (data == _NEWLINE))
            if not len(special):
                continue
            cells = np.searchsorted(offsets, special + offsets[0], side="right") - 1
            quoted = 1 + int(np.count_nonzero(cells[1:] != cells[:-1]))  # positions are in cell order
            total += 2 * quoted + 2 * int(np.count_nonzero(marks))  # a mark only ever sits in a quoted cell
    return total


def _quoted_as_writer_quotes(body: np.ndarray, marks: np.ndarray, needed: int) -> bool:
    if len(marks) != needed:
        return False
    if needed == 0:
        return True
    opens, closes = marks[0::2], marks[1::2]
    last = len(body) - 1
    before = body[np.maximum(opens - 1, 0)]
    ok_open = (opens == 0) | (before == _COMMA) | (before == _NEWLINE)
    ok_open[1:] |= opens[1:] == closes[:-1] + 1  # the second mark of a doubled pair
    after = body[np.minimum(closes + 1, last)]
    ok_close = (closes == last) | (after == _COMMA) | (after == _NEWLINE)
    ok_close[:-1] |= closes[:-1] + 1 == opens[1:]  # the first mark of a doubled pair
    return bool(ok_open.all() and ok_close.all())


@dataclass
class Parsed:
    """A piece read the fast way: its cells and the line each record starts on."""

    table: pa.Table
    lines: np.ndarray
    newlines: int  # the piece's line breaks: the lines it spans


def parse_canonical(
    data: bytes, end: int, names: list[str], max_cell_chars: int, first_line: int, scratch: np.ndarray | None = None
) -> Parsed | None:
    """pyarrow's parse of ``data[:end]`` (whole records, no header, starting on line
    ``first_line``), or ``None`` unless that piece is provably csv.writer's rendering of
    those cells. ``scratch``, a boolean array of at least ``end`` items, saves allocating
    one per piece."""
    if end == 0 or data[end - 1] != _NEWLINE or data.find(b"\r", 0, end) >= 0 or data.find(b"\x00", 0, end) >= 0:
        return None
    piece = memoryview(data)[:end]
    body = np.frombuffer(piece, dtype=np.uint8)
    work = scratch[:end] if scratch is not None and len(scratch) >= end else np.empty(end, dtype=bool)
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(piece)),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(
                delimiter=",",
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f: pa.large_string() for f in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=True,
            ),
        )
    except (pa.ArrowException, ValueError):
        return None
    if table.num_columns != len(names) or table.num_rows == 0:
        return None
    # Oversized cells (the limit counts characters) and all-blank rows: the slow path reports them.
    blank = None  # rows whose cells so far are all empty; None once there are none
    for i, col in enumerate(table.columns):
        length = pc.binary_length(col)
        longest = pc.max(length).as_py() or 0
        if longest > max_cell_chars and pc.max(pc.utf8_length(col)).as_py() > max_cell_chars:
            return None
        if i == 0 or blank is not None:
            empty = pc.equal(length, 0)
            blank = empty if i == 0 else pc.and_(blank, empty)
            if not pc.any(blank).as_py():
                blank = None
    if blank is not None:
        return None
    marks = np.flatnonzero(np.equal(body, _QUOTE, out=work))
    # Without a mark in the piece no cell can need one: a comma or line break in a cell
    # would have split it, and a mark only comes quoted.
    if len(marks) and not _quoted_as_writer_quotes(body, marks, _marks_needed(table)):
        return None
    newlines = int(np.count_nonzero(np.equal(body, _NEWLINE, out=work)))
    return Parsed(table, _record_lines(table, newlines, first_line), newlines)


def _record_lines(table: pa.Table, newlines: int, first: int) -> np.ndarray:
    """The line each record starts on: one line per record plus its cells' embedded line breaks."""
    nrows = table.num_rows
    if newlines == nrows:
        return np.arange(first, first + nrows, dtype=np.int64)
    extra = np.zeros(nrows, dtype=np.int64)
    for col in table.columns:
        extra += pc.count_substring(col, "\n").to_numpy(zero_copy_only=False)
    return first + np.arange(nrows, dtype=np.int64) + np.concatenate(([0], np.cumsum(extra)[:-1]))


def to_frame(table: pa.Table, names: list[str], lines: np.ndarray) -> pd.DataFrame:
    """The frame of raw strings, indexed by line, that the slow path builds for these cells."""
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    index = pd.Index(lines, dtype="int64", name="line")
    columns = {
        f: pd.Series(pd.arrays.ArrowStringArray(table.column(i), dtype=dtype), index=index, copy=False)
        for i, f in enumerate(names)
    }
    return pd.DataFrame(columns, index=index, copy=False)
