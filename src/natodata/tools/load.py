"""``natodata.load()``: the package as one typed pandas DataFrame per table, for analysts.

* integers are ``Int64`` (gaps stay ``<NA>``), numbers ``double[pyarrow]`` (a gap is ``<NA>``;
  ``NaN`` and infinities are values);
* ``date`` fields and ISO 8601 partial dates become ``datetime64`` (a partial date
  becomes the first day of the period it names) and each partial date keeps its
  precision alongside, in ``<field>_precision`` (year, month or day);
* closed vocabularies are ``Categorical`` with the schema's categories, other text is
  the ``string`` dtype; blanks are ``<NA>``, and "NA", "None" or "null" stay text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import NatodataError
from ..layout import resolve
from ..model.tableschema import TableSchema
from ..tables.dates import PRECISIONS, partial_date_bounds, precision_of
from ..tables.read import read_tables


def analysis_frame(typed: pd.DataFrame, schema: TableSchema) -> pd.DataFrame:
    """Convert a validated frame to the dtypes analysts get."""
    cols: dict[str, pd.Series] = {}
    for fld in schema.fields:
        s = typed[fld.name]
        if fld.vocabulary is not None:
            cols[fld.name] = pd.Series(pd.Categorical(s, categories=fld.vocabulary), index=s.index)
        elif fld.is_partial_date:
            first, _ = partial_date_bounds(s.fillna(""))
            cols[fld.name] = first
            if fld.precision_field is None:  # a precision the schema does not state is added
                cols[f"{fld.name}_precision"] = pd.Series(pd.Categorical(precision_of(s), categories=PRECISIONS), index=s.index)
        elif fld.type == "string":
            cols[fld.name] = s.astype("string")
        else:
            cols[fld.name] = s
    return pd.DataFrame(cols).reset_index(drop=True)


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
    return {name: analysis_frame(t.typed, t.schema) for name, t in loaded.tables.items()}
