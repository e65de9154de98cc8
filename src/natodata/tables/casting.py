"""Turning a frame of raw strings into typed columns, per the Table Schema.

Each failed conversion becomes a ``type-error`` finding and the cell becomes NA,
so constraint checks see only well-typed values.
"""

from __future__ import annotations

import pandas as pd

import pyarrow as pa
import pyarrow.compute as pc

from ..findings import Finding
from ..model.tableschema import Field, TableSchema

INTEGER_RE = r"[+-]?[0-9]+"
NUMBER_RE = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
DATE_RE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]
SUPPORTED_TYPES = ("string", "integer", "number", "date", "boolean", "any")


def _blanks_to_na(raw: pd.Series, present: pd.Series) -> pd.Series:
    """``raw.where(present)``. For Arrow-backed strings the result shares ``raw``'s
    buffers and only adds a validity bitmap, instead of copying every string."""
    if not (isinstance(raw.dtype, pd.StringDtype) and raw.dtype.storage == "pyarrow"):
        return raw.where(present)
    arr = pa.array(raw.array)
    chunks = []
    for c in arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]:
        if c.offset or c.null_count or not pa.types.is_large_string(c.type):
            return raw.where(present)
        valid = pc.not_equal(c, pa.scalar("", c.type))
        chunks.append(pa.LargeStringArray.from_buffers(len(c), c.buffers()[1], c.buffers()[2], valid.buffers()[1],
                                                        len(c) - pc.sum(valid, min_count=0).as_py()))
    typed = pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=pa.large_string()), dtype=raw.dtype)
    return pd.Series(typed, index=raw.index, name=raw.name, copy=False)


def cast_column(raw: pd.Series, fld: Field) -> tuple[pd.Series, pd.Series]:
    """Return ``(typed, bad)``: the converted column and a mask of cells that failed."""
    present = raw != ""
    t = fld.type
    if t in ("string", "any"):
        return (raw.copy(deep=False) if present.all() else _blanks_to_na(raw, present)), present & False
    if t in ("integer", "number", "date") and len(raw) > 1 and not raw.hasnans:
        # Convert each distinct value once: offsets, values and dates repeat a lot.
        codes, values = pd.factorize(raw)
        if len(values) < len(raw):
            typed, bad = cast_column(pd.Series(values, dtype=raw.dtype), fld)
            return typed.take(codes).set_axis(raw.index), bad.take(codes).set_axis(raw.index)
    if t == "integer":
        ok = raw.str.fullmatch(INTEGER_RE)
        typed = pd.to_numeric(raw.where(ok), errors="coerce").astype("Int64")
        return typed, present & ~ok
    if t == "number":
        ok = raw.str.fullmatch(NUMBER_RE) | raw.isin(["NaN", "INF", "-INF"])
        typed = pd.to_numeric(raw.where(ok), errors="coerce").astype("Float64")
        return typed, present & ~ok
    if t == "date":
        shaped = raw.str.fullmatch(DATE_RE)
        typed = pd.to_datetime(raw.where(shaped), format="%Y-%m-%d", errors="coerce")
        return typed, present & typed.isna()
    if t == "boolean":
        tv = fld.descriptor.get("trueValues", TRUE_VALUES)
        fv = fld.descriptor.get("falseValues", FALSE_VALUES)
        typed = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        typed[raw.isin(tv)] = True
        typed[raw.isin(fv)] = False
        return typed, present & typed.isna()
    raise ValueError(t)


def cast_frame(raw: pd.DataFrame, schema: TableSchema, table: str, path: str) -> tuple[pd.DataFrame, list[Finding], set]:
    """Cast every schema field present in ``raw``. Returns the typed frame, the
    type-error findings and the set of ``(line, field)`` cells that failed."""
    findings: list[Finding] = []
    bad_cells: set = set()
    missing = set(schema.missing_values)
    cols = {}
    for fld in schema.fields:
        if fld.name not in raw.columns:
            continue
        col = raw[fld.name]
        if missing != {""}:
            col = col.where(~col.isin(missing), "")
        if fld.type not in SUPPORTED_TYPES:
            cols[fld.name] = col.where(col != "")
            continue
        typed, bad = cast_column(col, fld)
        cols[fld.name] = typed
        if bad.any():
            for line, value in col[bad].items():
                bad_cells.add((line, fld.name))
                findings.append(Finding("type-error", f"{value!r} is not a valid {fld.type}" + (" (expected YYYY-MM-DD)" if fld.type == "date" else ""),
                                        table=table, path=path, line=int(line), field=fld.name, value=value))
    return pd.DataFrame(cols, index=raw.index), findings, bad_cells
