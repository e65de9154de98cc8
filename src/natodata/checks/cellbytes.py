"""Screening Arrow string columns byte by byte, for the generic cell checks.

A cell check such as "no control character" costs a regular-expression match per cell.
Most columns pass, and their bytes show it at a glance: a control or invisible character
needs a byte below 0x20, 0x7F or one of a few UTF-8 sequences; surrounding whitespace
needs a first or last byte outside printable ASCII; a formula needs one of six first
bytes. :func:`candidates` marks the cells whose bytes leave the question open (a
superset of the failing cells, never fewer), so the checks in
:mod:`natodata.checks.columns` run their exact test on those cells only. The verdicts are
the exact test's; only the work is less.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

#: Lead bytes of the UTF-8 sequences of CONTROL_RE's characters above U+007F, and the
#: second (and third) bytes that complete them (see :data:`natodata.checks.columns.CONTROL_RE`).
_C2 = np.zeros(256, dtype=bool)
_C2[0x80:0xA0] = True  # U+0080..U+009F
_C2[0xAD] = True  # U+00AD soft hyphen
_ASCII_CONTROL = np.zeros(256, dtype=bool)
_ASCII_CONTROL[:0x20] = True
_ASCII_CONTROL[0x7F] = True
_LEADS = np.zeros(256, dtype=bool)
_LEADS[[0xC2, 0xD8, 0xE1, 0xE2, 0xEF, 0xF3]] = True
_EDGE = np.ones(256, dtype=bool)  # a first or last byte that may be whitespace
_EDGE[0x21:0x7F] = False
_FORMULA = np.zeros(256, dtype=bool)
_FORMULA[[ord(c) for c in "=+-@\t\r"]] = True


def _arrays(s: pd.Series) -> list[pa.Array] | None:
    """The Arrow string arrays behind an Arrow-backed string column, or None."""
    if not (isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow"):
        return None
    arr = pa.array(s.array)
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    if not all(pa.types.is_string(c.type) or pa.types.is_large_string(c.type) for c in chunks):
        return None
    return chunks


def _layout(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The value offsets (one more than cells) and the value bytes of a string array."""
    wide = pa.types.is_large_string(arr.type)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64 if wide else np.int32)[arr.offset:arr.offset + len(arr) + 1]
    data = arr.buffers()[2]
    values = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    return offsets.astype(np.int64, copy=False), values


def _cells_at(offsets: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The cells holding these byte positions."""
    return np.searchsorted(offsets, positions, side="right") - 1


def _control_positions(data: np.ndarray) -> np.ndarray:
    """Positions of bytes that begin a control or invisible character."""
    found = [np.flatnonzero((data < 0x20) | (data == 0x7F))]
    leads = np.flatnonzero(data >= 0xC2)  # every lead byte of a character above U+007F
    if len(leads):
        leads = leads[_LEADS[data[leads]]]
    if len(leads):
        b0 = data[leads]
        b1 = data[np.minimum(leads + 1, len(data) - 1)]
        b2 = data[np.minimum(leads + 2, len(data) - 1)]
        hit = ((b0 == 0xC2) & _C2[b1]) \
            | ((b0 == 0xD8) & (b1 == 0x9C)) \
            | ((b0 == 0xE1) & (b1 == 0xA0) & (b2 == 0x8E)) \
            | ((b0 == 0xE2) & (b1 == 0x80) & (((b2 >= 0x8B) & (b2 <= 0x8F)) | ((b2 >= 0xA8) & (b2 <= 0xAE)))) \
            | ((b0 == 0xE2) & (b1 == 0x81) & (b2 >= 0xA0) & (b2 <= 0xAF)) \
            | ((b0 == 0xEF) & (b1 == 0xBB) & (b2 == 0xBF)) \
            | ((b0 == 0xEF) & (b1 == 0xBF) & (b2 >= 0xB9) & (b2 <= 0xBB)) \
            | ((b0 == 0xF3) & (b1 == 0xA0) & ((b2 == 0x80) | (b2 == 0x81)))
        found.append(leads[hit])
    return np.concatenate(found)


def candidates(s: pd.Series, check: str) -> np.ndarray | None:
    """A mask of the cells that may fail ``check`` (a key of
    :data:`natodata.checks.columns.CELL_TESTS`), or None when ``s`` is not an Arrow string
    column (then every cell is a candidate)."""
    found = candidates_for(s, (check,))
    return None if found is None else found[check]


def candidates_for(s: pd.Series, checks) -> dict[str, np.ndarray] | None:
    """:func:`candidates` for several checks, the column's bytes laid out once."""
    arrays = _arrays(s)
    if arrays is None:
        return None
    masks: dict[str, list[np.ndarray]] = {c: [] for c in checks}
    for arr in arrays:
        offsets, data = _layout(arr)
        n = len(arr)
        starts, ends = offsets[:-1], offsets[1:]
        filled = None
        for check in checks:
            mask = np.zeros(n, dtype=bool)
            if check == "control-character":
                positions = _control_positions(data[offsets[0]:offsets[-1]]) + offsets[0]
                mask[_cells_at(offsets, positions)] = True
            else:
                if filled is None:
                    filled = np.flatnonzero(ends > starts)
                if check == "surrounding-whitespace":
                    mask[filled] = _EDGE[data[starts[filled]]] | _EDGE[data[ends[filled] - 1]]
                elif check == "formula-injection":
                    mask[filled] = _FORMULA[data[starts[filled]]]
                else:
                    raise ValueError(check)
            masks[check].append(mask)
    return {c: (m[0] if len(m) == 1 else (np.concatenate(m) if m else np.zeros(0, dtype=bool))) for c, m in masks.items()}
