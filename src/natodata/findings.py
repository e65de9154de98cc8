"""Validation findings as data: one :class:`Finding` per problem, gathered in a :class:`Report`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


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
