"""``natodata.load()``: the package as one typed pandas DataFrame per table, for analysts.

* integers are ``Int64`` (gaps stay ``<NA>``), numbers ``double[pyarrow]`` (a gap is ``<NA>``;
  ``NaN`` and infinities are values);
* ``date`` fields become ``datetime64``; an ISO 8601 partial date stays the string as
  written ("2016", "2020-02", "2020-02-12"), followed by its precision (the schema's
  ``x-precision`` field, or an added ``<field>_precision``: year, month or day) and the
  typed first and last day of the period it names, ``<field>_first_day`` and
  ``<field>_last_day`` ("2016" gives 2016-01-01 and 2016-12-31). No year becomes
  1 January without saying so. (These names are not ``_earliest``/``_latest``: events
  has ``date_earliest``/``date_latest`` fields, the bounds the evidence allows. A schema
  field named like a derived column is refused, see :func:`derived_columns`.)
* closed vocabularies are ``Categorical`` with the schema's categories, other text is
  the ``string`` dtype; blanks are ``<NA>``, and "NA", "None" or "null" stay text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import NatodataError, UnreadableInput
from ..layout import resolve
from ..model.tableschema import TableSchema
from ..tables.dates import PRECISIONS, partial_date_bounds, precision_of
from ..tables.read import read_tables


#: The columns load() derives from a partial-date field, by suffix.
FIRST_DAY, LAST_DAY, PRECISION = "_first_day", "_last_day", "_precision"


def derived_columns(schema: TableSchema, table: str = "") -> dict[str, list[str]]:
    """The columns load() adds after each partial-date field (after its precision field,
    if the schema has one), by field: ``[<field>_precision]`` when the schema states no
    precision, then ``<field>_first_day`` and ``<field>_last_day``. Raises
    UnreadableInput if a schema field has one of these names."""
    out = {}
    for fld in schema.fields:
        if fld.is_partial_date:
            out[fld.name] = ([fld.name + PRECISION] if fld.precision_field is None else []) + [fld.name + FIRST_DAY, fld.name + LAST_DAY]
    names = set(schema.field_names)
    for fld, cols in out.items():
        for col in cols:
            if col in names:
                where = f"table {table!r}: " if table else ""
                raise UnreadableInput(f"{where}field {col!r} has the name of the column load() derives from the "
                                      f"partial date {fld!r}; rename the field")
    return out


def analysis_frame(typed: pd.DataFrame, schema: TableSchema, table: str = "") -> pd.DataFrame:
    """Convert a validated frame to the dtypes analysts get."""
    derived = derived_columns(schema, table)
    cols: dict[str, pd.Series] = {}
    extra: dict[str, dict[str, pd.Series]] = {}  # derived columns, by the field they follow
    for fld in schema.fields:
        s = typed[fld.name]
        if fld.vocabulary is not None:
            cols[fld.name] = pd.Series(pd.Categorical(s, categories=fld.vocabulary), index=s.index)
        elif fld.type == "string":
            cols[fld.name] = s.astype("string")
        else:
            cols[fld.name] = s
        if fld.name in derived:
            first, last = partial_date_bounds(s.fillna(""))
            new = dict(zip(derived[fld.name][-2:], (first, last)))
            if fld.precision_field is None:  # a precision the schema does not state is added
                new = {fld.name + PRECISION: pd.Series(pd.Categorical(precision_of(s), categories=PRECISIONS), index=s.index)} | new
            follows = fld.precision_field if fld.precision_field in schema.field_names else fld.name
            extra.setdefault(follows, {}).update(new)
    out: dict[str, pd.Series] = {}
    for name, s in cols.items():
        out[name] = s
        out.update(extra.get(name, {}))
    return pd.DataFrame(out).reset_index(drop=True)


def load(version: str | None = None, path: Path | str | None = None) -> dict[str, pd.DataFrame]:
    """Load the package: the one shipped with natodata, a published ``version``, or any
    package with our schemas at ``path``. Raises NatodataError if a table cannot be
    read cleanly (run ``natodata validate`` for the details)."""
    root = resolve(version, path)
    loaded = read_tables(root)
    if loaded.report.errors:
        first = loaded.report.sorted()[0]
        where = f"{first.path}:{first.line}" if first.line else (first.path or "")
        raise NatodataError(f"cannot load {root}: {len(loaded.report.errors)} errors, the first at {where}: {first.message}")
    return {name: analysis_frame(t.typed, t.schema, name) for name, t in loaded.tables.items()}
