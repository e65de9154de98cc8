"""Rendering a validation report as text, JSON or GitHub Actions annotations."""

from __future__ import annotations

import json

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


def render_text(report: Report) -> str:
    lines = []
    for f in report.sorted():
        field = f" [{f.field}]" if f.field else ""
        lines.append(f"{_where(f)}: {f.severity} {f.type}{field}: {f.message}")
    ne, nw = len(report.errors), len(report.warnings)
    verdict = "valid" if report.valid else "invalid"
    lines.append(f"{verdict}: {ne} error{'s' * (ne != 1)}, {nw} warning{'s' * (nw != 1)}")
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    doc = {
        "version": JSON_REPORT_VERSION,
        "valid": report.valid,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "findings": [f.to_dict() for f in report.sorted()],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
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
    ne, nw = len(report.errors), len(report.warnings)
    lines.append(f"{'valid' if report.valid else 'invalid'}: {ne} error{'s' * (ne != 1)}, {nw} warning{'s' * (nw != 1)}")
    return "\n".join(lines) + "\n"


def render_report(report: Report, fmt: str) -> str:
    renderers = {ReportFormat.TEXT: render_text, ReportFormat.JSON: render_json, ReportFormat.GITHUB: render_github}
    return renderers[ReportFormat(fmt)](report)
