"""Frame helpers the checks share: rows read in chunks, a fast membership test and lookup.

Below every check module (tests/test_layers.py): a check imports these, never another
check's helpers."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

import pyarrow as pa
import pyarrow.compute as pc

#: Rows turned into Python lists at a time: enough to make the per-row work cheap, few
#: enough that a table of a million rows never holds all its values as Python objects.
CHUNK_ROWS = 50_000


def row_chunks(frame: pd.DataFrame, columns) -> Iterator[tuple[list, list[list]]]:
    """The frame's index labels and its ``columns`` as lists, ``CHUNK_ROWS`` rows at a time."""
    for low in range(0, len(frame), CHUNK_ROWS):
        part = frame.iloc[low : low + CHUNK_ROWS]
        yield part.index.tolist(), [part[c].tolist() for c in columns]


def fast_isin(values: pd.Series, allowed: pd.Series) -> pd.Series:
    """``values.isin(allowed)``; for Arrow-backed strings, with pyarrow directly (pandas
    would first turn every allowed value into a Python scalar, one by one)."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow" and allowed.dtype == values.dtype:
        allowed = pa.array(allowed.array)
        if isinstance(allowed, pa.ChunkedArray):
            allowed = allowed.combine_chunks()
        found = pc.is_in(pa.array(values.array), value_set=allowed)
        return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index, dtype=bool)
    return values.isin(allowed)


def first_positions(values: pd.Series, keys: pd.Series) -> np.ndarray | None:
    """For each of ``values``, the position of its first equal in ``keys`` (-1 if none; a
    blank finds a blank), as ``values.map`` by ``keys`` would look it up; computed with
    pyarrow for Arrow-backed strings, else ``None``."""
    if not (
        isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow" and keys.dtype == values.dtype
    ):
        return None
    found = pc.index_in(pa.array(values.array), value_set=pa.array(keys.array))
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)
