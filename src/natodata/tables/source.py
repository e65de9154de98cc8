"""Where a table's text comes from, when it is not one plain file.

:class:`~natodata.tables.csvfile.CsvStream` reads one CSV text. Most tables are one file
and it reads that file itself, piece by piece. Every other tabular resource is turned
into the text it stands for, held in memory and bounded by :data:`MAX_SOURCE_BYTES`:

* a multi-file ``path``: its files concatenated in order, as the Data Resource spec
  says ("Implementors MUST be able to concatenate together the files in the simplest
  way and treat the result as one large file"): the header row is the first file's, and
  a later file that starts with that very line has it dropped (each part carrying the
  header, as frictionless reads multipart resources);
* ``compression`` ``gz`` or ``zip`` (declared, or the path's last extension): the file
  decompressed, reading at most :data:`MAX_SOURCE_BYTES`, so a zip bomb is refused;
* inline ``data`` and JSON files (``format: json``): the rows as CSV. Rows are arrays, or
  objects whose keys name the columns (``itemKeys``, else the keys in order of first
  appearance); Table Dialect ``property`` names where in a JSON object the rows are.

Spreadsheets and databases (``xlsx``, ``ods``, ``sqlite``, …) are refused with an
``unsupported-feature`` finding: natodata reads CSV, TSV and JSON tables.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile
import zlib
from dataclasses import replace

from ..findings import Finding
from ..model.descriptor import COMPRESSIONS, Package, Resource, resource_format
from ..model.dialect import CANONICAL, CHARACTER_PROPERTIES

#: The most bytes a table read whole (decompressed, concatenated, rendered) may hold.
MAX_SOURCE_BYTES = 256 * 1024**2
#: Formats natodata refuses: spreadsheets, databases and binary columnar files. Any other
#: format of a table is read as delimited text (CSV, TSV, or as its dialect says).
REFUSED_FORMATS = (
    "xlsx",
    "xls",
    "xlsm",
    "ods",
    "sqlite",
    "sqlite3",
    "db",
    "parquet",
    "arrow",
    "feather",
    "avro",
    "orc",
    "html",
    "xml",
    "spss",
    "sav",
    "dta",
    "sas7bdat",
)
#: JSON tables: one JSON document, or one JSON row per line.
JSON_FORMATS = ("json", "ndjson", "jsonl")


class SourceError(Exception):
    def __init__(self, type_: str, message: str):
        super().__init__(message)
        self.type = type_


def table_source(pkg: Package, res: Resource):
    """``(text, dialect, findings)``: the resource's file (a Path, read piece by piece) or
    its text as bytes, the dialect to read it with, and why it cannot be read (then
    ``text`` is None)."""
    d = res.descriptor
    fmt = resource_format(d)
    compression = d.get("compression")
    compression = compression.lower() if isinstance(compression, str) else None
    try:
        if res.inline:
            return _rows_source(d.get("data"), res)
        if not res.files:
            return None, res.dialect, []
        if compression is None:
            name = res.files[0].name.lower()
            compression = next((c for c in COMPRESSIONS if name.endswith("." + c)), None)
        if compression not in (None, *COMPRESSIONS):
            raise SourceError(
                "unsupported-feature",
                f"compression {compression!r} is not supported (natodata reads {' and '.join(COMPRESSIONS)})",
            )
        if fmt in REFUSED_FORMATS:
            raise SourceError(
                "unsupported-feature", f"format {fmt!r} is not supported; natodata reads tables in CSV, TSV and JSON"
            )
        if len(res.files) == 1 and compression is None and fmt not in JSON_FORMATS:
            return res.files[0], res.dialect, []
        data = b""
        header = None
        for file in res.files:
            part = _read(file, compression)
            if header is None:
                header = part[: part.find(b"\n") + 1] if b"\n" in part else part
            elif res.dialect.header and fmt not in JSON_FORMATS and header and part.startswith(header):
                part = part[len(header) :]  # the first file's header, repeated: not a row of data
            if data and not data.endswith((b"\n", b"\r")):
                data += b"\n"  # a part without a final line break still ends its last row
            data += part
            if len(data) > MAX_SOURCE_BYTES:
                raise SourceError("file-too-large", f"the resource's data exceed {MAX_SOURCE_BYTES} bytes")
        if fmt in JSON_FORMATS:
            try:
                text = data.decode(res.dialect.encoding)
                parsed = json.loads(text) if fmt == "json" else [json.loads(x) for x in text.splitlines() if x.strip()]
            except (UnicodeDecodeError, ValueError) as exc:
                raise SourceError("csv-error", f"the file is not valid JSON: {exc}") from None
            except RecursionError:
                raise SourceError("csv-error", "the file's JSON is nested too deeply to read") from None
            return _rows_source(parsed, res)
        return data, res.dialect, []
    except SourceError as exc:
        return None, res.dialect, [Finding(exc.type, str(exc), table=res.name, path=res.path)]


def _read(file, compression: str | None) -> bytes:
    try:
        if compression == "gz":
            with gzip.open(file, "rb") as fh:
                data = fh.read(MAX_SOURCE_BYTES + 1)
        elif compression == "zip":
            with zipfile.ZipFile(file) as zf:
                members = [i for i in zf.infolist() if not i.is_dir()]
                if len(members) != 1:
                    raise SourceError(
                        "file-unreadable",
                        f"the zip archive holds {len(members)} files; a resource's archive must hold exactly one",
                    )
                with zf.open(members[0]) as fh:
                    data = fh.read(MAX_SOURCE_BYTES + 1)
        else:
            if file.stat().st_size > MAX_SOURCE_BYTES:
                raise SourceError("file-too-large", f"file {file.name} is larger than {MAX_SOURCE_BYTES} bytes")
            data = file.read_bytes()
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
        raise SourceError("file-unreadable", f"cannot read {file.name}: {exc}") from None
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError("file-too-large", f"{file.name} decompresses to more than {MAX_SOURCE_BYTES} bytes")
    return data


def _cell(v) -> str:
    """A JSON value as the text a CSV cell would hold."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)


def _rows_source(data, res: Resource):
    """Rows given as JSON (inline ``data`` or a JSON file), rendered as CSV."""
    d = res.dialect
    if d.json_property is not None:
        for key in d.json_property.split("."):
            if not isinstance(data, dict) or key not in data:
                raise SourceError(
                    "csv-error", f"the data have no property {d.json_property!r} (Table Dialect property)"
                )
            data = data[key]
    if not isinstance(data, list):
        raise SourceError("csv-error", "the data are not an array of rows")
    objects = d.item_type == "object" or (d.item_type is None and any(isinstance(r, dict) for r in data))
    try:
        rows = _object_rows(data, d.item_keys) if objects else _array_rows(data)
    except RecursionError:
        raise SourceError("csv-error", "a value of the data is nested too deeply to read") from None
    buf = io.StringIO()
    csv.writer(buf, **CANONICAL.writer_options()).writerows(rows)
    text = buf.getvalue().encode("utf-8")
    if len(text) > MAX_SOURCE_BYTES:
        raise SourceError("file-too-large", f"the resource's data exceed {MAX_SOURCE_BYTES} bytes")
    dialect = replace(d, **{p: getattr(CANONICAL, p) for p in CHARACTER_PROPERTIES})
    if objects:
        dialect = replace(dialect, header=True, header_rows=(1,))
    return text, dialect, []


def _object_rows(data: list, item_keys) -> list[list[str]]:
    """Object rows: a header of their keys (``itemKeys``, else in order of first appearance), then their values."""
    keys = list(item_keys) if item_keys is not None else []
    if item_keys is None:
        for r in data:
            for k in r if isinstance(r, dict) else {}:
                if k not in keys:
                    keys.append(k)
    rows = [keys]
    for i, r in enumerate(data):
        if not isinstance(r, dict):
            raise SourceError("csv-error", f"row {i + 1} of the data is not an object")
        rows.append([_cell(r.get(k)) for k in keys])
    return rows


def _array_rows(data: list) -> list[list[str]]:
    rows = []
    for i, r in enumerate(data):
        if not isinstance(r, list):
            raise SourceError("csv-error", f"row {i + 1} of the data is not an array")
        rows.append([_cell(v) for v in r])
    return rows
