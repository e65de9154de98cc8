"""Table Schema constraints and domain rules, enforced by pandera schemas per table.

:class:`TableChecks` derives them from the Table Schema once per run. One
``DataFrameSchema`` checks each piece of a table (:meth:`TableChecks.rows`): a column's
``required`` (pandera's ``nullable``), one pandera check per column that runs all of the
column's tests in one pass (:func:`natodata.checks.columns.column_check`: its constraints,
categories/enum, pattern, minimum/maximum and their exclusive forms, jsonSchema and
lengths, then its cell checks), and the rules that look at one row. The other checks the
whole table (:meth:`TableChecks.whole`): uniqueness and the rules that read the whole table
or other tables. Each runs lazily; pandera's ``failure_cases`` become findings (a failing
value's tests told apart by :func:`natodata.checks.columns.failures`), and a check that
raises instead of returning a verdict is a ``check-error``.
"""

from __future__ import annotations

import copy
import json
import operator
from functools import lru_cache
from typing import Callable

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from ..findings import Finding, display_value
from ..model.patterns import anchored_pattern
from ..model.tableschema import Field, TableSchema
from ..tables.casting import constraint_value, constraint_values
from .columns import ColumnTest, cell_tests, column_check, failures, in_order
from .rules import Rule, Schemas, Tables, rules_for


def _column_tests(fld: Field, schema: TableSchema) -> list[ColumnTest]:
    """The tests of a field's values, in the order their findings come: its Table Schema
    constraints but uniqueness and required, then its cell checks."""
    c = fld.constraints
    out: list[ColumnTest] = []
    vocab = fld.vocabulary
    if vocab is not None:
        # Enum values are cast to the field's type (read.py refused the schema otherwise).
        typed = [v for v, _ in constraint_values(fld, vocab)] if fld.type != "string" else list(vocab)
        out.append(
            ColumnTest(
                "enum-constraint",
                lambda s: s.isin(typed),
                lambda v: f"{v!r} is not one of: {', '.join(map(str, vocab))}",
            )
        )
    if "pattern" in c:
        out.append(
            ColumnTest(
                "pattern-constraint",
                lambda s: matches_pattern(s, c["pattern"]),
                lambda v: f"{v!r} does not match the pattern {c['pattern']}",
            )
        )
    bounds = [
        ("minimum", operator.ge, "minimum-constraint", "less than the minimum"),
        ("maximum", operator.le, "maximum-constraint", "greater than the maximum"),
        ("exclusiveMinimum", operator.gt, "exclusive-minimum-constraint", "not greater than the exclusive minimum"),
        ("exclusiveMaximum", operator.lt, "exclusive-maximum-constraint", "not less than the exclusive maximum"),
    ]
    for key, compare, type_, says in bounds:
        if key in c:
            limit = constraint_value(fld, c[key])
            out.append(
                ColumnTest(
                    type_,
                    lambda s, compare=compare, limit=limit: compare(s, limit),
                    lambda v, key=key, says=says: f"{v} is {says} {c[key]}",
                )
            )
    if isinstance(c.get("jsonSchema"), dict):
        valid = _json_schema_check(json.dumps(c["jsonSchema"], sort_keys=True))
        out.append(
            ColumnTest(
                "json-schema-constraint", lambda s: s.map(valid), lambda v: f"{v} does not match the field's jsonSchema"
            )
        )
    if "minLength" in c:
        out.append(
            ColumnTest(
                "min-length-constraint",
                lambda s: s.str.len() >= c["minLength"],
                lambda v: f"{v!r} is shorter than {c['minLength']} characters",
            )
        )
    if "maxLength" in c:
        out.append(
            ColumnTest(
                "max-length-constraint",
                lambda s: s.str.len() <= c["maxLength"],
                lambda v: f"{v!r} is longer than {c['maxLength']} characters",
            )
        )
    return out + cell_tests(fld, schema)


def matches_pattern(s: pd.Series, pattern: str) -> pd.Series:
    """A Table Schema ``pattern``, matched against whole values by RE2 (pyarrow), whose
    time is linear in the text; the schema gate refused every pattern RE2 cannot compile
    (:func:`natodata.model.schemacheck.linear_time_problem`). Blanks pass."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pa.array(
        s.astype("str").array if not isinstance(s.dtype, pd.StringDtype) else s.array,
        type=pa.large_string(),
        from_pandas=True,
    )
    matched = pc.match_substring_regex(values, anchored_pattern(pattern))
    return pd.Series(matched.to_numpy(zero_copy_only=False), index=s.index).fillna(True).astype(bool)


@lru_cache(maxsize=64)
def _json_schema_check(spec_text: str) -> Callable:
    """A cell check: the value (an object or array) is valid against the JSON Schema."""
    from ..model.jsonschemas import offline_validator

    validator = offline_validator(json.loads(spec_text))  # a $ref outside it fails, never fetched
    return lambda v: validator.is_valid(v)


class TableChecks:
    """The pandera schemas of one table, built once per run.

    * :meth:`rows` checks a piece of the table: every column constraint but uniqueness,
      the generic cell checks and the rules that look at one row at a time;
    * :meth:`whole` checks the whole table, on the columns kept for it: uniqueness and
      the rules that read the whole table or other tables (``tables``).
    """

    def __init__(self, schema: TableSchema, table: str, path: str, present_columns, schemas: Schemas):
        self.schema, self.table, self.path = schema, table, path
        columns = set(present_columns)  # sets throughout: a schema may have any number of fields
        present = tuple(f.name for f in schema.fields if f.name in columns)
        text = json.dumps(schema.descriptor, sort_keys=True)
        self._columns, self.meta = _column_schema(text, present)
        rules = rules_for(table, schema, schemas) if columns.issuperset(schema.field_names) else []
        self.row_rules = [r for r in rules if r.per_row]
        self.table_rules = [r for r in rules if not r.per_row]
        self._unique = _unique_schema(text, present)
        # The column checks depend on the Table Schema alone and are built once per schema
        # text; only the rules are bound here.
        self._rows = copy.copy(self._columns)
        self._rows.checks = [r.check({}) for r in self.row_rules]

    def rows(self, frame: pd.DataFrame, bad_cells: set) -> list[Finding]:
        return _run(self._rows, frame, self.meta, self.row_rules, self.table, self.path, {}, bad_cells)

    @property
    def needs_whole(self) -> bool:
        return bool(self.table_rules) or bool(self._unique.columns)

    def whole(self, frame: pd.DataFrame, tables: Tables) -> list[Finding]:
        if not self.needs_whole:
            return []
        pschema = copy.copy(self._unique)
        pschema.checks = [r.check(tables) for r in self.table_rules]
        return _run(pschema, frame, {}, self.table_rules, self.table, self.path, tables, set())


def unique_fields(schema: TableSchema) -> list[str]:
    """The fields whose ``unique`` constraint pandera checks (a sole primary-key field is
    reported by the key check, not twice)."""
    return [f.name for f in schema.fields if f.unique and schema.primary_key != [f.name]]


@lru_cache(maxsize=128)
def _column_schema(schema_text: str, present: tuple[str, ...]) -> tuple[pa.DataFrameSchema, dict]:
    schema = TableSchema(json.loads(schema_text))
    cols = {}
    meta: dict = {}
    pk = set(schema.primary_key)
    wanted = set(present)
    for fld in schema.fields:
        if fld.name not in wanted:
            continue
        tests = tuple(_column_tests(fld, schema))
        checks = []
        if tests:  # one check per column, all its tests in one pass (column_check)
            meta[fld.name] = tests
            checks.append(pa.Check(column_check(tests), name=COLUMN_TESTS, error=COLUMN_TESTS))
        required = fld.required or fld.name in pk
        cols[fld.name] = pa.Column(None, checks=checks, nullable=not required, required=False)
    return pa.DataFrameSchema(cols), meta


@lru_cache(maxsize=128)
def _unique_schema(schema_text: str, present: tuple[str, ...]) -> pa.DataFrameSchema:
    schema = TableSchema(json.loads(schema_text))
    return pa.DataFrameSchema(
        {
            name: pa.Column(None, nullable=True, unique=True, report_duplicates="exclude_first", required=False)
            for name in unique_fields(schema)
            if name in present
        }
    )


#: The name of a column's one pandera check (:func:`natodata.checks.columns.column_check`).
COLUMN_TESTS = "column-tests"


def _check_error(row, rules: list[Rule], table: str, path: str, name: str | None = None) -> Finding:
    if name is not None:
        col = row.column
    elif row.schema_context == "DataFrameSchema":
        name, col = (
            (
                rules[int(row.check_number)].type
                if row.check_number is not None and not pd.isna(row.check_number)
                else str(row.check)
            ),
            None,
        )
    else:
        name, col = str(row.check), row.column
    return Finding(
        "check-error",
        f"the {name} check raised {row.failure_case} instead of returning a verdict; "
        "the values it covers are unchecked",
        table=table,
        path=path,
        field=col,
    )


def _column_findings(
    frame: pd.DataFrame, col: str, lines: list[int], tests: tuple[ColumnTest, ...], table: str, path: str
) -> list[Finding]:
    """The findings of the values of ``col`` at ``lines``, which failed its column check,
    one per failed test. If telling the tests apart raises, they are run again one by one
    (:func:`_one_by_one`)."""
    values = frame[col].loc[lines]
    try:
        failed = failures(tests, values)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, ArithmeticError):
        return _one_by_one(frame, col, tests, table, path)
    return _findings(values, lines, failed, col, table, path)


def _findings(
    values: pd.Series, lines: list[int], failed: list[tuple[int, ColumnTest]], col: str, table: str, path: str
) -> list[Finding]:
    out = []
    for pos, t in failed:
        v = display_value(values.iloc[pos])
        out.append(Finding(t.type, t.describe(v), table=table, path=path, line=lines[pos], field=col, value=v))
    return out


def _one_by_one(frame: pd.DataFrame, col: str, tests: tuple[ColumnTest, ...], table: str, path: str) -> list[Finding]:
    """The findings of a column whose check raised: each test as its own pandera check, so
    a test that raises is a check-error of its finding type and the others still answer."""
    pschema = pa.DataFrameSchema(
        {
            col: pa.Column(
                None, checks=[pa.Check(column_check([t]), name=t.type) for t in tests], nullable=True, required=False
            )
        }
    )
    try:
        pschema.validate(frame[[col]], lazy=True)
        return []
    except SchemaErrors as exc:
        fc = exc.failure_cases
    out: list[Finding] = []
    failed: dict[int, set[int]] = {}  # the failing lines of each test
    for row in fc.itertuples(index=False):
        i = int(row.check_number)
        if row.index is None or pd.isna(row.index):
            out.append(_check_error(row, [], table, path, name=tests[i].type))
        else:
            failed.setdefault(i, set()).add(int(row.index))
    lines = sorted(set().union(*failed.values()))
    masks = [np.isin(lines, sorted(failed.get(i, ()))) for i in range(len(tests))]
    return out + _findings(frame[col].loc[lines], lines, in_order(tests, masks), col, table, path)


def _run(
    pschema: pa.DataFrameSchema,
    frame: pd.DataFrame,
    meta: dict,
    rules: list[Rule],
    table: str,
    path: str,
    tables: Tables,
    bad_cells: set,
) -> list[Finding]:
    """Validate ``frame`` lazily with ``pschema``; turn pandera's failure cases into findings."""
    try:
        # A shallow copy: pandera registers the schema on the object it validates, and the
        # schema's rules refer to the tables, so validating ``frame`` itself would keep
        # every table alive until interpreter shutdown.
        pschema.validate(frame.copy(deep=False), lazy=True, inplace=True)
        return []
    except SchemaErrors as exc:
        fc = exc.failure_cases
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, ArithmeticError) as exc:
        # pandera could not even collect the failures (for example, uniqueness over
        # values that cannot be hashed): every check of the table is unanswered.
        return [
            Finding(
                "check-error",
                f"the checks of table {table!r} raised {type(exc).__name__}: {exc} instead of "
                "returning a verdict; its values are unchecked",
                table=table,
                path=path,
            )
        ]
    findings: list[Finding | str] = []  # a column's name stands for the findings of its column check
    failing: dict[str, list[int]] = {}
    seen = set()
    rows = fc.itertuples(index=False)
    if any(r.once_per_value for r in rules):  # their finding is at the first failing row
        rows = sorted(
            rows, key=lambda row: (row.index is None or pd.isna(row.index), 0 if pd.isna(row.index) else int(row.index))
        )
    for row in rows:
        line = row.index
        if line is None or pd.isna(line):
            # The check raised instead of answering: never a pass (pandera puts the
            # exception in failure_case).
            if row.schema_context != "DataFrameSchema" and row.check == COLUMN_TESTS:
                findings += _one_by_one(frame, row.column, meta[row.column], table, path)
            else:
                findings.append(_check_error(row, rules, table, path))
            continue
        line = int(line)
        if row.schema_context == "DataFrameSchema":
            r = rules[int(row.check_number)]
            rec = frame.loc[line]
            value = rec[r.field]
            once = (r.type, "value", display_value(value)) if r.once_per_value else (r.type, line)
            if once in seen:
                continue
            seen.add(once)
            try:
                message = r.describe(rec, tables)
            except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
                message = f"(the rule's message could not be made: {type(exc).__name__}: {exc})"
            findings.append(
                Finding(
                    r.type,
                    message,
                    table=table,
                    path=path,
                    line=line,
                    field=r.field,
                    value=None if pd.isna(value) else display_value(value),
                )
            )
            continue
        col = row.column
        if row.check == "not_nullable":
            if (line, col) in bad_cells:
                continue  # already a type-error
            findings.append(
                Finding(
                    "required-constraint",
                    f"{col} is required but blank",
                    table=table,
                    path=path,
                    line=line,
                    field=col,
                    value="",
                )
            )
        elif row.check == "field_uniqueness":
            v = display_value(row.failure_case)
            findings.append(
                Finding(
                    "unique-constraint",
                    f"{v!r} appears more than once in {col}",
                    table=table,
                    path=path,
                    line=line,
                    field=col,
                    value=v,
                )
            )
        else:  # the column's tests (column_check): told apart once all its failing rows are known
            if col not in failing:
                failing[col] = []
                findings.append(col)
            failing[col].append(line)
    out: list[Finding] = []
    for f in findings:
        out += _column_findings(frame, f, failing[f], meta[f], table, path) if isinstance(f, str) else [f]
    return out
