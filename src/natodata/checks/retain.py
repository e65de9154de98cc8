"""Which columns of each table the whole-table checks read, and how they are kept.

Tables are checked piece by piece as they are read (:mod:`natodata.checks.validate`);
of each table only these columns are kept for the checks that need every row at once
or other tables: primary, unique and foreign keys (both sides), ``unique`` fields, the
rules that compare rows or tables (each :class:`~natodata.checks.rules.Rule` says what it
reads) and, with a corpus, the spans that completeness counts (``x-covers``). The table listing the
articles (``x-corpus``) is kept whole: the anchors of every other table are checked
against it.

Memory grows with the rows kept, so they are kept compactly (:class:`Kept`): the fields
only the primary key reads are not kept at all once the pieces prove the table in key
order without a blank or repeated key; strings that repeat (foreign keys, kinds) as
int32 codes; line numbers as a range when they follow each other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..model.tableschema import TableSchema
from ..tables.canonical import comparable
from .constraints import unique_fields
from .rules import rules_for


def _wanted(schemas: dict[str, TableSchema], corpus: bool, primary: bool) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = {name: set() for name in schemas}

    def want(table: str, fields) -> None:
        if table in wanted:
            wanted[table].update(fields)

    for name, schema in schemas.items():
        if primary:
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
    return wanted


def retained_fields(schemas: dict[str, TableSchema], corpus: bool = True) -> dict[str, list[str]]:
    """For each table, the fields to keep, in schema order; the spans completeness counts
    only with ``corpus`` (without one, completeness is not checked)."""
    wanted = _wanted(schemas, corpus, primary=True)
    return {name: [f for f in schemas[name].field_names if f in fields] for name, fields in wanted.items()}


def key_only_fields(schemas: dict[str, TableSchema], corpus: bool = True) -> dict[str, list[str]]:
    """For each table, the kept fields that only its primary key reads (and canonical
    order, which sorts by it): :class:`Kept` can drop them once the pieces prove the
    key in order and never repeated."""
    every, others = _wanted(schemas, corpus, primary=True), _wanted(schemas, corpus, primary=False)
    return {
        name: [f for f in schemas[name].field_names if f in every[name] and f not in others[name]] for name in schemas
    }


def coded_fields(schemas: dict[str, TableSchema]) -> dict[str, list[str]]:
    """For each table, its foreign-key fields: they repeat the values of another table's
    key, so :class:`Kept` keeps them as codes whatever their first piece looks like."""
    return {name: sorted({f for fk in schema.foreign_keys for f in fk["fields"]}) for name, schema in schemas.items()}


#: Below this many rows in its first piece, a column is kept as it is: encoding would
#: cost more time than the memory it saves is worth.
ENCODE_ROWS = 10_000
#: Rows per distinct value from which a column is encoded (statement and claim ids that
#: group two reports each, kinds, roles). Below it, a code and the value once cost more
#: than the value in every row.
ENCODE_RATIO = 1.5


class Kept:
    """The kept columns of one table, gathered piece by piece.

    In a table of at least :data:`ENCODE_ROWS` rows, a string column that is a foreign
    key (``coded``), or whose first piece repeats its values (at most one distinct value
    for every :data:`ENCODE_RATIO` rows: roles, kinds, ids that group rows), is kept as a categorical: an int32
    code per row and each distinct value once, its categories sorted so that codes compare
    as the values do. Every other column is kept as it comes.

    With ``primary_key`` and ``droppable`` (fields only that key reads), each piece is
    checked to follow the previous rows in key order, with no blank and no key repeated
    (a row can then only repeat the one just before it). While that holds, ``droppable``
    is not kept: there is nothing for the key and canonical-order checks to find
    (:attr:`in_order`). Once it fails, nothing more is gathered and :attr:`reread` says
    that the table must be read again with every kept field (``Kept(fields)``)."""

    def __init__(self, fields: list[str], coded=(), primary_key=(), droppable=()):
        self.fields = fields
        self._lines: list[range | np.ndarray] = []
        self._parts: dict[str, list] = {f: [] for f in fields}
        self._codes: dict[str, _Interner] = {}
        self._plain: set[str] = set()
        self._coded = set(coded)
        self._key = list(primary_key) if droppable else []
        self._drop = set(droppable) if self._key else set()
        self._last: pd.DataFrame | None = None  # the key of the last row so far
        self.reread = False

    @property
    def in_order(self) -> bool:
        """The rows proved in key order with no blank and no repeated key, and the fields
        only the key reads not kept."""
        return bool(self._drop) and not self.reread

    def add(self, typed: pd.DataFrame) -> None:
        if self.reread:
            return
        if self._drop and not self._follows(typed):
            self.reread = True
            self._lines, self._parts, self._codes = [], {}, {}
            return
        self._lines.append(_lines(typed.index))
        for f in self.fields:
            if f not in typed.columns or f in self._drop:
                continue
            s = typed[f]
            if f in self._codes:
                self._codes[f].encode(_dictionary(s))
            elif f not in self._plain and _strings(s) and len(s) >= max(ENCODE_ROWS, 2):
                encoded = _dictionary(s)
                if f in self._coded or len(encoded.dictionary) * ENCODE_RATIO <= len(s):
                    self._codes[f] = _Interner()
                    self._codes[f].encode(encoded)
                    continue
                self._plain.add(f)
                self._parts[f].append(s)
            else:
                self._plain.add(f)
                self._parts[f].append(s)

    def _follows(self, typed: pd.DataFrame) -> bool:
        """The piece's rows follow the rows so far in key order, no key blank or repeated."""
        if not all(f in typed.columns for f in self._key):
            return False
        if not len(typed):
            return True
        keys = typed[self._key]
        if self._last is not None:
            keys = pd.concat([self._last, keys])
        try:
            if keys.isna().to_numpy().any():
                return False
            ascending = None  # row i < row i + 1, comparing the key fields in turn
            for f in reversed(self._key):
                a = comparable(keys[f])
                lt, eq = np.asarray(a[:-1] < a[1:], dtype=bool), np.asarray(a[:-1] == a[1:], dtype=bool)
                ascending = lt if ascending is None else (lt | (eq & ascending))
        except (TypeError, ValueError):  # values that do not compare: the exact checks decide
            return False
        self._last = keys.iloc[-1:]
        return bool(ascending.all())

    def frame(self, columns: list[str]) -> pd.DataFrame:
        """The kept columns of ``columns``, indexed by line; the pieces are let go."""
        index = _index(self._lines)
        out = {}
        for f in self.fields:
            if f not in columns or f in self._drop:
                continue
            parts = self._parts.pop(f, [])
            if f in self._codes:
                out[f] = pd.Series(self._codes.pop(f).categorical(), index=index, name=f)
            elif not parts:
                out[f] = pd.Series([], dtype="str", index=index, name=f)
            else:
                s = parts[0] if len(parts) == 1 else pd.concat(parts)
                del parts
                out[f] = s.set_axis(index) if not s.index.equals(index) else s
        self._lines = []
        return pd.DataFrame(out, index=index, copy=False)


def _lines(index: pd.Index) -> range | np.ndarray:
    """A piece's line numbers: a range when they follow each other (8 bytes a row less)."""
    lines = index.to_numpy()
    if len(lines) and lines[-1] - lines[0] == len(lines) - 1 and (np.diff(lines) == 1).all():
        return range(int(lines[0]), int(lines[-1]) + 1)
    return lines


def _index(parts: list) -> pd.Index:
    """The line numbers of the pieces: a range when they follow each other."""
    if all(isinstance(p, range) for p in parts) and all(a.stop == b.start for a, b in zip(parts, parts[1:])):
        start = parts[0].start if parts else 0
        return pd.RangeIndex(start, parts[-1].stop if parts else 0, name="line")
    arrays = [np.arange(p.start, p.stop, dtype=np.int64) if isinstance(p, range) else p for p in parts]
    return pd.Index(np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64), dtype="int64", name="line")


def _strings(s: pd.Series) -> bool:
    return isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow"


def _dictionary(s: pd.Series) -> pa.DictionaryArray:
    arr = pa.array(s.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pc.dictionary_encode(arr)


#: The waiting pieces' distinct values that make a lookup worth it however few values so far.
MERGE_VALUES = 1 << 16


class _Interner:
    """Codes for the distinct strings of a column, the same in every piece.

    A piece's values are looked up among the distinct values so far only once the pieces
    waiting hold as many distinct values as those (the lookup hashes every value so far):
    the pieces in between keep their own codes, remapped then. So each value is hashed a
    bounded number of times however many pieces there are."""

    def __init__(self):
        self.values: pa.Array | None = None  # the distinct values so far, in the order met
        self._parts: list[np.ndarray] = []  # global codes, or a waiting piece's own
        self._waiting: list[tuple[int, pa.Array]] = []  # (part, its piece's dictionary)
        self._size = 0  # distinct values in the waiting pieces, summed

    def encode(self, piece: pa.DictionaryArray) -> None:
        """Take a dictionary-encoded piece (a blank as -1)."""
        self._parts.append(pc.fill_null(piece.indices, -1).to_numpy(zero_copy_only=False).astype(np.int32))
        self._waiting.append((len(self._parts) - 1, piece.dictionary))
        self._size += len(piece.dictionary)
        if self._size >= max(len(self.values) if self.values is not None else 0, MERGE_VALUES):
            self._merge()

    def _merge(self) -> None:
        if not self._waiting:
            return
        merged = pc.dictionary_encode(pa.concat_arrays([d for _, d in self._waiting]))
        new_values = merged.dictionary
        if self.values is None:
            lookup = np.arange(len(new_values), dtype=np.int32)
            self.values = new_values
        else:
            found = pc.index_in(new_values, value_set=self.values)
            new = found.is_null().to_numpy(zero_copy_only=False)
            lookup = pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int32)
            if new.any():
                lookup[new] = np.arange(len(self.values), len(self.values) + int(new.sum()), dtype=np.int32)
                self.values = pa.concat_arrays([self.values, new_values.filter(pa.array(new))])
        positions = merged.indices.to_numpy(zero_copy_only=False)  # each waiting value's place in new_values
        at = 0
        for part, dictionary in self._waiting:
            local = lookup[positions[at : at + len(dictionary)]]
            at += len(dictionary)
            codes = self._parts[part]
            self._parts[part] = np.where(codes >= 0, local[np.maximum(codes, 0)] if len(local) else -1, -1).astype(
                np.int32
            )
        self._waiting, self._size = [], 0

    def categorical(self) -> pd.Categorical:
        """The column, its categories sorted so that codes compare as the values do."""
        self._merge()
        codes = np.concatenate(self._parts) if self._parts else np.zeros(0, dtype=np.int32)
        self._parts = []
        values = self.values if self.values is not None else pa.array([], pa.large_string())
        order = pc.array_sort_indices(values).to_numpy(zero_copy_only=False)
        rank = np.empty(len(order), dtype=np.int32)
        rank[order] = np.arange(len(order), dtype=np.int32)
        if len(rank):
            codes = np.where(codes >= 0, rank[np.maximum(codes, 0)], -1).astype(np.int32)
        categories = pd.Index(
            pd.arrays.ArrowStringArray(values.take(pa.array(order)).cast(pa.large_string())), dtype="str"
        )
        return pd.Categorical.from_codes(codes, categories=categories)
