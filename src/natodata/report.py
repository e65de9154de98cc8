"""Rendering a validation report as text, JSON, GitHub Actions annotations, a GitLab Code
Quality report or JUnit XML (the last two in :mod:`natodata.report_ci`).

Reports stay usable at any size: the human formats (text, github) list at most
:data:`CAP` findings of one type in one table and count the rest, and text, JSON and
github are written finding by finding (:func:`write_report`), never built as one string.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path
from typing import Iterator, TextIO

from .findings import Finding, Report
from .formats import ReportFormat

JSON_REPORT_VERSION = 1
#: The human formats list this many findings per finding type and table, and count the rest.
CAP = 1000


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


def _capped(report: Report, overflow: Counter) -> Iterator[Finding]:
    """The findings in report order, at most CAP per (type, table); ``overflow`` counts
    the rest, keyed by (type, table or file)."""
    seen: Counter = Counter()
    for f in report.sorted():
        key = (f.type, f.table or f.path or "<package>")
        seen[key] += 1
        if seen[key] <= CAP:
            yield f
        else:
            overflow[key] += 1


def _more(type_: str, where: str, n: int) -> str:
    return f"… and {n} more {type_} finding{'s' * (n != 1)} in {where}"


def write_text(report: Report, out: TextIO, strict: bool = False, ignored: int = 0) -> None:
    overflow: Counter = Counter()
    for f in _capped(report, overflow):
        field = f" [{f.field}]" if f.field else ""
        out.write(f"{_where(f)}: {f.severity} {f.type}{field}: {f.message}\n")
    for (type_, where), n in sorted(overflow.items()):
        out.write(_more(type_, where, n) + "\n")
    out.write(verdict_line(report, strict, ignored) + "\n")


_ONE_LINE = json.JSONEncoder(ensure_ascii=False)  # without indent: the C encoder


def write_json(report: Report, out: TextIO, strict: bool = False, ignored: int = 0) -> None:
    """The JSON document, written finding by finding, one finding per line."""
    head = {"version": JSON_REPORT_VERSION, "valid": passed(report, strict), "strict": strict,
            "errors": len(report.errors), "warnings": len(report.warnings), "ignored": ignored, "error": None}
    out.write(json.dumps(head, indent=2)[:-2] + ",\n")  # without the closing "\n}"
    if not report.findings:
        out.write('  "findings": []\n}\n')
        return
    out.write('  "findings": [\n')
    for i, f in enumerate(report.sorted()):
        out.write(("    " if i == 0 else ",\n    ") + _ONE_LINE.encode(f.to_dict()))
    out.write("\n  ]\n}\n")


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


def _annotation(level: str, type_: str, text: str, path: str | None = None, line: int | None = None) -> str:
    props = [f"file={_escape_property(path)}"] if path else []
    if line is not None:
        props.append(f"line={line}")
    props.append(f"title={_escape_property(type_)}")
    return f"::{level} {','.join(props)}::{_escape_data(text)}\n"


def write_github(report: Report, out: TextIO, strict: bool = False, ignored: int = 0) -> None:
    overflow: Counter = Counter()
    levels = {}
    for f in _capped(report, overflow):
        field = f"{f.field}: " if f.field else ""
        levels[f.type] = level = "error" if f.severity == "error" else "warning"
        out.write(_annotation(level, f.type, field + f.message, f.path, f.line))
    for (type_, where), n in sorted(overflow.items()):
        out.write(_annotation(levels[type_], type_, _more(type_, where, n)))
    out.write(verdict_line(report, strict, ignored) + "\n")


def write_report(report: Report, fmt: str, out: TextIO, *, strict: bool = False, ignored: int = 0,
                 descriptor: Path | None = None) -> None:
    """Write ``report`` to ``out`` in the format ``fmt``. ``strict`` and ``ignored``
    (findings left out by --select/--ignore) go into the verdict. With ``descriptor``
    (the package's datapackage.json), the CI formats name files relative to the
    workspace instead of the package directory, so a CI service finds them."""
    from . import report_ci

    fmt = ReportFormat(fmt)
    if fmt.for_ci and descriptor is not None:
        report = report_ci.relocate(report, descriptor, fmt)
    writers = {ReportFormat.TEXT: write_text, ReportFormat.JSON: write_json, ReportFormat.GITHUB: write_github}
    if fmt in writers:
        writers[fmt](report, out, strict=strict, ignored=ignored)
        return
    renderers = {ReportFormat.GITLAB: report_ci.render_gitlab, ReportFormat.JUNIT: report_ci.render_junit}
    out.write(renderers[fmt](report, strict=strict, ignored=ignored))


def render_report(report: Report, fmt: str, **options) -> str:
    """:func:`write_report` into a string."""
    buf = io.StringIO()
    write_report(report, fmt, buf, **options)
    return buf.getvalue()
