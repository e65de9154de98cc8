"""The output formats each command offers: one definition, which the renderers implement
and the command line offers as choices. (No heavy imports: ``natodata --help`` reads it.)"""

from __future__ import annotations

from enum import StrEnum


class ReportFormat(StrEnum):
    """``validate``'s report formats (see :mod:`natodata.report` and, for the CI formats,
    :mod:`natodata.report_ci`)."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"  # GitHub Actions workflow commands: annotations
    GITLAB = "gitlab"  # a GitLab Code Quality report
    JUNIT = "junit"  # JUnit XML, which most CI services show as a test report

    @property
    def for_ci(self) -> bool:
        """A CI service reads it and attaches findings to files of the checked-out
        repository: its paths are relative to the workspace, not to the package."""
        return self in WORKSPACE_ENV


#: The CI formats, and the environment variable naming the workspace their paths are
#: relative to (the working directory when it is unset, or for None).
WORKSPACE_ENV = {
    ReportFormat.GITHUB: "GITHUB_WORKSPACE",
    ReportFormat.GITLAB: "CI_PROJECT_DIR",
    ReportFormat.JUNIT: None,
}


class TableFormat(StrEnum):
    """The formats of ``stats``, ``agree`` and ``diff``."""

    TEXT = "text"
    JSON = "json"


class ClaimsFormat(StrEnum):
    """The formats of ``claims``."""

    TEXT = "text"
    JSON = "json"
    CSV = "csv"
