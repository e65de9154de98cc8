"""Rendering a validation report as text, JSON, GitHub Actions annotations, a GitLab Code
Quality report or JUnit XML (the last two in :mod:`natodata.report_ci`)."""

from __future__ import annotations

import json
from pathlib import Path

from .findings import Finding, Report
from .formats import ReportFormat

JSON_REPORT_VERSION = 1


def _where(f: Finding) -> str:
    s = f.path or f.table or "<package>"
    if f.pointer is not None:
        s += f"#{f.pointer}"
    if f.line is not None:
        s += f":{f.line}"
    return s


def passed(report: Report, strict: bool = False) -> bool:
    """The verdict: no errors, and with ``strict`` no warnings either."""
    return report.valid and not (strict and report.warnings)


def verdict_line(report: Report, strict: bool = False, ignored: int = 0) -> str:
    """``valid: 0 errors, 2 warnings``, with the findings left out by --select/--ignore
    and whether --strict made warnings fail."""
    ne, nw = len(report.errors), len(report.warnings)
    line = f"{'valid' if passed(report, strict) else 'invalid'}: {ne} error{'s' * (ne != 1)}, {nw} warning{'s' * (nw != 1)}"
    if ignored:
        line += f", {ignored} ignored"
    return line + (" (strict: warnings fail)" if strict else "")


def render_text(report: Report, strict: bool = False, ignored: int = 0) -> str:
    lines = []
    for f in report.sorted():
        field = f" [{f.field}]" if f.field else ""
        lines.append(f"{_where(f)}: {f.severity} {f.type}{field}: {f.message}")
    lines.append(verdict_line(report, strict, ignored))
    return "\n".join(lines) + "\n"


def render_json(report: Report, strict: bool = False, ignored: int = 0) -> str:
    doc = {
        "version": JSON_REPORT_VERSION,
        "valid": passed(report, strict),
        "strict": strict,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "ignored": ignored,
        "error": None,
        "findings": [f.to_dict() for f in report.sorted()],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_json_error(message: str, exit_code: int) -> str:
    """The JSON document of a run that could not check the package (exit 2): the same
    keys as a report, no findings, and ``error`` saying why."""
    doc = {"version": JSON_REPORT_VERSION, "valid": False, "strict": False, "errors": 0, "warnings": 0, "ignored": 0,
           "error": {"message": message, "exit_code": exit_code}, "findings": []}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, strict: bool = False, ignored: int = 0) -> str:
    lines = []
    for f in report.sorted():
        props = []
        if f.path:
            props.append(f"file={_escape_property(f.path)}")
        if f.line is not None:
            props.append(f"line={f.line}")
        props.append(f"title={_escape_property(f.type)}")
        field = f"{f.field}: " if f.field else ""
        level = "error" if f.severity == "error" else "warning"
        lines.append(f"::{level} {','.join(props)}::{_escape_data(field + f.message)}")
    lines.append(verdict_line(report, strict, ignored))
    return "\n".join(lines) + "\n"


def render_report(report: Report, fmt: str, *, strict: bool = False, ignored: int = 0,
                  descriptor: Path | None = None) -> str:
    """``report`` in the format ``fmt``. ``strict`` and ``ignored`` (findings left out by
    --select/--ignore) go into the verdict. With ``descriptor`` (the package's
    datapackage.json), the CI formats name files relative to the workspace instead of
    the package directory, so a CI service finds them."""
    from . import report_ci

    fmt = ReportFormat(fmt)
    if fmt.for_ci and descriptor is not None:
        report = report_ci.relocate(report, descriptor, fmt)
    renderers = {ReportFormat.TEXT: render_text, ReportFormat.JSON: render_json, ReportFormat.GITHUB: render_github,
                 ReportFormat.GITLAB: report_ci.render_gitlab, ReportFormat.JUNIT: report_ci.render_junit}
    return renderers[fmt](report, strict=strict, ignored=ignored)
