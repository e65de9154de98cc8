"""Which columns of each table the whole-table checks read.

Tables are checked piece by piece as they are read (:mod:`natodata.checks.validate`);
of each table only these columns are kept for the checks that need every row at once
or other tables: primary, unique and foreign keys (both sides), ``unique`` fields, the
rules that compare rows or tables (each :class:`~natodata.checks.rules.Rule` says what it
reads) and, with a corpus, the spans that completeness counts (``x-covers``). The table listing the
articles (``x-corpus``) is kept whole: the anchors of every other table are checked
against it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..model.tableschema import TableSchema
from .constraints import unique_fields
from .rules import rules_for


def retained_fields(schemas: dict[str, TableSchema], corpus: bool = True) -> dict[str, list[str]]:
    """For each table, the fields to keep, in schema order; the spans completeness counts
    only with ``corpus`` (without one, completeness is not checked)."""
    wanted: dict[str, set[str]] = {name: set() for name in schemas}

    def want(table: str, fields) -> None:
        if table in wanted:
            wanted[table].update(fields)

    for name, schema in schemas.items():
        want(name, schema.primary_key)
        for key in schema.unique_keys:
            want(name, key)
        want(name, unique_fields(schema))
        for fk in schema.foreign_keys:
            want(name, fk["fields"])
            want(fk["resource"] or name, fk["reference_fields"])
        for rule in rules_for(name, schema, schemas):
            for table, fld in rule.reads or ():
                want(table, [fld])
        covers = schema.descriptor.get("x-covers")
        if corpus and isinstance(covers, dict) and schema.anchor is not None and schema.source_field is not None:
            want(name, [schema.source_field, schema.anchor.start, schema.anchor.end])
            if isinstance(covers.get("extent"), str):
                want(name, [covers["extent"]])
        if schema.corpus is not None:
            want(name, schema.field_names)
    return {name: [f for f in schemas[name].field_names if f in fields] for name, fields in wanted.items()}


#: Below this many rows in its first piece, a column is kept as it is: encoding would
#: cost more time than the memory it saves is worth.
ENCODE_ROWS = 10_000
#: Rows per distinct value from which a column is encoded. Below it, encoding saves little
#: and the lookup of each piece's values in the growing dictionary costs more.
ENCODE_RATIO = 20


class Kept:
    """The kept columns of one table, gathered piece by piece.

    In a table of at least :data:`ENCODE_ROWS` rows, a string column whose first piece
    repeats its values (at most one distinct value for every :data:`ENCODE_RATIO` rows:
    source ids, roles, kinds) is kept as a categorical: an int32 code per row and each
    distinct value once, its categories sorted so that codes compare as the values do.
    Every other column is kept as it comes."""

    def __init__(self, fields: list[str]):
        self.fields = fields
        self._lines: list[np.ndarray] = []
        self._parts: dict[str, list] = {f: [] for f in fields}
        self._codes: dict[str, _Interner] = {}
        self._plain: set[str] = set()

    def add(self, typed: pd.DataFrame) -> None:
        self._lines.append(typed.index.to_numpy())
        for f in self.fields:
            if f not in typed.columns:
                continue
            s = typed[f]
            if f in self._codes:
                self._parts[f].append(self._codes[f].encode(_dictionary(s)))
            elif f not in self._plain and _strings(s) and len(s) >= max(ENCODE_ROWS, 2):
                encoded = _dictionary(s)
                if len(encoded.dictionary) * ENCODE_RATIO <= len(s):
                    self._codes[f] = _Interner()
                    self._parts[f].append(self._codes[f].encode(encoded))
                    continue
                self._plain.add(f)
                self._parts[f].append(s)
            else:
                self._plain.add(f)
                self._parts[f].append(s)

    def frame(self, columns: list[str]) -> pd.DataFrame:
        """The kept columns of ``columns``, indexed by line; the pieces are let go."""
        index = pd.Index(np.concatenate(self._lines) if self._lines else np.zeros(0, dtype=np.int64), dtype="int64",
                         name="line")
        out = {}
        for f in self.fields:
            if f not in columns:
                continue
            parts = self._parts.pop(f)
            if f in self._codes:
                codes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
                out[f] = pd.Series(self._codes.pop(f).categorical(codes), index=index, name=f)
            elif not parts:
                out[f] = pd.Series([], dtype="str", index=index, name=f)
            else:
                s = parts[0] if len(parts) == 1 else pd.concat(parts)
                out[f] = s.set_axis(index) if not s.index.equals(index) else s
        self._lines = []
        return pd.DataFrame(out, index=index)


def _strings(s: pd.Series) -> bool:
    return isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow"


def _dictionary(s: pd.Series) -> pa.DictionaryArray:
    arr = pa.array(s.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pc.dictionary_encode(arr)


class _Interner:
    """Codes for the distinct strings of a column, the same in every piece."""

    def __init__(self):
        self.values: pa.Array | None = None  # the distinct values so far, in the order met

    def encode(self, piece: pa.DictionaryArray) -> np.ndarray:
        """Global codes (-1 for a blank) for a dictionary-encoded piece."""
        dictionary = piece.dictionary
        if self.values is None:
            self.values, lookup = dictionary, np.arange(len(dictionary), dtype=np.int32)
        else:
            found = pc.index_in(dictionary, value_set=self.values)
            new = found.is_null().to_numpy(zero_copy_only=False)
            lookup = pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int32)
            if new.any():
                lookup[new] = np.arange(len(self.values), len(self.values) + int(new.sum()), dtype=np.int32)
                self.values = pa.concat_arrays([self.values, dictionary.filter(pa.array(new))])
        indices = pc.fill_null(piece.indices, -1).to_numpy(zero_copy_only=False)
        return np.where(indices >= 0, lookup[np.maximum(indices, 0)] if len(lookup) else -1, -1).astype(np.int32)

    def categorical(self, codes: np.ndarray) -> pd.Categorical:
        """The column, its categories sorted so that codes compare as the values do."""
        values = self.values if self.values is not None else pa.array([], pa.large_string())
        order = pc.array_sort_indices(values).to_numpy(zero_copy_only=False)
        rank = np.empty(len(order), dtype=np.int32)
        rank[order] = np.arange(len(order), dtype=np.int32)
        if len(rank):
            codes = np.where(codes >= 0, rank[np.maximum(codes, 0)], -1).astype(np.int32)
        categories = pd.Index(pd.arrays.ArrowStringArray(values.take(pa.array(order)).cast(pa.large_string())), dtype="str")
        return pd.Categorical.from_codes(codes, categories=categories)
