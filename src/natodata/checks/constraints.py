"""Table Schema constraints and domain rules, enforced by pandera schemas per table.

:class:`TableChecks` derives them from the Table Schema once per run: a
``DataFrameSchema`` of the column constraints (required, categories/enum, pattern,
minimum/maximum, lengths), the generic cell checks and the rules that look at one row
(:meth:`TableChecks.rows`, run on each piece of a table), and one of uniqueness and the
rules that read the whole table or other tables (:meth:`TableChecks.whole`). Each runs
lazily, and pandera's ``failure_cases`` become findings.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from ..findings import Finding, display_value
from ..model.tableschema import Field, TableSchema
from ..tables.casting import constraint_value, constraint_values
from . import columns as _registers  # noqa: F401 - registers the column checks with pandera
from .columns import CODE_LISTS, failed_cell_checks, invisible_characters
from .rules import Rule, Schemas, Tables, rules_for


@dataclass(frozen=True)
class ColumnCheck:
    type: str
    describe: Callable[[str], str]  # message for the failing value
    #: For a check that bundles several (the generic cell checks): the (type, message) of
    #: each one the failing value breaks.
    split: Callable[[str], list[tuple[str, str]]] | None = None


#: What each generic cell check says of a failing value.
CELL_MESSAGES = {
    "surrounding-whitespace": lambda v: f"{v!r} has leading or trailing whitespace",
    "control-character": lambda v: f"{v!r} contains {invisible_characters(v)}",
    "formula-injection": lambda v: f"{v!r} starts with =, +, - or @ and a spreadsheet would run it as a formula",
}


def _column_checks(fld: Field, schema: TableSchema) -> list[tuple[pa.Check, ColumnCheck]]:
    c = fld.constraints
    out: list[tuple[pa.Check, ColumnCheck]] = []
    vocab = fld.vocabulary
    if vocab is not None:
        # Enum values are cast to the field's type (read.py refused the schema otherwise).
        typed = [v for v, _ in constraint_values(fld, vocab)] if fld.type != "string" else list(vocab)
        out.append((pa.Check.isin(typed), ColumnCheck("enum-constraint", lambda v: f"{v!r} is not one of: {', '.join(map(str, vocab))}")))
    if "pattern" in c:
        out.append((pa.Check.matches_pattern(pattern=c["pattern"]), ColumnCheck("pattern-constraint", lambda v: f"{v!r} does not match the pattern {c['pattern']}")))
    bounds = [("minimum", pa.Check.ge, "minimum-constraint", "less than the minimum"),
              ("maximum", pa.Check.le, "maximum-constraint", "greater than the maximum"),
              ("exclusiveMinimum", pa.Check.gt, "exclusive-minimum-constraint", "not greater than the exclusive minimum"),
              ("exclusiveMaximum", pa.Check.lt, "exclusive-maximum-constraint", "not less than the exclusive maximum")]
    for key, check, type_, says in bounds:
        if key in c:
            out.append((check(constraint_value(fld, c[key])),
                        ColumnCheck(type_, lambda v, key=key, says=says: f"{v} is {says} {c[key]}")))
    if isinstance(c.get("jsonSchema"), dict):
        valid = _json_schema_check(json.dumps(c["jsonSchema"], sort_keys=True))
        out.append((pa.Check(valid, element_wise=True),
                    ColumnCheck("json-schema-constraint", lambda v: f"{v} does not match the field's jsonSchema")))
    if "minLength" in c:
        out.append((pa.Check.str_length(min_value=c["minLength"]), ColumnCheck("min-length-constraint", lambda v: f"{v!r} is shorter than {c['minLength']} characters")))
    if "maxLength" in c:
        out.append((pa.Check.str_length(max_value=c["maxLength"]), ColumnCheck("max-length-constraint", lambda v: f"{v!r} is longer than {c['maxLength']} characters")))
    if fld.type == "string":
        cell = schema.cell_checks
        wanted = [name for name in CELL_MESSAGES if name in cell]
        if fld.preserve_whitespace:
            wanted = [n for n in wanted if n != "surrounding-whitespace"]
        # A verbatim field holds the article's own characters, which may begin with = + - @
        # ("-strong"). Invisible characters are still reported there: without --corpus
        # nothing else would, and the corpus holds none.
        if fld.name in schema.verbatim_fields:
            wanted = [n for n in wanted if n != "formula-injection"]
        if wanted:
            checks = tuple(wanted)
            out.append((pa.Check.clean_cells(checks=checks),
                        ColumnCheck("cell-checks", lambda v: "", split=lambda v: [
                            (name, CELL_MESSAGES[name](v)) for name in failed_cell_checks(v, checks)])))
        if fld.is_partial_date:
            out.append((pa.Check.partial_date(), ColumnCheck("invalid-date", lambda v: f"{v!r} is not a real calendar date (YYYY, YYYY-MM or YYYY-MM-DD)")))
        if fld.code_list in CODE_LISTS:
            cl = CODE_LISTS[fld.code_list]
            out.append((pa.Check.in_code_list(code_list=fld.code_list), ColumnCheck(cl.finding, lambda v: f"{v!r} is not {cl.label}")))
    return out


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
        pairs = _column_checks(fld, schema)
        for i, (_, cc) in enumerate(pairs):
            meta[(fld.name, i)] = cc
        required = fld.required or fld.name in pk
        cols[fld.name] = pa.Column(None, checks=[p[0] for p in pairs], nullable=not required, required=False)
    return pa.DataFrameSchema(cols), meta


@lru_cache(maxsize=128)
def _unique_schema(schema_text: str, present: tuple[str, ...]) -> pa.DataFrameSchema:
    schema = TableSchema(json.loads(schema_text))
    return pa.DataFrameSchema({name: pa.Column(None, nullable=True, unique=True, report_duplicates="exclude_first",
                                               required=False)
                               for name in unique_fields(schema) if name in present})


def _check_error(row, rules: list[Rule], meta: dict, table: str, path: str) -> Finding:
    if row.schema_context == "DataFrameSchema":
        name, col = (rules[int(row.check_number)].type if row.check_number is not None and not pd.isna(row.check_number)
                     else str(row.check)), None
    else:
        col = row.column
        cc = meta.get((col, int(row.check_number))) if row.check_number is not None and not pd.isna(row.check_number) else None
        name = cc.type if cc is not None else str(row.check)
    return Finding("check-error", f"the {name} check raised {row.failure_case} instead of returning a verdict; "
                   "the values it covers are unchecked", table=table, path=path, field=col)


def _run(pschema: pa.DataFrameSchema, frame: pd.DataFrame, meta: dict, rules: list[Rule], table: str, path: str,
         tables: Tables, bad_cells: set) -> list[Finding]:
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
        return [Finding("check-error", f"the checks of table {table!r} raised {type(exc).__name__}: {exc} instead of "
                        "returning a verdict; its values are unchecked", table=table, path=path)]
    findings: list[Finding] = []
    seen = set()
    rows = fc.itertuples(index=False)
    if any(r.once_per_value for r in rules):  # their finding is at the first failing row
        rows = sorted(rows, key=lambda row: (row.index is None or pd.isna(row.index), 0 if pd.isna(row.index) else int(row.index)))
    for row in rows:
        line = row.index
        if line is None or pd.isna(line):
            # The check raised instead of answering: never a pass (pandera puts the
            # exception in failure_case).
            findings.append(_check_error(row, rules, meta, table, path))
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
            findings.append(Finding(r.type, message, table=table, path=path, line=line,
                                    field=r.field, value=None if pd.isna(value) else display_value(value)))
            continue
        col = row.column
        if row.check == "not_nullable":
            if (line, col) in bad_cells:
                continue  # already a type-error
            findings.append(Finding("required-constraint", f"{col} is required but blank",
                                    table=table, path=path, line=line, field=col, value=""))
        elif row.check == "field_uniqueness":
            v = display_value(row.failure_case)
            findings.append(Finding("unique-constraint", f"{v!r} appears more than once in {col}",
                                    table=table, path=path, line=line, field=col, value=v))
        else:
            cc = meta[(col, int(row.check_number))]
            v = display_value(row.failure_case)
            for type_, message in cc.split(v) if cc.split else [(cc.type, cc.describe(v))]:
                findings.append(Finding(type_, message, table=table, path=path, line=line, field=col, value=v))
    return findings
