"""Which columns of each table the whole-table checks read.

Tables are checked piece by piece as they are read (:mod:`natodata.checks.validate`);
of each table only these columns are kept for the checks that need every row at once
or other tables: primary, unique and foreign keys (both sides), ``unique`` fields, the
rules that compare rows or tables (each :class:`~natodata.checks.rules.Rule` says what it
reads) and the spans that completeness counts (``x-covers``). The table listing the
articles (``x-corpus``) is kept whole: the anchors of every other table are checked
against it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.tableschema import TableSchema
from .constraints import unique_fields
from .rules import rules_for


def retained_fields(schemas: dict[str, TableSchema]) -> dict[str, list[str]]:
    """For each table, the fields to keep, in schema order."""
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
        if isinstance(covers, dict) and schema.anchor is not None and schema.source_field is not None:
            want(name, [schema.source_field, schema.anchor.start, schema.anchor.end])
            if isinstance(covers.get("extent"), str):
                want(name, [covers["extent"]])
        if schema.corpus is not None:
            want(name, schema.field_names)
    return {name: [f for f in schemas[name].field_names if f in fields] for name, fields in wanted.items()}


class Kept:
    """The kept columns of one table, gathered piece by piece.

    A string column whose first piece repeats its values (at most one distinct value for
    every two rows: source, actor and event ids, roles) is kept as a categorical: an int32
    code per row and each distinct value once, its categories sorted so that codes
    compare as the values do. Every other column is kept as it comes."""

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
            if f not in self._codes and f not in self._plain:
                if _repeats(s):
                    self._codes[f] = _Interner()
                else:
                    self._plain.add(f)
            self._parts[f].append(self._codes[f].encode(s) if f in self._codes else s)

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


def _repeats(s: pd.Series) -> bool:
    if not (isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow") or len(s) < 2:
        return False
    return s.nunique() * 2 <= len(s)


class _Interner:
    """Codes for the distinct strings of a column, the same in every piece."""

    def __init__(self):
        self.code: dict[str, int] = {}

    def encode(self, s: pd.Series) -> np.ndarray:
        codes, uniques = pd.factorize(s)
        lookup = np.array([self.code.setdefault(u, len(self.code)) for u in uniques.tolist()], dtype=np.int32)
        out = np.full(len(codes), -1, dtype=np.int32)
        present = codes >= 0
        out[present] = lookup[codes[present]]
        return out

    def categorical(self, codes: np.ndarray) -> pd.Categorical:
        values = np.array(list(self.code), dtype=object)
        order = np.argsort(values, kind="stable")
        rank = np.empty(len(order), dtype=np.int32)
        rank[order] = np.arange(len(order), dtype=np.int32)
        sorted_codes = np.where(codes >= 0, rank[np.maximum(codes, 0)], -1).astype(np.int32) if len(rank) else codes
        return pd.Categorical.from_codes(sorted_codes, categories=pd.Index(values[order], dtype="str"))
