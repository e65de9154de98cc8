"""What a domain rule is: the :class:`Rule` a rule's builder returns, the
:class:`RuleSpecError` it raises for an ``x-checks`` entry it cannot build, and the
shape of a builder.

The builders themselves, registered by finding type, are :mod:`natodata.checks.rules`;
:mod:`natodata.checks.constraints` puts the rules into each table's schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd
import pandera.pandas as pa

from ..model.tableschema import TableSchema

Tables = dict[str, pd.DataFrame]
Schemas = dict[str, TableSchema]


@dataclass(frozen=True)
class Rule:
    field: str  # the field a finding names
    describe: Callable[[pd.Series, Tables], str]  # message for one failing row
    test: Callable[[pd.DataFrame, Tables], pd.Series]  # True where the row passes
    #: ``None`` for a rule that looks at one row at a time, which is checked piece by
    #: piece as the table is read. Otherwise every ``(table, field)`` the rule reads, its
    #: own table's included: it is checked once the tables are read, on those columns.
    reads: frozenset[tuple[str, str]] | None = None
    #: One finding per value of ``field`` (at its first failing row), not one per row.
    once_per_value: bool = False
    type: str = ""  # the finding type: set by its registration in :mod:`natodata.checks.rules`

    @property
    def per_row(self) -> bool:
        return self.reads is None

    def check(self, tables: Tables) -> pa.Check:
        return pa.Check(lambda df: self.test(df, tables).fillna(True).astype(bool), name=self.type, error=self.type)


class RuleSpecError(ValueError):
    """An ``x-checks`` entry names no known rule or misstates a parameter; ``pointer`` is
    the offending value's, relative to the entry."""

    def __init__(self, message: str, pointer: str = ""):
        super().__init__(message)
        self.pointer = pointer


#: A rule's builder: the rule from its parameters, its table, its schema and every schema.
Builder = Callable[[dict, str, TableSchema, Schemas], Rule]
