"""The report formats CI services read: paths relative to the workspace, a GitLab Code
Quality report and JUnit XML. (Text, JSON and GitHub annotations are in :mod:`natodata.report`.)"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from .escape import json_safe, printable
from .findings import Finding, Report, Severity
from .formats import WORKSPACE_ENV, ReportFormat

#: Where a finding without a file is attached when a format needs a file.
DEFAULT_FILE = "datapackage.json"


def workspace(fmt: ReportFormat, environ=None) -> Path:
    """The directory a CI format's paths are relative to: its service's workspace
    variable when set (``GITHUB_WORKSPACE``, ``CI_PROJECT_DIR``), else the working directory."""
    environ = os.environ if environ is None else environ
    var = WORKSPACE_ENV.get(fmt)
    return Path(environ.get(var) or os.getcwd()) if var else Path.cwd()


def package_prefix(descriptor: Path, base: Path) -> str:
    """The package directory as the workspace ``base`` names it (``""`` for the workspace
    itself, ``"sub/"``), or its absolute path when it lies outside."""
    root = descriptor.parent.resolve()
    try:
        rel = root.relative_to(base.resolve())
    except ValueError:
        return root.as_posix() + "/"
    return "" if rel == Path(".") else rel.as_posix() + "/"


def relocate(report: Report, descriptor: Path, fmt: ReportFormat, environ=None) -> Report:
    """The findings with their paths relative to ``fmt``'s workspace rather than to the
    package directory; a finding without a file is attached to the descriptor."""
    prefix = package_prefix(descriptor, workspace(fmt, environ))
    return Report(
        [dataclasses.replace(f, path=prefix + (f.path or descriptor.name)) for f in report.findings], report.order
    )


def _description(f: Finding) -> str:
    return printable(f"{f.field}: {f.message}" if f.field else f.message)


def fingerprints(findings: list[Finding]) -> list[str]:
    """A stable id per finding, unique in the report: a hash of its type, file, field,
    value and message, and of how many identical findings came before it. The line is
    left out, so a finding keeps its id when rows above it are added or removed."""
    seen: Counter = Counter()
    out = []
    for f in findings:
        key = "\0".join((f.type, f.path or "", f.field or "", f.value or "", f.message))
        out.append(hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest())
        seen[key] += 1
    return out


#: GitLab's severities are info, minor, major, critical and blocker.
GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}


#: The check_name of the issue (GitLab) or the test suite (JUnit) naming the configuration.
CONFIGURATION = "natodata-configuration"


def _configuration_issue(settings) -> list[dict]:
    """An ``info`` issue naming the configuration file and what it switched off."""
    from .report import configuration_lines, shown_path

    lines = configuration_lines(settings)
    if not lines:
        return []
    text = "; ".join(line.strip() for line in lines)
    return [
        {
            "description": text,
            "check_name": CONFIGURATION,
            "fingerprint": hashlib.sha256(text.encode()).hexdigest(),
            "severity": "info",
            "location": {"path": shown_path(settings.selection.config), "lines": {"begin": 1}},
        }
    ]


def render_gitlab(report: Report, strict: bool = False, ignored: int = 0, settings=None) -> str:
    """A GitLab Code Quality report: a JSON array with one issue per finding, and an
    ``info`` issue naming the configuration file used, if any, and each finding type it
    switched off. (``strict`` and ``ignored`` do not show: the report has no verdict.)"""
    findings = report.sorted()
    issues = [
        {
            "description": _description(f),
            "check_name": f.type,
            "fingerprint": fp,
            "severity": GITLAB_SEVERITY[f.severity],
            "location": {"path": printable(f.path or DEFAULT_FILE), "lines": {"begin": f.line or 1}},
        }
        for f, fp in zip(findings, fingerprints(findings))
    ]
    return json_safe(json.dumps(issues + _configuration_issue(settings), indent=2, ensure_ascii=False)) + "\n"


def render_gitlab_error(message: str, exit_code: int) -> str:
    """The report of a run that could not check the package: an empty list (the error
    is on stderr)."""
    return "[]\n"


# Characters XML 1.0 cannot hold, even escaped; a value may contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(s: str) -> str:
    """Text for XML: every control character escaped (:func:`natodata.escape.printable`,
    which covers what XML 1.0 cannot hold too), and lone surrogates."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", printable(s))


def _counts(el: ET.Element, tests: int, failures: int) -> None:
    for key, n in (("tests", tests), ("failures", failures), ("errors", 0), ("skipped", 0)):
        el.set(key, str(n))
    el.set("time", "0")


def _configuration_suite(root: ET.Element, settings) -> None:
    """A test suite naming the configuration file and what it switched off: one passing
    case whose output says it, and the file as a property."""
    from .report import configuration_lines, shown_path

    lines = configuration_lines(settings)
    if not lines:
        return
    suite = ET.SubElement(root, "testsuite", name=CONFIGURATION)
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="configuration", value=_xml_text(shown_path(settings.selection.config)))
    for type_, setting in settings.configured().items():
        ET.SubElement(props, "property", name=f"switched-off:{type_}", value=setting)
    case = ET.SubElement(suite, "testcase", name="configuration", classname=CONFIGURATION, time="0")
    ET.SubElement(case, "system-out").text = "\n".join(_xml_text(line) for line in lines)
    _counts(suite, 1, 0)


def _finish(root: ET.Element) -> str:
    _counts(root, sum(int(s.get("tests")) for s in root), sum(int(s.get("failures")) for s in root))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render_junit_error(message: str, exit_code: int) -> str:
    """The JUnit XML of a run that could not check the package (exit 2): one failing
    test case naming the error."""
    root = ET.Element("testsuites", name="natodata validate")
    suite = ET.SubElement(root, "testsuite", name="natodata validate")
    case = ET.SubElement(suite, "testcase", name="validate", classname="natodata validate", time="0")
    text = _xml_text(f"Error: {message}")
    failure = ET.SubElement(case, "failure", type="error", message=text)
    failure.text = f"{text} (exit {exit_code})"
    _counts(suite, 1, 1)
    return _finish(root)


def render_junit(report: Report, strict: bool = False, ignored: int = 0, settings=None) -> str:
    """JUnit XML: one test suite per file, one test case per finding. An error fails its
    case; a warning fails it only with ``strict``, and is otherwise a passing case whose
    output says the warning. A package without findings is one passing case."""
    root = ET.Element("testsuites", name="natodata validate")
    by_file: dict[str, list[Finding]] = {}
    for f in report.sorted():
        by_file.setdefault(f.path or DEFAULT_FILE, []).append(f)
    if not by_file:
        suite = ET.SubElement(root, "testsuite", name="natodata validate")
        _counts(suite, 1, 0)
        ET.SubElement(suite, "testcase", name="valid", classname="natodata validate", time="0")
    for path, findings in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=_xml_text(path))
        failed = 0
        for f in findings:
            where = f"{path}:{f.line}" if f.line is not None else path
            case = ET.SubElement(
                suite,
                "testcase",
                name=_xml_text(f"{f.type} {where}" + (f" [{f.field}]" if f.field else "")),
                classname=_xml_text(path),
                file=_xml_text(path),
                time="0",
            )
            if f.line is not None:
                case.set("line", str(f.line))
            text = _xml_text(
                f"{where}: {f.severity} {f.type}" + (f" [{f.field}]" if f.field else "") + f": {f.message}"
            )
            if f.severity is Severity.ERROR or strict:
                failure = ET.SubElement(case, "failure", type=f.type, message=_xml_text(_description(f)))
                failure.text = text
                failed += 1
            else:
                ET.SubElement(case, "system-out").text = text
        _counts(suite, len(findings), failed)
    _configuration_suite(root, settings)
    return _finish(root)
