"""A fast path for reading a CSV file that is already in canonical form.

Files written by ``natodata fmt`` are UTF-8 without BOM, LF, minimal quoting, with the
schema's header. For such a file pyarrow's CSV parser yields the same cells as
Python's :mod:`csv` module, many times faster and in compact Arrow memory.

The fast path proves this rather than assuming it. It re-serialises the parsed cells
exactly as ``csv.writer(lineterminator="\\n", quoting=csv.QUOTE_MINIMAL)`` would and
accepts the parse only if those bytes are identical to the file. Reading that writer's
output with ``csv.reader`` gives back the same cells, so the slow path would have found
nothing: no BOM, CR, NUL, decoding error, blank or ragged row, malformed quoting,
oversized cell or header problem. On any doubt :func:`read_verbatim` returns ``None``
and the caller reads the file the exact, slow way, which reports the findings.

A file accepted here is, in file order, byte-identical to the canonical rendering of its
own rows; whether it is canonical then only depends on its rows being sorted by the
primary key (see :func:`natodata.tables.canonical.in_canonical_order`).
"""

from __future__ import annotations

import csv
import io
import itertools
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..workers import worker_count

#: Bytes that make csv.writer quote a cell (a file with CR never gets this far).
_NEEDS_QUOTES = (b",", b'"', b"\n")
_BATCH_ROWS = 1 << 16


def _writer_bytes(row: list[str]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerow(row)
    return buf.getvalue().encode("utf-8")


def _data(arr):
    """The bytes an Arrow (large) string array's values occupy, as a Buffer slice."""
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64 if pa.types.is_large_string(arr.type) else np.int32)
    start, end = int(offsets[arr.offset]), int(offsets[arr.offset + len(arr)])
    return arr.buffers()[2].slice(start, end - start) if end > start else None


def _render(batch):
    """The bytes csv.writer would write for a record batch's rows, as an Arrow Buffer."""
    quote, newline, comma, nothing = (pa.scalar(c, pa.large_string()) for c in ('"', "\n", ",", ""))
    cells = []
    for col in batch.columns:
        data = _data(col)
        data = data.to_pybytes() if data is not None else b""
        if any(c in data for c in _NEEDS_QUOTES):
            quoted = pc.binary_join_element_wise(quote, pc.replace_substring(col, '"', '""'), quote, nothing)
            col = pc.if_else(pc.match_substring_regex(col, '[,"\n]'), quoted, col)
        cells.append(col)
    cells[-1] = pc.binary_join_element_wise(cells[-1], newline, nothing)
    return _data(pc.binary_join_element_wise(*cells, comma))


def _renders_as(table, body) -> bool:
    """Whether csv.writer would render the table's rows (in order) as exactly ``body``.
    Batches are rendered on a few threads (Arrow kernels release the GIL), a bounded
    number at a time, and compared in order."""
    batches = iter(table.to_batches(max_chunksize=_BATCH_ROWS))
    workers = worker_count()
    pos = 0
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = [pool.submit(_render, b) for b in itertools.islice(batches, 2 * workers)]
        while pending:
            got = pending.pop(0).result()
            nxt = next(batches, None)
            if nxt is not None:
                pending.append(pool.submit(_render, nxt))
            if got is None or pos + got.size > body.size or not got.equals(body.slice(pos, got.size)):
                for f in pending:
                    f.cancel()
                return False
            pos += got.size
    return pos == body.size


def read_verbatim(raw: bytes, expected: list[str], max_cell_chars: int) -> pd.DataFrame | None:
    """The frame of raw strings (indexed by line number) that :func:`natodata.tables.csvfile.read_csv`
    would build, or ``None`` unless ``raw`` is provably the canonical rendering of its cells."""
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    if pd.Series([], dtype="str").dtype != dtype:
        return None  # the slow path would build another kind of frame
    n = len(expected)
    if n < 2 or len(set(expected)) != n:
        return None  # a sole field gets the writer's special quoting of empty rows
    if raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw or b"\x00" in raw or not raw.endswith(b"\n"):
        return None
    try:
        head = _writer_bytes(expected)
    except UnicodeEncodeError:
        return None
    if not raw.startswith(head) or len(raw) == len(head):
        return None
    whole = pa.py_buffer(raw)
    body = whole.slice(len(head))
    try:
        table = pacsv.read_csv(
            pa.BufferReader(body),
            read_options=pacsv.ReadOptions(column_names=expected, use_threads=True, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter=",", quote_char='"', double_quote=True, escape_char=False,
                                             newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={f: pa.large_string() for f in expected},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                 check_utf8=True))
    except (pa.ArrowException, ValueError):
        return None
    if table.num_columns != n or table.num_rows == 0:
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

    if not _renders_as(table, body):
        return None
    pa.default_memory_pool().release_unused()  # hand the verification's scratch memory back

    # Line numbers (header = 1): a record spans one line plus its cells' embedded newlines.
    nrows = table.num_rows
    if raw.count(b"\n") == nrows + 1:
        lines = np.arange(2, nrows + 2, dtype=np.int64)
    else:
        extra = np.zeros(nrows, dtype=np.int64)
        for col in table.columns:
            extra += pc.count_substring(col, "\n").to_numpy()
        lines = 2 + np.arange(nrows, dtype=np.int64) + np.concatenate(([0], np.cumsum(extra)[:-1]))
    index = pd.Index(lines, dtype="int64", name="line")
    columns = {f: pd.Series(pd.arrays.ArrowStringArray(table.column(i), dtype=dtype), index=index, copy=False)
               for i, f in enumerate(expected)}
    return pd.DataFrame(columns, index=index, copy=False)
