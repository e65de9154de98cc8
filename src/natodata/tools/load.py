"""``natodata.load()``: the package as one typed pandas DataFrame per table, for analysts.

* integers are ``Int64`` (gaps stay ``<NA>``), numbers ``double[pyarrow]`` (a gap is ``<NA>``;
  ``NaN`` and infinities are values);
* ``date`` fields and ISO 8601 partial dates become ``datetime64`` (a partial date
  becomes the first day of the period it names) and each partial date keeps its
  precision alongside, in ``<field>_precision`` (year, month or day);
* closed vocabularies are ``Categorical`` with the schema's categories, other text is
  the ``string`` dtype; blanks are ``<NA>``, and "NA", "None" or "null" stay text.

A package that does not validate is refused (:class:`~natodata.errors.InvalidPackage`,
with its findings), so no bad value becomes NaN or NaT unnoticed. ``validate=False``
loads it anyway, keeping what it can: a value outside the vocabulary becomes a category
of its own, and a date that does not exist becomes NaT with a warning.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from ..errors import InvalidPackage
from ..layout import resolve
from ..model.tableschema import TableSchema
from ..tables.dates import PRECISIONS, partial_date_bounds, precision_of
from ..tables.read import Loaded, read_tables

#: Errors an InvalidPackage message lists; the rest are counted.
LISTED = 5


def analysis_frame(typed: pd.DataFrame, schema: TableSchema) -> pd.DataFrame:
    """Convert a validated frame to the dtypes analysts get."""
    cols: dict[str, pd.Series] = {}
    for fld in schema.fields:
        s = typed[fld.name]
        if fld.vocabulary is not None:
            extra = sorted(set(s.dropna()) - set(fld.vocabulary), key=str)  # only without validation
            cols[fld.name] = pd.Series(pd.Categorical(s, categories=[*fld.vocabulary, *extra]), index=s.index)
        elif fld.is_partial_date:
            first, _ = partial_date_bounds(s.fillna(""))
            lost = int((first.isna() & s.notna() & (s != "")).sum())
            if lost:
                warnings.warn(f"{fld.name}: {lost} value{'s' * (lost != 1)} not a real date, loaded as NaT", stacklevel=3)
            cols[fld.name] = first
            if fld.precision_field is None:  # a precision the schema does not state is added
                cols[f"{fld.name}_precision"] = pd.Series(pd.Categorical(precision_of(s), categories=PRECISIONS), index=s.index)
        elif fld.type == "string":
            cols[fld.name] = s.astype("string")
        else:
            cols[fld.name] = s
    return pd.DataFrame(cols).reset_index(drop=True)


def read_valid(root: Path | str, validate: bool, action: str, override: str) -> Loaded:
    """Read the package once and, with ``validate``, run every check on the tables read;
    raise InvalidPackage listing the errors, if any. Without ``validate`` only what
    cannot be read at all (schemas, files, cells of the wrong type) is refused."""
    from ..checks.validate import check

    loaded = read_tables(root)
    report = check(loaded) if validate else loaded.report
    errors = [f for f in report.sorted() if f.severity == "error"]
    if errors:
        shown = [f"{f.path or f.table or '<package>'}{f':{f.line}' if f.line else ''}: {f.type}: {f.message}"
                 for f in errors[:LISTED]]
        more = f"\n  … and {len(errors) - LISTED} more" if len(errors) > LISTED else ""
        n = f"{len(errors)} error{'s' * (len(errors) != 1)}"
        why = f"it does not validate ({n}); run natodata validate, or {override} to go on" if validate else \
            f"it cannot be read ({n}); run natodata validate"
        raise InvalidPackage(f"cannot {action} {root}: {why}:\n  " + "\n  ".join(shown) + more, errors)
    return loaded


def load(version: str | None = None, path: Path | str | None = None, validate: bool = True) -> dict[str, pd.DataFrame]:
    """Load the package: the one shipped with natodata, a published ``version``, or any
    package with our schemas at ``path``. Raises InvalidPackage (with the findings) if
    the package does not validate, unless ``validate=False``."""
    root = resolve(version, path)
    loaded = read_valid(root, validate, "load", "pass validate=False")
    return {name: analysis_frame(t.typed, t.schema) for name, t in loaded.tables.items()}
