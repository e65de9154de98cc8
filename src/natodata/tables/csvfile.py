"""Reading one CSV file: its structure checks and a frame of raw strings.

The frame's index is the file's 1-based line number of each record (header = line 1),
so every later check can report lines without any arithmetic.
"""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..findings import Finding
from ..model.dialect import Dialect
from .fastcsv import read_verbatim

MAX_CELL_CHARS = 100_000
MAX_FILE_BYTES = 2 * 1024**3


@dataclass
class CsvTable:
    """What could be read of one CSV file."""

    header: list[str] | None = None
    frame: pd.DataFrame | None = None  # raw strings, indexed by line number
    text: str | None = None  # None when read by the fast path (then ``verbatim`` is True)
    findings: list[Finding] = field(default_factory=list)
    #: The file is byte for byte the canonical rendering of ``frame`` in file order
    #: (see :mod:`natodata.tables.fastcsv`); only set by the fast path.
    verbatim: bool = False


def read_csv(file: Path, table: str, path: str, expected: list[str], dialect: Dialect | None = None,
             canonical: bool = True) -> CsvTable:
    """Read one CSV file. ``dialect`` is what the descriptor declares (default: natodata's
    own: comma, double quotes, UTF-8). With ``canonical`` (the package sets
    ``x-canonicalFiles``), a BOM and CR line endings are findings; otherwise a UTF-8 BOM
    is dropped and CRLF accepted, as the Table Schema spec's CSV dialect allows."""
    dialect = dialect or Dialect()
    out = CsvTable()

    def finding(type_, message, line=None, field=None, value=None):
        out.findings.append(Finding(type_, message, table=table, path=path, line=line, field=field, value=value))

    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            finding("file-too-large", f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")
            return out
        raw = file.read_bytes()
    except OSError as exc:
        finding("file-unreadable", f"cannot read file: {exc.strerror or exc}")
        return out
    if not raw:
        finding("empty-file", "file is empty; it needs at least a header line")
        return out
    frame = read_verbatim(raw, expected, MAX_CELL_CHARS) if dialect.default else None
    if frame is not None:  # provably what the exact reading below would give, with no findings
        out.header, out.frame, out.verbatim = list(expected), frame, True
        return out
    if raw.startswith(b"\xef\xbb\xbf") and dialect.encoding == "utf-8":
        if canonical:
            finding("encoding-bom", "file starts with a UTF-8 byte order mark (BOM); save it as UTF-8 without BOM", line=1)
        raw = raw[3:]
    try:
        text = raw.decode(dialect.encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        declared = "UTF-8" if dialect.encoding == "utf-8" else f"{dialect.encoding}, its declared encoding"
        finding("encoding-error", f"file is not valid {declared}: byte 0x{raw[exc.start]:02x} at line {line} cannot be decoded", line=line)
        return out
    out.text = text
    if "\r" in text:
        bare = text.replace("\r\n", "")
        crlf_ok = not canonical or dialect.line_terminator == "\r\n"
        if not crlf_ok or "\r" in bare:
            first = text.index("\r") if not crlf_ok else text.replace("\r\n", "\n\n").index("\r")
            line = text.count("\n", 0, first) + 1
            finding("line-ending", "file has CR or CRLF line endings; use LF only" if not crlf_ok else
                    "file has a CR line ending not followed by LF", line=line)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        finding("csv-error", "file contains a NUL character", line=line)
        return out

    with _field_size_limit(MAX_CELL_CHARS):
        return _parse(text, expected, out, finding, dialect)


@contextmanager
def _field_size_limit(limit: int):
    """The csv module's cell limit is process-wide: set it for one read, then put back
    whatever the caller (or another library) had."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _parse(text: str, expected: list[str], out: CsvTable, finding, dialect: Dialect) -> CsvTable:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, **dialect.reader_options())
    rows: list[list[str]] = []
    lines: list[int] = []
    header = None
    prev = 0
    try:
        for record in reader:
            start = prev + 1
            prev = reader.line_num
            if header is None:
                header = record
                continue
            if all(c == "" for c in record):
                finding("blank-row", "blank row", line=start)
                continue
            n = len(header)
            if len(record) != n:
                kind = "extra-cell" if len(record) > n else "missing-cell"
                finding(kind, f"row has {len(record)} cells; the header has {n}", line=start)
                continue
            rows.append(record)
            lines.append(start)
    except csv.Error as exc:
        msg = str(exc)
        if "field larger than field limit" in msg:
            finding("cell-too-large", f"a cell is longer than {MAX_CELL_CHARS} characters; reading stopped here", line=prev + 1)
        else:
            finding("csv-error", f"malformed CSV: {msg}; reading stopped here", line=prev + 1)
        return out

    if header is None or header == [] or header == [""]:
        finding("header-error", "file has no header line", line=1)
        return out
    out.header = header
    _check_header(header, expected, finding)
    seen = set()
    cols = []
    for i, h in enumerate(header):
        if h in seen:
            continue
        seen.add(h)
        cols.append(i)
    names = [header[i] for i in cols]
    if rows:
        data = {name: [r[i] for r in rows] for name, i in zip(names, cols)}
    else:
        data = {name: [] for name in names}
    out.frame = pd.DataFrame(data, index=pd.Index(lines, dtype="int64", name="line"), dtype="str")
    return out


def _check_header(header: list[str], expected: list[str], finding) -> None:
    if header == expected:
        return
    dup = sorted({h for h in header if header.count(h) > 1})
    for h in dup:
        finding("duplicate-label", f"column {h!r} appears more than once in the header", line=1, field=h)
    missing = [f for f in expected if f not in header]
    extra = [h for h in header if h not in expected]
    for m in missing:
        finding("missing-label", f"the header lacks the schema field {m!r}", line=1, field=m)
    for e in extra:
        finding("extra-label", f"the header has {e!r}, which is not a field of the schema", line=1, field=e, value=e)
    if not missing and not extra and not dup:
        finding("header-order", f"header fields are out of order; the schema's order is: {','.join(expected)}", line=1)
