"""Validation findings as data: one :class:`Finding` per problem, gathered in a :class:`Report`.

A :class:`Finding` takes its severity from its type, defined once in the registry of
finding types, :mod:`natodata.findingtypes` (whose names are importable from here too).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .findingtypes import (
    GROUPS as GROUPS,
    TYPES as TYPES,
    FindingType as FindingType,
    Group as Group,
    Registry as Registry,
    Severity as Severity,
    Tag as Tag,
    switched_by as switched_by,
    tagged as tagged,
)


#: How a message shows a missing value (never pandas' NaT, nan, <NA> or Python's None).
BLANK = "(blank)"


def display_value(v) -> str:
    """A typed cell as findings show it: dates as YYYY-MM-DD, whole floats without ``.0``,
    NaN and infinities as Table Schema writes them, a missing value as ``(blank)``."""
    import math

    import pandas as pd  # only findings from typed tables pass pandas values here

    if v is None or v is pd.NA or v is pd.NaT:
        return BLANK
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "INF" if v > 0 else "-INF"
        if v.is_integer():
            return str(int(v))
    try:
        missing = bool(pd.isna(v))  # numpy's NaT and NaN
    except (TypeError, ValueError):
        missing = False
    if missing:
        return "NaN" if getattr(v, "dtype", None) is not None and v.dtype.kind == "f" else BLANK
    return str(v)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in the package.

    ``type`` is a key of :data:`TYPES`, which gives the severity. ``line`` is the 1-based
    line of the CSV file (header = line 1), or ``None`` for file-level findings.
    """

    type: str
    message: str
    table: str | None = None
    path: str | None = None
    line: int | None = None
    field: str | None = None
    value: str | None = None
    #: JSON pointer into the descriptor or schema file at ``path``, for findings about them.
    pointer: str | None = None
    #: The table that could not be (wholly) read, if this finding follows from that alone
    #: (a reference into it, a number it would have accounted for). :meth:`Report.fold`
    #: folds such findings into the table's own problem.
    depends_on: str | None = None
    #: How many findings that follow from this one were folded into it.
    stopped: int = 0

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"unknown finding type {self.type!r}: define it in natodata.findingtypes")
        for name in ("table", "field", "value"):  # names and values from a descriptor may be of any JSON type
            v = getattr(self, name)
            if v is not None and not isinstance(v, str):
                object.__setattr__(self, name, str(v))

    @property
    def severity(self) -> Severity:
        return TYPES[self.type].severity

    def to_dict(self) -> dict:
        return {
            "type": self.type,
            "severity": str(self.severity),
            "message": self.message,
            "table": self.table,
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "value": self.value,
            "pointer": self.pointer,
            "stopped": self.stopped,
        }


def _sort_key(f: Finding):
    return (f.path or "", f.line or 0, f.pointer or "", f.field or "", f.type, f.message)


#: The groups whose errors are a table's own problem reading it: they may stop other checks.
CAUSE_GROUPS = frozenset({"descriptor", "structure"})


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


@dataclass
class Report:
    """Every finding of one validation run."""

    findings: list[Finding] = field(default_factory=list)
    #: The tables in report order (each before the tables that refer to it), as the
    #: validator sets it; ``None`` orders findings by file.
    order: list[str] | None = None
    #: What the run could not check and why, for the reader (not findings: they change no verdict).
    notes: list[str] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def extend(self, findings) -> None:
        self.findings.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def valid(self) -> bool:
        return not self.errors

    def sorted(self) -> list[Finding]:
        """The findings in report order: with :attr:`order`, package-wide findings, then
        each table's (its descriptor and schema problems first) in that order; else by file."""
        if self.order is None:
            return sorted(self.findings, key=_sort_key)
        rank = {name: i for i, name in enumerate(self.order)}

        def key(f: Finding):
            table = -1 if f.table is None else rank.get(f.table, len(rank))
            return (table, f.table or "", TYPES[f.type].group != "descriptor", *_sort_key(f))

        return sorted(self.findings, key=key)

    def fold(self) -> "Report":
        """This report with every finding that follows from a table that could not be read
        (``depends_on``) folded into that table's first error of reading it: the cause
        says how many checks it stopped, and those findings are left out. A finding whose
        table has no such error stays as it is."""
        if not any(f.depends_on is not None for f in self.findings):
            return Report(list(self.findings), self.order)
        causes: dict[str, Finding] = {}
        candidates = [
            f
            for f in self.findings
            if f.depends_on is None
            and f.table is not None
            and f.severity is Severity.ERROR
            and TYPES[f.type].group in CAUSE_GROUPS
        ]
        for f in Report(candidates, self.order).sorted():  # each table's first, in report order
            causes.setdefault(f.table, f)
        stopped: dict[str, list[Finding]] = {}
        kept = []
        for f in self.findings:
            if f.depends_on is not None and f.depends_on in causes:
                stopped.setdefault(f.depends_on, []).append(f)
            else:
                kept.append(f)
        if not stopped:
            return Report(kept, self.order)
        folded = {id(causes[t]): t for t in stopped}
        out = []
        for f in kept:
            table = folded.get(id(f))
            if table is None:
                out.append(f)
                continue
            found = stopped[table]
            types = ", ".join(sorted({g.type for g in found}))
            out.append(
                replace(
                    f,
                    stopped=len(found),
                    message=(
                        f"{f.message}; so table {table!r} could not be read, which stopped {_plural(len(found), 'check')} "
                        f"that depend{'s' * (len(found) == 1)} on it ({types}): fix this first"
                    ),
                )
            )
        return Report(out, self.order)

    def types(self) -> set[str]:
        return {f.type for f in self.findings}
