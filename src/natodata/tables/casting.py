"""Turning a frame of raw strings into typed columns, per the Table Schema.

Each failed conversion becomes a ``type-error`` finding and the cell becomes NA,
so constraint checks see only well-typed values.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..findings import Finding
from ..model.schemacheck import FALSE_VALUES as _FALSE, TRUE_VALUES as _TRUE
from ..model.tableschema import Field, TableSchema

INTEGER_RE = r"[+-]?[0-9]+"
NUMBER_RE = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
DATE_RE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
TRUE_VALUES = list(_TRUE)
FALSE_VALUES = list(_FALSE)


def _blanks_to_na(raw: pd.Series, present: pd.Series) -> pd.Series:
    """``raw.where(present)``. For Arrow-backed strings the result shares ``raw``'s
    buffers and only adds a validity bitmap, instead of copying every string."""
    if not (isinstance(raw.dtype, pd.StringDtype) and raw.dtype.storage == "pyarrow"):
        return raw.where(present)
    arr = pa.array(raw.array)
    chunks = []
    for c in arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]:
        if c.offset or c.null_count or not pa.types.is_large_string(c.type):
            return raw.where(present)
        valid = pc.not_equal(c, pa.scalar("", c.type))
        chunks.append(
            pa.LargeStringArray.from_buffers(
                len(c), c.buffers()[1], c.buffers()[2], valid.buffers()[1], len(c) - pc.sum(valid, min_count=0).as_py()
            )
        )
    typed = pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=pa.large_string()), dtype=raw.dtype)
    return pd.Series(typed, index=raw.index, name=raw.name, copy=False)


#: Number options natodata reads itself, vectorised; see :func:`_number_text`.
NUMBER_OPTIONS = ("bareNumber", "groupChar", "decimalChar")
#: Special number values (Table Schema: NaN, INF, -INF, in any case).
SPECIAL_NUMBERS = {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf")}
INT64 = (-(2**63), 2**63 - 1)
#: The longest integer read, in characters with its sign: Python's own limit on converting
#: text to an integer (``sys.get_int_max_str_digits()``, 4,300 by default), which guards
#: against conversion time that grows with the square of the length.
MAX_INTEGER_DIGITS = 4300


def fast_path(fld: Field) -> bool:
    """Whether natodata's own vectorised casting reads this field; every other type,
    format or option is read by frictionless's cell reader for the type."""
    fmt = fld.descriptor.get("format", "default")
    if fld.type in ("string", "any"):
        return fmt == "default" or fld.type == "any"
    if fld.type in ("integer", "number"):
        return fmt == "default"
    if fld.type in ("date", "boolean"):
        return fmt == "default"
    return False


def _number_text(raw: pd.Series, fld: Field) -> pd.Series:
    """Undo the number options: currency and percent signs around the number (bareNumber
    false), group characters, another decimal character."""
    d = fld.descriptor
    s = raw
    if d.get("bareNumber") is False:
        # Only what is not part of a number is stripped: a sign after the digits ("5-",
        # an accountant's minus) is not dropped but refused.
        signed_tail = s.str.contains(r"[-+]\D*$", regex=True) & s.str.contains(r"\d", regex=True)
        s = s.str.replace(r"^[^-+\d]*|\D*$", "", regex=True).where(~signed_tail, "x")
    group, dec = d.get("groupChar"), d.get("decimalChar", ".")
    if group:
        grouped = s.str.contains(group, regex=False)
        if grouped.any():
            s = s.where(~grouped | s.str.fullmatch(_grouping_re(group, dec)), "x")
        s = s.str.replace(group, "", regex=False)
    if dec != ".":
        s = s.where(~s.str.contains(".", regex=False), "x").str.replace(dec, ".", regex=False)
    return s


def _grouping_re(group: str, dec: str) -> str:
    """A number whose integer part is grouped with ``group``: groups of three digits
    (1,234,567) or the lakh and crore form (12,34,567), the group character only between
    digits, never in the fraction or the exponent."""
    g, d = re.escape(group), re.escape(dec)
    return rf"[+-]?(?:[0-9]{{1,3}}(?:{g}[0-9]{{3}})+|[0-9]{{1,2}}(?:{g}[0-9]{{2}})+{g}[0-9]{{3}})(?:{d}[0-9]*)?(?:[eE][+-]?[0-9]+)?"


def cast_column(raw: pd.Series, fld: Field, present: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    """Return ``(typed, bad)``: the converted column and a mask of cells that failed.
    ``present`` marks the cells that hold a value (default: the non-empty ones)."""
    if present is None:
        present = raw != ""
    elif not (present == (raw != "")).all():  # an empty string that is a value, not a blank
        return _cast_with_empty_values(raw, fld, present)
    t = fld.type
    if not fast_path(fld):
        return _cast_by_frictionless(raw, fld, present)
    if t in ("string", "any"):
        return (raw.copy(deep=False) if present.all() else _blanks_to_na(raw, present)), present & False
    if t in ("integer", "number", "date") and len(raw) > 1 and not raw.hasnans:
        # Convert each distinct value once: offsets, values and dates repeat a lot.
        codes, values = pd.factorize(raw)
        if len(values) < len(raw):
            typed, bad = cast_column(pd.Series(values, dtype=raw.dtype), fld)
            return typed.take(codes).set_axis(raw.index), bad.take(codes).set_axis(raw.index)
    if t in ("integer", "number") and any(k in fld.descriptor for k in NUMBER_OPTIONS):
        raw = _number_text(raw, fld).where(present, "")
    if t == "integer":
        ok = raw.str.fullmatch(INTEGER_RE)
        try:
            # Straight from text to int64 in Arrow: never through float64, which would
            # round every integer past 2**53 as soon as one blank made the column nullable.
            text = pa.array(raw.where(ok, None).astype(object).to_numpy(), type=pa.large_string(), from_pandas=True)
            typed = pd.Series(_nullable_ints(pc.cast(pc.utf8_ltrim(text, "+"), pa.int64())), index=raw.index)
        except (pa.ArrowInvalid, OverflowError, TypeError, ValueError):
            # Table Schema integers have no size limit: beyond 64 bits, Python ints, up to
            # the digits Python converts from text (MAX_INTEGER_DIGITS); longer is refused.
            ok = ok & (raw.str.len() <= MAX_INTEGER_DIGITS)
            typed = pd.Series([int(v) if k else pd.NA for v, k in zip(raw, ok)], index=raw.index, dtype="object")
        return typed, present & ~ok
    if t == "number":
        lowered = raw.str.lower()
        is_special = lowered.isin(list(SPECIAL_NUMBERS))
        ok = raw.str.fullmatch(NUMBER_RE) | is_special
        values = pd.to_numeric(raw.where(raw.str.fullmatch(NUMBER_RE)), errors="coerce").astype("float64")
        # A number a double cannot hold is refused, not turned into another: 1e999 would
        # be inf and 1e-999 would be 0.
        lost = (
            ok
            & ~is_special
            & (values.isin([np.inf, -np.inf]) | ((values == 0) & raw.str.contains(r"^[^eE]*[1-9]", regex=True)))
        )
        if lost.any():
            ok = ok & ~lost.fillna(False)
        values = values.where(~is_special, lowered.map(SPECIAL_NUMBERS).astype("float64"))
        # Arrow doubles keep NaN (a value) apart from null (a blank).
        arr = pa.array(values.to_numpy(dtype="float64"), mask=~ok.to_numpy(dtype=bool))
        return pd.Series(arr, index=raw.index, dtype=pd.ArrowDtype(pa.float64())), present & ~ok
    if t == "date":
        shaped = raw.str.fullmatch(DATE_RE)
        typed = pd.to_datetime(raw.where(shaped), format="%Y-%m-%d", errors="coerce")
        return typed, present & typed.isna()
    if t == "boolean":
        tv = fld.descriptor.get("trueValues", TRUE_VALUES)
        fv = fld.descriptor.get("falseValues", FALSE_VALUES)
        typed = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        typed[raw.isin(tv)] = True
        typed[raw.isin(fv)] = False
        return typed, present & typed.isna()
    raise ValueError(t)


def _nullable_ints(ints: pa.Array) -> pd.api.extensions.ExtensionArray:
    """An Arrow int64 array with nulls as pandas ``Int64``, every digit kept."""
    values = ints.fill_null(0).to_numpy(zero_copy_only=False)
    mask = ints.is_null().to_numpy(zero_copy_only=False)
    return pd.arrays.IntegerArray(values, mask)


def _cast_with_empty_values(raw: pd.Series, fld: Field, present: pd.Series) -> tuple[pd.Series, pd.Series]:
    typed, bad = cast_column(raw, fld)
    empty = present & (raw == "")
    if fld.type in ("string", "any") and fast_path(fld):
        typed = typed.astype(raw.dtype).where(~empty, "")
        return typed, bad & False
    return typed, bad | empty


@lru_cache(maxsize=512)
def _frictionless_reader(descriptor_text: str):
    from frictionless import Field as FField

    return FField.from_descriptor(json.loads(descriptor_text)).create_value_reader()


def value_reader(fld: Field):
    """frictionless's reader of one cell of this field's type, format and options: the
    value, or None when the text is not of the type."""
    desc = {
        k: v
        for k, v in fld.descriptor.items()
        if k
        in (
            "name",
            "type",
            "format",
            "trueValues",
            "falseValues",
            "bareNumber",
            "groupChar",
            "decimalChar",
            "delimiter",
            "itemType",
        )
    }
    desc.setdefault("name", "field")
    desc["type"] = fld.type
    return _frictionless_reader(json.dumps(desc, sort_keys=True))


def _cast_by_frictionless(raw: pd.Series, fld: Field, present: pd.Series) -> tuple[pd.Series, pd.Series]:
    read = value_reader(fld)
    codes, values = pd.factorize(raw.where(present))
    cast = []
    for v in values:
        try:
            cast.append(read(v))
        except (ValueError, TypeError, ArithmeticError):  # a reader that raises instead of answering None
            cast.append(None)
    ok_values = [c is not None for c in cast]
    typed = pd.Series([cast[c] if c >= 0 else None for c in codes], index=raw.index, dtype="object")
    bad = pd.Series([c >= 0 and not ok_values[c] for c in codes], index=raw.index, dtype=bool)
    if fld.type == "number":  # frictionless reads Decimal; natodata's numbers are doubles
        typed = typed.map(lambda v: None if v is None else float(v), na_action="ignore")
    return typed.where(~bad, None), present & bad


def _a(type_: str) -> str:
    return ("an " if type_[0] in "aeiou" else "a ") + type_


def type_description(fld: Field) -> str:
    """How a type-error message names what the value should be."""
    fmt = fld.descriptor.get("format", "default")
    what = f"a valid {fld.type}" + (f" (format {fmt})" if fmt != "default" else "")
    if fld.type == "date" and fmt == "default":
        what += " (expected YYYY-MM-DD)"
    if fld.type == "list":
        what += f" (items of type {fld.descriptor.get('itemType', 'string')}, separated by {fld.descriptor.get('delimiter', ',')!r})"
    return what


def constraint_value(fld: Field, value):
    """A constraint value (minimum, enum item, …) as a value of the field's type, or
    raise ValueError. Table Schema lets it be written as the type's JSON value or as its
    text form."""
    typed, error = constraint_values(fld, [value])[0]
    if error is not None:
        raise ValueError(error)
    return typed


def constraint_values(fld: Field, values: list) -> list[tuple[object, str | None]]:
    """``(typed value, None)`` or ``(None, why not)`` for each of ``values``, as
    :func:`constraint_value` reads one; the text forms are cast in one vectorised pass,
    so an enum of any length costs one column's casting."""
    out: list[tuple[object, str | None]] = [(None, None)] * len(values)
    texts: dict[int, str] = {}
    for i, value in enumerate(values):
        if fld.type == "boolean" and isinstance(value, bool):
            out[i] = (value, None)  # a logical value, as JSON writes it
        elif isinstance(value, bool) or value is None:
            out[i] = (None, f"{value!r} is not {_a(fld.type)}")
        elif fld.type in ("integer", "number") and isinstance(value, (int, float)):
            if fld.type == "integer" and not (isinstance(value, int) or float(value).is_integer()):
                out[i] = (None, f"{value!r} is not an integer")
            elif isinstance(value, float) and not math.isfinite(value):
                out[i] = (None, f"{value!r} is not a finite number")
            else:
                out[i] = (int(value) if fld.type == "integer" else float(value), None)
        else:
            texts[i] = value if isinstance(value, str) else json.dumps(value)
    if texts:
        at = list(texts)
        typed, bad = cast_column(pd.Series([texts[i] for i in at], dtype="str"), fld)
        for i, v, b in zip(at, typed.tolist(), bad.tolist()):
            if b or (v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)) and texts[i] != "":
                out[i] = (None, f"{values[i]!r} is not {_a(fld.type)}")
            else:
                out[i] = (v.item() if hasattr(v, "item") else v, None)
    return out


def constraint_problems(fld: Field) -> list[tuple[str, str]]:
    """``(pointer below the field, message)`` for each constraint or category value that
    is not of the field's type."""
    out = []
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if key in fld.constraints:
            try:
                constraint_value(fld, fld.constraints[key])
            except ValueError as exc:
                out.append((f"/constraints/{key}", f"{key} {exc}"))
    enum = fld.constraints.get("enum") or []
    for i, (_, error) in enumerate(constraint_values(fld, list(enum)) if isinstance(enum, list) else []):
        if error is not None:
            out.append((f"/constraints/enum/{i}", f"enum value {error}"))
    return out


def cast_frame(
    raw: pd.DataFrame, schema: TableSchema, table: str, path: str, null_sequence: str | None = None
) -> tuple[pd.DataFrame, list[Finding], set]:
    """Cast every schema field present in ``raw``. Returns the typed frame, the
    type-error findings and the set of ``(line, field)`` cells that failed. The dialect's
    ``nullSequence`` is a missing value too."""
    findings: list[Finding] = []
    bad_cells: set = set()
    cols = {}
    for fld in schema.fields:
        if fld.name not in raw.columns:
            continue
        col = raw[fld.name]
        missing = set(fld.missing_values if fld.missing_values is not None else schema.missing_values)
        if null_sequence is not None:
            missing.add(null_sequence)
        if missing == {""}:
            typed, bad = cast_column(col, fld)
        else:
            # Without "" among the missing values, an empty cell is a value (an empty
            # string, or a type error for other types), and only the listed texts are blank.
            is_missing = col.isin(missing)
            typed, bad = cast_column(col.where(~is_missing, ""), fld, present=~is_missing)
        cols[fld.name] = typed
        if bad.any():
            for line, value in col[bad].items():
                bad_cells.add((line, fld.name))
                findings.append(
                    Finding(
                        "type-error",
                        f"{value!r} is not {type_description(fld)}",
                        table=table,
                        path=path,
                        line=int(line),
                        field=fld.name,
                        value=value,
                    )
                )
    return pd.DataFrame(cols, index=raw.index), findings, bad_cells
