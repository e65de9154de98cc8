"""Rendering a validation report as text, JSON or GitHub Actions annotations.

Reports stay usable at any size: the human formats (text, github) list at most
:data:`CAP` findings of one type in one table and count the rest, and every format is
written finding by finding (:func:`write_report`), never built as one string.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import Iterator, TextIO

from .findings import Finding, Report, Severity
from .formats import ReportFormat

JSON_REPORT_VERSION = 1
#: The human formats list this many findings per finding type and table, and count the rest.
CAP = 1000


def _where(f: Finding) -> str:
    s = f.path or f.table or "<package>"
    if f.line is not None:
        s += f":{f.line}"
    return s


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


def _verdict(report: Report) -> str:
    ne = sum(1 for f in report.findings if f.severity is Severity.ERROR)
    nw = len(report.findings) - ne
    return f"{'valid' if not ne else 'invalid'}: {ne} error{'s' * (ne != 1)}, {nw} warning{'s' * (nw != 1)}\n"


def write_text(report: Report, out: TextIO) -> None:
    overflow: Counter = Counter()
    for f in _capped(report, overflow):
        field = f" [{f.field}]" if f.field else ""
        out.write(f"{_where(f)}: {f.severity} {f.type}{field}: {f.message}\n")
    for (type_, where), n in sorted(overflow.items()):
        out.write(_more(type_, where, n) + "\n")
    out.write(_verdict(report))


_ONE_LINE = json.JSONEncoder(ensure_ascii=False)  # without indent: the C encoder


def write_json(report: Report, out: TextIO) -> None:
    """The JSON document, written finding by finding, one finding per line."""
    ne = sum(1 for f in report.findings if f.severity is Severity.ERROR)
    head = {"version": JSON_REPORT_VERSION, "valid": not ne, "errors": ne, "warnings": len(report.findings) - ne}
    out.write(json.dumps(head, indent=2)[:-2] + ",\n")  # without the closing "\n}"
    if not report.findings:
        out.write('  "findings": []\n}\n')
        return
    out.write('  "findings": [\n')
    for i, f in enumerate(report.sorted()):
        out.write(("    " if i == 0 else ",\n    ") + _ONE_LINE.encode(f.to_dict()))
    out.write("\n  ]\n}\n")


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


def write_github(report: Report, out: TextIO) -> None:
    overflow: Counter = Counter()
    levels = {}
    for f in _capped(report, overflow):
        field = f"{f.field}: " if f.field else ""
        levels[f.type] = level = "error" if f.severity == "error" else "warning"
        out.write(_annotation(level, f.type, field + f.message, f.path, f.line))
    for (type_, where), n in sorted(overflow.items()):
        out.write(_annotation(levels[type_], type_, _more(type_, where, n)))
    out.write(_verdict(report))


WRITERS = {ReportFormat.TEXT: write_text, ReportFormat.JSON: write_json, ReportFormat.GITHUB: write_github}


def write_report(report: Report, fmt: str, out: TextIO) -> None:
    """Write the report to ``out`` in format ``fmt``, finding by finding."""
    WRITERS[ReportFormat(fmt)](report, out)


def render_report(report: Report, fmt: str) -> str:
    buf = io.StringIO()
    write_report(report, fmt, buf)
    return buf.getvalue()


def render_text(report: Report) -> str:
    return render_report(report, ReportFormat.TEXT)


def render_json(report: Report) -> str:
    return render_report(report, ReportFormat.JSON)


def render_github(report: Report) -> str:
    return render_report(report, ReportFormat.GITHUB)
