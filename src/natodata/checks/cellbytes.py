"""Screening Arrow string columns byte by byte, for the generic cell checks.

A cell check such as "no control character" costs a regular-expression match per cell.
Most columns pass, and their bytes show it at a glance: a control or invisible character
needs a byte below 0x20, 0x7F or one of a few UTF-8 sequences; surrounding whitespace
needs a first or last byte outside printable ASCII; a formula needs one of six first
bytes. Each screen here (:data:`Screen`) marks the cells whose bytes leave the question open (a
superset of the failing cells, never fewer); a cell check registers its screen with its
exact test (:mod:`natodata.checks.columns`), and a column's check lays the bytes out once
for all its screens (:func:`candidates`) and runs each exact test on its candidates only.
The verdicts are the exact test's; only the work is less.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa

#: Lead bytes of the UTF-8 sequences of CONTROL_RE's characters above U+007F, and the
#: second (and third) bytes that complete them (see :data:`natodata.escape.CONTROL_RE`).
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
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64 if wide else np.int32)[
        arr.offset : arr.offset + len(arr) + 1
    ]
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
        hit = (
            ((b0 == 0xC2) & _C2[b1])
            | ((b0 == 0xD8) & (b1 == 0x9C))
            | ((b0 == 0xE1) & (b1 == 0xA0) & (b2 == 0x8E))
            | ((b0 == 0xE2) & (b1 == 0x80) & (((b2 >= 0x8B) & (b2 <= 0x8F)) | ((b2 >= 0xA8) & (b2 <= 0xAE))))
            | ((b0 == 0xE2) & (b1 == 0x81) & (b2 >= 0xA0) & (b2 <= 0xAF))
            | ((b0 == 0xEF) & (b1 == 0xBB) & (b2 == 0xBF))
            | ((b0 == 0xEF) & (b1 == 0xBF) & (b2 >= 0xB9) & (b2 <= 0xBB))
            | ((b0 == 0xF3) & (b1 == 0xA0) & ((b2 == 0x80) | (b2 == 0x81)))
        )
        found.append(leads[hit])
    return np.concatenate(found)


#: A byte screen: the cells of one Arrow string array (its :class:`Chunk`) whose bytes
#: leave a cell check's verdict open, as a mask.
Screen = Callable[["Chunk"], np.ndarray]


@dataclass
class Chunk:
    """One Arrow string array laid out as numpy: its value offsets and bytes."""

    offsets: np.ndarray  # one more than cells
    data: np.ndarray

    @cached_property
    def filled(self) -> np.ndarray:
        """The non-empty cells."""
        return np.flatnonzero(self.offsets[1:] > self.offsets[:-1])


def controls(c: Chunk) -> np.ndarray:
    """Cells with a byte that may begin a control or invisible character."""
    mask = np.zeros(len(c.offsets) - 1, dtype=bool)
    positions = _control_positions(c.data[c.offsets[0] : c.offsets[-1]]) + c.offsets[0]
    mask[_cells_at(c.offsets, positions)] = True
    return mask


def edges(c: Chunk) -> np.ndarray:
    """Cells whose first or last byte may be whitespace."""
    mask = np.zeros(len(c.offsets) - 1, dtype=bool)
    mask[c.filled] = _EDGE[c.data[c.offsets[:-1][c.filled]]] | _EDGE[c.data[c.offsets[1:][c.filled] - 1]]
    return mask


def formula_starts(c: Chunk) -> np.ndarray:
    """Cells whose first byte may start a formula."""
    mask = np.zeros(len(c.offsets) - 1, dtype=bool)
    mask[c.filled] = _FORMULA[c.data[c.offsets[:-1][c.filled]]]
    return mask


def candidates(s: pd.Series, screens: Sequence[Screen]) -> list[np.ndarray] | None:
    """For each screen, a mask of the cells of ``s`` that may fail its check (a superset of
    the failing cells), the column's bytes laid out once; or None when ``s`` is not an
    Arrow string column (then every cell is a candidate)."""
    arrays = _arrays(s)
    if arrays is None:
        return None
    masks: list[list[np.ndarray]] = [[] for _ in screens]
    for arr in arrays:
        chunk = Chunk(*_layout(arr))
        for found, screen in zip(masks, screens):
            found.append(screen(chunk))
    return [m[0] if len(m) == 1 else (np.concatenate(m) if m else np.zeros(0, dtype=bool)) for m in masks]
