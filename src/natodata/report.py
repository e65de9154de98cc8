"""Rendering a validation report as text, JSON, GitHub Actions annotations, a GitLab Code
Quality report or JUnit XML (the last two in :mod:`natodata.report_ci`).

Reports stay usable at any size: the human formats (text, github) list at most
:data:`CAP` findings of one type in one table and count the rest, and text, JSON and
github are written finding by finding (:func:`write_report`), never built as one string.
"""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from pathlib import Path
from typing import Iterator, TextIO

from .escape import guard_line, json_safe, printable
from .findings import Finding, Report
from .formats import ReportFormat

JSON_REPORT_VERSION = 1
#: The human formats list this many findings per finding type and table, and count the rest.
CAP = 1000


def location(f: Finding) -> str:
    """Where a finding is, as the text report names it: ``data/quotes.csv:5``,
    ``schemas/x.json#/fields/0``, the table, or ``<package>``."""
    s = printable(f.path or f.table or "<package>")
    if f.pointer is not None:
        s += f"#{printable(f.pointer)}"
    if f.line is not None:
        s += f":{f.line}"
    return s


#: A message refusing a package (``load``, ``export``, ``publish``) lists this many of its
#: findings, and counts the rest.
LISTED = 20


def finding_line(f: Finding) -> str:
    """One finding as a line of a message: ``path:line: type: message`` (the table, or
    ``<package>``, for a finding in no file; no ``:line`` for a finding on no line)."""
    return f"{f.path or f.table or '<package>'}{f':{f.line}' if f.line else ''}: {f.type}: {f.message}"


def finding_lines(findings: list[Finding], cap: int = LISTED) -> list[str]:
    """The first ``cap`` findings as lines (:func:`finding_line`), then ``… and N more``
    for the rest."""
    more = len(findings) - cap
    return [finding_line(f) for f in findings[:cap]] + ([f"… and {more} more"] if more > 0 else [])


def shown_path(path: Path) -> str:
    """A path as a report shows it: relative to the working directory when it is in it
    or above it (``pyproject.toml``, ``../pyproject.toml``), else absolute."""
    path = Path(path)
    if not path.is_absolute():
        return printable(path.as_posix())
    cwd = Path.cwd()
    if path.parent == cwd or path.parent in cwd.parents or cwd in path.parents:
        return printable(Path(os.path.relpath(path, cwd)).as_posix())
    return printable(path.as_posix())


def configuration_lines(settings) -> list[str]:
    """What a configuration file did to the run, in the human formats' words: the file,
    the corpus it named, and each finding type its ``select`` or ``ignore`` switched
    off (with how many findings that left out). ``settings`` is a
    :class:`natodata.selection.Selected`; no configuration file, no lines."""
    selection = getattr(settings, "selection", None)
    if selection is None or selection.config is None:
        return []
    lines = [f"configuration: {shown_path(selection.config)}"]
    if selection.corpus is not None:
        lines[0] += f" (corpus: {shown_path(selection.corpus)})"
    by_setting: dict[str, list[str]] = {}
    for type_, setting in settings.configured().items():
        n = settings.left_out.get(type_, 0)
        by_setting.setdefault(setting, []).append(type_ + (f" ({n} finding{'s' * (n != 1)} left out)" if n else ""))
    for setting, types in by_setting.items():
        lines.append(f"  its {setting} switches off: {', '.join(types)}")
    return lines


def configuration_dict(settings) -> dict | None:
    """The configuration a run used, for the JSON report: ``path``, ``corpus`` and each
    finding type it switched off with the setting that does it."""
    selection = getattr(settings, "selection", None)
    if selection is None or selection.config is None:
        return None
    return {
        "path": Path(selection.config).as_posix(),
        "corpus": None if selection.corpus is None else Path(selection.corpus).as_posix(),
        "switched_off": settings.configured(),
    }


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


def write_text(report: Report, out: TextIO, strict: bool = False, ignored: int = 0, settings=None) -> None:
    overflow: Counter = Counter()
    for f in _capped(report, overflow):
        field = f" [{printable(f.field)}]" if f.field else ""
        out.write(guard_line(f"{location(f)}: {f.severity} {f.type}{field}: {printable(f.message)}") + "\n")
    for (type_, where), n in sorted(overflow.items()):
        out.write(guard_line(_more(type_, printable(where), n)) + "\n")
    for line in configuration_lines(settings):
        out.write(guard_line(line) + "\n")
    out.write(verdict_line(report, strict, ignored) + "\n")


_ONE_LINE = json.JSONEncoder(ensure_ascii=False)  # without indent: the C encoder


def write_json(report: Report, out: TextIO, strict: bool = False, ignored: int = 0, settings=None) -> None:
    """The JSON document, written finding by finding, one finding per line. Characters
    a terminal or a reader could be fooled by are written as ``\\uXXXX`` escapes."""
    head = {
        "version": JSON_REPORT_VERSION,
        "valid": passed(report, strict),
        "strict": strict,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "ignored": ignored,
        "left_out": getattr(settings, "left_out", {}),
        "configuration": configuration_dict(settings),
        "error": None,
    }
    out.write(json_safe(json.dumps(head, indent=2, ensure_ascii=False))[:-2] + ",\n")  # without the closing "\n}"
    if not report.findings:
        out.write('  "findings": []\n}\n')
        return
    out.write('  "findings": [\n')
    for i, f in enumerate(report.sorted()):
        out.write(("    " if i == 0 else ",\n    ") + json_safe(_ONE_LINE.encode(f.to_dict())))
    out.write("\n  ]\n}\n")


def render_json_error(message: str, exit_code: int) -> str:
    """The JSON document of a run that could not check the package (exit 2): the same
    keys as a report, no findings, and ``error`` saying why."""
    doc = {
        "version": JSON_REPORT_VERSION,
        "valid": False,
        "strict": False,
        "errors": 0,
        "warnings": 0,
        "ignored": 0,
        "left_out": {},
        "configuration": None,
        "error": {"message": message, "exit_code": exit_code},
        "findings": [],
    }
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def render_github_error(message: str, exit_code: int) -> str:
    """The GitHub annotation of a run that could not check the package (exit 2)."""
    return _annotation("error", "natodata", f"Error: {message} (exit {exit_code})")


def _escape_data(s: str) -> str:
    """A workflow command's message: every control character escaped (so no line break
    or ESC from the data reaches the log), then GitHub's own escapes."""
    return printable(s).replace("%", "%25")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def _annotation(level: str, type_: str, text: str, path: str | None = None, line: int | None = None) -> str:
    props = [f"file={_escape_property(path)}"] if path else []
    if line is not None:
        props.append(f"line={line}")
    props.append(f"title={_escape_property(type_)}")
    return f"::{level} {','.join(props)}::{_escape_data(text)}\n"


def _notice(lines: list[str]) -> str:
    """One notice annotation of several lines (GitHub's %0A)."""
    return f"::notice title=natodata configuration::{'%0A'.join(_escape_data(line) for line in lines)}\n"


def write_github(report: Report, out: TextIO, strict: bool = False, ignored: int = 0, settings=None) -> None:
    overflow: Counter = Counter()
    levels = {}
    for f in _capped(report, overflow):
        field = f"{f.field}: " if f.field else ""
        levels[f.type] = level = "error" if f.severity == "error" else "warning"
        out.write(_annotation(level, f.type, field + f.message, f.path, f.line))
    for (type_, where), n in sorted(overflow.items()):
        out.write(_annotation(levels[type_], type_, _more(type_, where, n)))
    lines = configuration_lines(settings)
    if lines:
        out.write(_notice(lines))
    out.write(verdict_line(report, strict, ignored) + "\n")


def write_report(
    report: Report,
    fmt: str,
    out: TextIO,
    *,
    strict: bool = False,
    ignored: int = 0,
    descriptor: Path | None = None,
    settings=None,
) -> None:
    """Write ``report`` to ``out`` in the format ``fmt``. ``strict`` and ``ignored``
    (findings left out by --select/--ignore) go into the verdict; ``settings`` (a
    :class:`natodata.selection.Selected`) names the configuration file used and each
    finding type it switched off, in every format. With ``descriptor``
    (the package's datapackage.json), the CI formats name files relative to the
    workspace instead of the package directory, so a CI service finds them."""
    fmt = ReportFormat(fmt)
    if fmt.for_ci and descriptor is not None:
        from . import report_ci

        report = report_ci.relocate(report, descriptor, fmt)
    writers = {ReportFormat.TEXT: write_text, ReportFormat.JSON: write_json, ReportFormat.GITHUB: write_github}
    if fmt in writers:
        writers[fmt](report, out, strict=strict, ignored=ignored, settings=settings)
        return
    from . import report_ci  # the GitLab and JUnit documents only: a text run needs no XML

    renderers = {ReportFormat.GITLAB: report_ci.render_gitlab, ReportFormat.JUNIT: report_ci.render_junit}
    out.write(renderers[fmt](report, strict=strict, ignored=ignored, settings=settings))


def render_error(fmt: str, message: str, exit_code: int) -> str:
    """The document a format holds when the package could not be checked (exit 2): JSON's
    error object, an empty GitLab report (the error goes to stderr), a JUnit failing case
    naming the error, a GitHub error annotation; text has none (the error is on stderr)."""
    from . import report_ci

    fmt = ReportFormat(fmt)
    renderers = {
        ReportFormat.JSON: render_json_error,
        ReportFormat.GITHUB: render_github_error,
        ReportFormat.GITLAB: report_ci.render_gitlab_error,
        ReportFormat.JUNIT: report_ci.render_junit_error,
    }
    return renderers[fmt](message, exit_code) if fmt in renderers else ""


def render_report(report: Report, fmt: str, **options) -> str:
    """:func:`write_report` into a string."""
    buf = io.StringIO()
    write_report(report, fmt, buf, **options)
    return buf.getvalue()
