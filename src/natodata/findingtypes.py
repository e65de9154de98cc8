"""The registry of finding types: every finding type, its group, severity and tags, and the
:class:`Registry` each check module registers its checks in.

Every finding type is defined once, in :data:`TYPES`, with its severity, its tags, what
it means and, for natodata's own checks, the schema property that switches it on. The
finding-type tables in docs/validate.md are generated from the registry (``natodata
docs``), and so are the names a schema may opt into (:func:`switched_by`). The function
of each check is registered against its type once, in a :class:`Registry` of the module
that runs it (:data:`natodata.checks.rules.RULES`, :data:`natodata.checks.columns.CELL_CHECKS`).
A finding itself, and the report of a run, are :mod:`natodata.findings`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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
