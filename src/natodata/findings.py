"""Validation findings as data: one :class:`Finding` per problem, gathered in a :class:`Report`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


#: Every finding type, with what it means. docs/validate.md documents the same list
#: (a test keeps the two in step); a Finding of any other type is a programming error.
TYPES: dict[str, str] = {
    # the descriptor and schemas
    "descriptor-error": "datapackage.json is not a valid Data Package v2 descriptor",
    "resource-path-error": "a resource path is not a relative path to an existing file inside the package",
    "schema-path-error": "a resource's schema is not a path to an existing file inside the package",
    "schema-error": "a Table Schema is unreadable or invalid, lacks a primaryKey or a field description, or uses a type natodata cannot check",
    # the structure of each CSV file
    "file-unreadable": "the file cannot be read",
    "file-too-large": "the file exceeds the size limit",
    "empty-file": "the file is empty",
    "encoding-bom": "the file starts with a UTF-8 byte order mark",
    "encoding-error": "the file is not valid UTF-8",
    "line-ending": "the file has CR or CRLF line endings",
    "csv-error": "the file is not well-formed CSV (unbalanced quotes, NUL character)",
    "cell-too-large": "a cell exceeds the size limit",
    "header-error": "the file has no header line",
    "missing-label": "the header lacks a schema field",
    "extra-label": "the header has a column the schema does not define",
    "duplicate-label": "a column appears twice in the header",
    "header-order": "the header has the schema's fields in another order",
    "blank-row": "a row has no values",
    "extra-cell": "a row has more cells than the header",
    "missing-cell": "a row has fewer cells than the header",
    "not-canonical": "the file is not in canonical form (natodata fmt fixes it)",
    # Table Schema constraints
    "type-error": "a value is not of its field's type",
    "required-constraint": "a required value is blank",
    "unique-constraint": "a value of a unique field repeats",
    "enum-constraint": "a value is not in its field's vocabulary (categories or enum)",
    "pattern-constraint": "a value does not match its field's pattern",
    "minimum-constraint": "a value is below its field's minimum",
    "maximum-constraint": "a value is above its field's maximum",
    "min-length-constraint": "a value is shorter than its field's minLength",
    "max-length-constraint": "a value is longer than its field's maxLength",
    "primary-key": "a primary key repeats",
    "unique-key": "a unique key (uniqueKeys) repeats",
    "foreign-key": "a reference has no matching row",
    # generic cell checks
    "surrounding-whitespace": "a value has leading or trailing whitespace",
    "control-character": "a value contains a control, line-break or invisible character",
    "formula-injection": "a value starts with =, +, - or @ and is not a number",
    "invalid-date": "a partial date is not a real calendar date",
    "iso3-unknown": "a code is not an ISO 3166-1 alpha-3 country code",
    # domain rules
    "value-order": "a figure's value_low <= value_best <= value_high does not hold",
    "date-bounds-order": "an event's date_earliest is after its date_latest",
    "date-precision-mismatch": "a partial date does not have the stated precision",
    "date-bounds-outside": "an event's bounds lie outside the period its date names",
    "event-after-publication": "an event marked occurred starts after its sources were published",
    "speaker-kind": "a quote's speaker is not a person, organisation or unnamed group",
    "statement-speaker-conflict": "quotes sharing a statement_id have different speakers",
    "iso3-required": "a state lacks an ISO code, or a non-state has one",
    "anchor-length": "end - start differs from the length of the verbatim text",
    "unused-actor": "an actor is not a speaker, figure owner or event participant (warning)",
    "unused-source": "a source is cited by no row (warning)",
    "claim-disagreement": "sources report different values or owners for one claim (warning)",
    # provenance, with --corpus
    "corpus-file-missing": "a source's article file is not in the corpus or not UTF-8",
    "corpus-hash-mismatch": "an article file's sha256 differs from the recorded one",
    "anchor-text-mismatch": "the article text at start..end is not the verbatim text",
    "anchor-prefix-mismatch": "the prefix does not precede the verbatim text in the article",
    "anchor-suffix-mismatch": "the suffix does not follow the verbatim text in the article",
    "not-in-source": "an alias or title said to be as written does not occur in its article",
    # published files
    "resource-hash-mismatch": "a resource's declared bytes or hash differ from its file",
    "release-tampered": "a file of a published release differs from its SHA256SUMS entry",
    "release-file-missing": "a file listed in a release's SHA256SUMS is missing",
    "release-file-unlisted": "a release holds a file its SHA256SUMS does not list",
    "release-checksums-error": "a release's SHA256SUMS is missing or malformed",
}


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in the package.

    ``type`` is a stable kebab-case identifier (see docs/validate.md). ``line`` is the
    1-based line of the CSV file (header = line 1), or ``None`` for file-level findings.
    """

    type: str
    severity: Severity
    message: str
    table: str | None = None
    path: str | None = None
    line: int | None = None
    field: str | None = None
    value: str | None = None

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"unknown finding type {self.type!r}: add it to natodata.findings.TYPES and docs/validate.md")

    def to_dict(self) -> dict:
        d = asdict(self)
        d["severity"] = str(self.severity)
        return d


def _sort_key(f: Finding):
    return (f.path or "", f.line or 0, f.field or "", f.type, f.message)


@dataclass
class Report:
    """Every finding of one validation run."""

    findings: list[Finding] = field(default_factory=list)

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
        return sorted(self.findings, key=_sort_key)

    def types(self) -> set[str]:
        return {f.type for f in self.findings}
