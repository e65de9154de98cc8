"""Validation findings as data: the registry of finding types, one :class:`Finding` per
problem, gathered in a :class:`Report`.

Every finding type is defined once, in :data:`TYPES`, with its severity, its tags, what
it means and, for natodata's own checks, the schema property that switches it on. A
:class:`Finding` takes its severity from its type; the finding-type tables in
docs/validate.md are generated from the registry (``natodata docs``), and so are the
names a schema may opt into (:func:`switched_by`). The function of each check is
registered against its type once, in a :class:`Registry` of the module that runs it
(:data:`natodata.checks.rules.RULES`, :data:`natodata.checks.columns.CELL_CHECKS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Generic, TypeVar


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Tag(StrEnum):
    #: about the file's bytes and layout: the rows of a file with one cannot be trusted.
    STRUCTURAL = "structural"
    #: ``natodata fmt`` repairs it by rewriting the file.
    FIXABLE = "fixable"


@dataclass(frozen=True)
class Group:
    """A section of the finding-type list, as docs/validate.md shows it."""

    key: str
    title: str


GROUPS = (
    Group("descriptor", "The descriptor and schemas"),
    Group("structure", "Structure of each CSV file"),
    Group("constraints", "Table Schema constraints"),
    Group("cells", "Generic cell checks"),
    Group("rules", "Domain rules (named pandera checks)"),
    Group("provenance", "Provenance (with --corpus)"),
    Group("published", "Published files"),
)


@dataclass(frozen=True)
class FindingType:
    name: str  # stable, kebab-case
    group: str  # a key of GROUPS
    severity: Severity
    description: str
    tags: frozenset[Tag] = frozenset()
    #: The schema property that switches the check on, for natodata's own checks: ``x-checks``
    #: and ``x-cellChecks`` list them by name; the others are switched on by a field or table property.
    switch: str | None = None

    @property
    def structural(self) -> bool:
        return Tag.STRUCTURAL in self.tags

    @property
    def fixable(self) -> bool:
        return Tag.FIXABLE in self.tags


_types: dict[str, FindingType] = {}


def _define(
    group: str, name: str, description: str, severity: Severity = Severity.ERROR, *tags: Tag, switch: str | None = None
) -> None:
    if name in _types:
        raise ValueError(f"finding type {name!r} is defined twice")
    _types[name] = FindingType(name, group, severity, description, frozenset(tags), switch)


_E, _W = Severity.ERROR, Severity.WARNING
_S, _F = Tag.STRUCTURAL, Tag.FIXABLE

_define("descriptor", "descriptor-error", "datapackage.json is not a valid Data Package v2 descriptor")
_define(
    "descriptor", "resource-path-error", "a resource path is not a relative path to an existing file inside the package"
)
_define("descriptor", "schema-path-error", "a resource's schema is not a path to an existing file inside the package")
_define(
    "descriptor",
    "schema-error",
    "a Table Schema is unreadable or malformed (the finding's pointer names the "
    "value), or, where it opts into natodata's rules, lacks a primaryKey or a field description; "
    "the table is not read",
)
_define(
    "descriptor",
    "unsupported-feature",
    "the descriptor asks for what no Data Package spec defines and natodata does "
    "not read (a spreadsheet or database format, a compression other than gz and "
    "zip, a dialect given by path, a lineTerminator other than LF, CRLF or CR); "
    "the table is not read rather than read with it ignored",
)
_define(
    "descriptor",
    "check-error",
    "a check raised an exception instead of returning a verdict; the values it covers "
    "are unchecked, so the package is not valid",
)

_define(
    "structure",
    "file-unreadable",
    "the file (a table, an article, a file of a release) cannot be read: permissions, an I/O error",
)
_define("structure", "file-too-large", "the file exceeds the size limit")
_define("structure", "empty-file", "the file is empty")
_define("structure", "encoding-bom", "the file starts with a UTF-8 byte order mark", _E, _S, _F)
_define(
    "structure",
    "encoding-error",
    "the file is not valid in its declared encoding (UTF-8 by default; an undeclared "
    "encoding is detected unless x-canonicalFiles is set)",
    _E,
    _S,
)
_define("structure", "line-ending", "the file has CR or CRLF line endings (only with x-canonicalFiles)", _E, _S, _F)
_define("structure", "csv-error", "the file is not well-formed CSV (unbalanced quotes, NUL character)", _E, _S)
_define("structure", "cell-too-large", "a cell exceeds the size limit", _E, _S)
_define("structure", "header-error", "the file has no header line", _E, _S)
_define("structure", "missing-label", "the header lacks a schema field", _E, _S)
_define("structure", "extra-label", "the header has a column the schema does not define", _E, _S)
_define("structure", "duplicate-label", "a column appears twice in the header", _E, _S)
_define("structure", "blank-label", "a column of the header has a blank label", _E, _S)
_define("structure", "header-order", "the header has the schema's fields in another order", _E, _S, _F)
_define("structure", "blank-row", "a row has no values", _E, _S, _F)
_define("structure", "extra-cell", "a row has more cells than the header", _E, _S)
_define("structure", "missing-cell", "a row has fewer cells than the header", _E, _S)
_define("structure", "not-canonical", "the file is not in canonical form (natodata fmt fixes it)", _W, _F)

_define("constraints", "type-error", "a value is not of its field's type")
_define("constraints", "required-constraint", "a required value is blank")
_define("constraints", "unique-constraint", "a value of a unique field repeats")
_define("constraints", "enum-constraint", "a value is not in its field's vocabulary (categories or enum)")
_define("constraints", "pattern-constraint", "a value does not match its field's pattern")
_define("constraints", "minimum-constraint", "a value is below its field's minimum")
_define("constraints", "maximum-constraint", "a value is above its field's maximum")
_define("constraints", "exclusive-minimum-constraint", "a value is not above its field's exclusiveMinimum")
_define("constraints", "exclusive-maximum-constraint", "a value is not below its field's exclusiveMaximum")
_define("constraints", "min-length-constraint", "a value is shorter than its field's minLength")
_define("constraints", "max-length-constraint", "a value is longer than its field's maxLength")
_define("constraints", "json-schema-constraint", "an object or array value does not match its field's jsonSchema")
_define("constraints", "primary-key", "a primary key repeats")
_define("constraints", "unique-key", "a unique key (uniqueKeys) repeats")
_define("constraints", "foreign-key", "a reference has no matching row")

_define("cells", "surrounding-whitespace", "a value has leading or trailing whitespace", switch="x-cellChecks")
_define(
    "cells", "control-character", "a value contains a control, line-break or invisible character", switch="x-cellChecks"
)
_define("cells", "formula-injection", "a value starts with =, +, - or @ and is not a number", switch="x-cellChecks")
_define("cells", "invalid-date", "a partial date is not a real calendar date", switch="x-partialDate")
_define("cells", "iso3-unknown", "a code is not an ISO 3166-1 alpha-3 country code", switch="x-codeList")

_define("rules", "value-order", "a figure's value_low <= value_best <= value_high does not hold", switch="x-checks")
_define("rules", "date-bounds-order", "an event's date_earliest is after its date_latest", switch="x-checks")
_define("rules", "date-precision-mismatch", "a partial date does not have the stated precision", switch="x-precision")
_define("rules", "date-bounds-outside", "an event's bounds lie outside the period its date names", switch="x-checks")
_define(
    "rules",
    "event-after-publication",
    "an event marked occurred starts after its sources were published",
    switch="x-checks",
)
_define("rules", "speaker-kind", "a quote's speaker is not a person, organisation or unnamed group", switch="x-checks")
_define(
    "rules", "statement-speaker-conflict", "quotes sharing a statement_id have different speakers", switch="x-checks"
)
_define("rules", "iso3-required", "a state lacks an ISO code, or a non-state has one", switch="x-checks")
_define("rules", "anchor-length", "end - start differs from the length of the verbatim text", switch="x-anchor")
_define("rules", "unused-actor", "an actor is not a speaker, figure owner or event participant", _W, switch="x-checks")
_define("rules", "unused-source", "a source is cited by no row", _W, switch="x-checks")
_define("rules", "claim-disagreement", "sources report different values or owners for one claim", _W, switch="x-checks")

_define("provenance", "corpus-file-missing", "a source's article file is not in the corpus or not UTF-8")
_define(
    "provenance",
    "corpus-file-unsafe",
    "a source's article file is a symbolic link, a device, a FIFO, a socket or larger than the limit; it is not read",
)
_define(
    "provenance",
    "corpus-hash-missing",
    "a source records no sha256, so its article cannot be verified; the rows of that source are not checked against it",
)
_define(
    "provenance",
    "corpus-hash-mismatch",
    "an article file's sha256 differs from the recorded one; the rows of that source are not checked against it",
)
_define("provenance", "anchor-text-mismatch", "the article text at start..end is not the verbatim text")
_define("provenance", "anchor-prefix-mismatch", "the prefix does not precede the verbatim text in the article")
_define("provenance", "anchor-suffix-mismatch", "the suffix does not follow the verbatim text in the article")
_define(
    "provenance",
    "uncoded-quotation",
    "a quotation in an article's content is neither a quote row, nor an uncoded row "
    "with its reason, nor inside furniture (tables with x-covers)",
)
_define(
    "provenance",
    "uncoded-number",
    "a number in an article's content is neither a figure row (or, for a date, in an "
    "event's evidence), nor an uncoded row with its reason, nor inside furniture",
)
_define("provenance", "not-in-source", "an alias or title said to be as written does not occur in its article")

_define("published", "resource-hash-mismatch", "a resource's declared bytes or hash differ from its file")
_define("published", "release-tampered", "a file of a published release differs from its SHA256SUMS entry")
_define("published", "release-file-missing", "a file listed in a release's SHA256SUMS is missing")
_define("published", "release-file-unlisted", "a release holds a file its SHA256SUMS does not list")
_define("published", "release-checksums-error", "a release's SHA256SUMS is missing or malformed")


#: Every finding type, by name, in the order docs/validate.md lists them.
TYPES: Mapping[str, FindingType] = MappingProxyType(_types)


def switched_by(switch: str) -> tuple[str, ...]:
    """The finding types of the checks that ``switch`` (a schema property) turns on, in
    registry order: ``switched_by("x-cellChecks")`` is what a schema's ``x-cellChecks`` may name."""
    return tuple(name for name, t in TYPES.items() if t.switch == switch)


T = TypeVar("T")


class Registry(Generic[T]):
    """The functions that run one kind of check, each registered once against its finding
    type, like pandera's ``register_check_method`` but local to the module that holds it:
    nothing is written into pandera or any other module. The module builds it at import
    and freezes it (:meth:`freeze`) into an immutable mapping; importing the module again
    builds a new one.

    A registration names a finding type that some switch of ``switches`` turns on, and
    each name is registered once; :meth:`freeze` refuses a registry that lacks one."""

    def __init__(self, *switches: str):
        self.switches = switches
        self._entries: dict[str, T] = {}
        self._frozen = False

    def register(self, name: str, entry: T) -> T:
        """Register ``entry`` as the check of finding type ``name``."""
        if self._frozen:
            raise RuntimeError(f"the registry is frozen; {name!r} comes too late")
        t = TYPES.get(name)
        if t is None or t.switch not in self.switches:
            raise ValueError(f"{name!r} is not a finding type switched on by {' or '.join(self.switches)}")
        if name in self._entries:
            raise ValueError(f"a check named {name!r} is already registered")
        self._entries[name] = entry
        return entry

    def freeze(self) -> Mapping[str, T]:
        """The registrations, in registry order, as an immutable mapping."""
        missing = [n for s in self.switches for n in switched_by(s) if n not in self._entries]
        if missing:
            raise ValueError(f"no check is registered for {', '.join(missing)}")
        self._frozen = True
        return MappingProxyType({n: self._entries[n] for n in TYPES if n in self._entries})


def tagged(tag: Tag) -> frozenset[str]:
    """The names of the finding types that carry ``tag``."""
    return frozenset(name for name, t in TYPES.items() if tag in t.tags)


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
            raise ValueError(f"unknown finding type {self.type!r}: define it in natodata.findings")
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
