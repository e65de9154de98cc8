"""The output formats each command offers: one definition, which the renderers implement
and the command line offers as choices. (No heavy imports: ``natodata --help`` reads it.)"""

from __future__ import annotations

from enum import StrEnum


class ReportFormat(StrEnum):
    """``validate``'s report formats (see :mod:`natodata.report`)."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


class TableFormat(StrEnum):
    """The formats of ``stats`` and ``diff``."""

    TEXT = "text"
    JSON = "json"
