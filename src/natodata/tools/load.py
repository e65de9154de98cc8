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

A package that does not validate is refused (:class:`~natodata.errors.InvalidPackage`,
with its findings), so no bad value becomes NaN or NaT unnoticed. ``validate=False``
loads it anyway, keeping what it can: a cell that cannot be read as its type is left
empty, with a warning naming it; a value outside the vocabulary becomes a category of
its own, and a date that does not exist gets no bounds, with a warning. Only what
cannot be read at all (a schema refused, a file unreadable) is still refused.

Which data: the package at ``path`` (by default the one shipped with natodata) as it
stands, its working copy; ``version="X.Y.Z"`` or ``"latest"`` reads one of *its*
published releases, the same choice as the commands' ``--release`` (docs/cli.md).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from ..errors import InvalidPackage, UnreadableInput
from ..layout import package_dir
from ..report import finding_lines
from ..model.tableschema import TableSchema
from ..tables.casting import constraint_values
from ..tables.dates import PRECISIONS, partial_date_bounds, precision_of
from ..tables.read import Loaded, read_tables

#: What ``load(validate=False)`` leaves empty, with a warning, instead of refusing.
LEFT_EMPTY = frozenset({"type-error"})


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
            out[fld.name] = ([fld.name + PRECISION] if fld.precision_field is None else []) + [
                fld.name + FIRST_DAY,
                fld.name + LAST_DAY,
            ]
    names = set(schema.field_names)
    for fld, cols in out.items():
        for col in cols:
            if col in names:
                where = f"table {table!r}: " if table else ""
                raise UnreadableInput(
                    f"{where}field {col!r} has the name of the column load() derives from the "
                    f"partial date {fld!r}; rename the field"
                )
    return out


def analysis_frame(typed: pd.DataFrame, schema: TableSchema, table: str = "") -> pd.DataFrame:
    """Convert a validated frame to the dtypes analysts get."""
    derived = derived_columns(schema, table)
    cols: dict[str, pd.Series] = {}
    extra: dict[str, dict[str, pd.Series]] = {}  # derived columns, by the field they follow
    for fld in schema.fields:
        s = typed[fld.name]
        if fld.vocabulary is not None:
            # The vocabulary as values of the field's type: an integer enum written as
            # text ("1") gives the categories 1, never a mix of "1" and 1.
            vocab = (
                list(fld.vocabulary)
                if fld.type == "string"
                else [v for v, error in constraint_values(fld, fld.vocabulary) if error is None]
            )
            vocab = list(dict.fromkeys(vocab))
            extra_terms = sorted(set(s.dropna()) - set(vocab), key=str)  # only without validation
            cols[fld.name] = pd.Series(pd.Categorical(s, categories=[*vocab, *extra_terms]), index=s.index)
        elif fld.type == "string":
            cols[fld.name] = s.astype("string")
        else:
            cols[fld.name] = s
        if fld.name in derived:
            first, last = partial_date_bounds(s.fillna(""))
            lost = int((first.isna() & s.notna() & (s != "")).sum())  # only without validation
            if lost:
                warnings.warn(
                    f"{fld.name}: {lost} value{'s' * (lost != 1)} not a real date: kept as written, "
                    "with no first or last day (left empty)",
                    stacklevel=3,
                )
            new = dict(zip(derived[fld.name][-2:], (first, last)))
            if fld.precision_field is None:  # a precision the schema does not state is added
                new = {
                    fld.name + PRECISION: pd.Series(
                        pd.Categorical(precision_of(s), categories=PRECISIONS), index=s.index
                    )
                } | new
            follows = fld.precision_field if fld.precision_field in schema.field_names else fld.name
            extra.setdefault(follows, {}).update(new)
    out: dict[str, pd.Series] = {}
    for name, s in cols.items():
        out[name] = s
        out.update(extra.get(name, {}))
    return pd.DataFrame(out).reset_index(drop=True)


def read_valid(root: Path | str, validate: bool, action: str, override: str) -> Loaded:
    """Read the package once and, with ``validate``, run every check on the tables read;
    raise InvalidPackage listing the errors, if any. Without ``validate`` only what
    cannot be read at all (schemas, files, cells of the wrong type) is refused."""
    from ..checks.validate import validate_loaded

    loaded = read_tables(root)
    report = validate_loaded(loaded) if validate else loaded.report
    errors = [f for f in report.sorted() if f.severity == "error"]
    if not validate:  # a cell that cannot be read as its type is left empty, and named
        for f in (f for f in errors if f.type in LEFT_EMPTY and f.table in loaded.tables):
            warnings.warn(f"{f.path}:{f.line}: {f.field}: {f.message}; left empty", stacklevel=3)
        errors = [f for f in errors if f.type not in LEFT_EMPTY or f.table not in loaded.tables]
    if errors:
        n = f"{len(errors)} error{'s' * (len(errors) != 1)}"
        why = (
            f"it does not validate ({n}); run natodata validate, or {override} to go on"
            if validate
            else f"it cannot be read ({n}); run natodata validate"
        )
        raise InvalidPackage(f"cannot {action} {root}: {why}:\n  " + "\n  ".join(finding_lines(errors)), errors)
    return loaded


def load(version: str | None = None, path: Path | str | None = None, validate: bool = True) -> dict[str, pd.DataFrame]:
    """Load the package at ``path`` (default: the one shipped with natodata): its working
    copy, or with ``version`` one of its published releases (``"X.Y.Z"`` or ``"latest"``;
    ``"working"`` is the default). Raises InvalidPackage (with the findings) if the
    package does not validate; with ``validate=False``, only if it cannot be read at all."""
    root = package_dir(version, path)
    loaded = read_valid(root, validate, "load", "pass validate=False")
    return {name: analysis_frame(t.typed, t.schema, name) for name, t in loaded.tables.items()}
