"""Release notes: the CHANGELOG entry of a data release, and ``RELEASE_NOTES.md``, which
carries it with the diff against the previous release and how to cite the release."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ChangelogMissing, UnreadableInput
from ..layout import CHANGELOG, VERSION_RE
from .diff import PackageDiff
from .diff_report import render_text
from .versioning import Bump

_HEADING = re.compile(rf"## (Data )?\[?({VERSION_RE.pattern})\]?(?:\s.*)?")
#: A CHANGELOG that also logs a toolkit's changes keeps the data's apart, headed ``## Data …``.
_DATA_HEADING = re.compile(r"## Data\b")
_SECTION_END = re.compile(r"#{1,2} ")


def changelog_entry(root: Path, version: str) -> str:
    """The body of the CHANGELOG section of data release ``version``: headed ``## Data X.Y.Z``
    in a CHANGELOG that has ``## Data …`` headings (this repository's, which also logs the
    toolkit's changes: docs/releasing.md), else ``## X.Y.Z`` (or ``## [X.Y.Z] - date``). A
    data release's notes carry its data changes only."""
    file = root / CHANGELOG
    hint = f"add a section headed '## {version}' (rename '## Unreleased') saying what changed"
    try:
        lines = file.read_text(encoding="utf-8").split("\n")
    except FileNotFoundError:
        raise ChangelogMissing(f"{CHANGELOG} not found in {root}; {hint}") from None
    except UnicodeDecodeError as exc:
        raise UnreadableInput(f"{CHANGELOG} in {root} is not UTF-8 (byte {exc.start}); nothing was published") from None
    except OSError as exc:
        raise UnreadableInput(
            f"cannot read {CHANGELOG} in {root}: {exc.strerror or exc}; nothing was published"
        ) from None
    data_only = any(_DATA_HEADING.match(line) for line in lines)
    if data_only:
        hint = (
            f"add a section headed '## Data {version}' (rename '## Data: unreleased') saying what changed in the data"
        )
    body: list[str] | None = None
    for line in lines:
        if body is None:
            m = _HEADING.fullmatch(line.rstrip())
            if m and m.group(2) == version and bool(m.group(1)) == data_only:
                body = []
        elif _SECTION_END.match(line):
            break
        else:
            body.append(line)
    text = "\n".join(body or []).strip("\n")
    if not text.strip():
        raise ChangelogMissing(f"{CHANGELOG} has no entry for {version}; {hint}")
    return text


def release_notes(
    title: str,
    version: str,
    created: str,
    entry: str,
    diff: PackageDiff | None,
    previous: str | None,
    taken: Bump,
    required: Bump,
    rows: dict[str, int],
    cite: str,
) -> str:
    lines = [f"# {title} {version}", "", f"- Created: {created}"]
    if previous is None:
        lines += [
            "- Previous release: none (first release)",
            "",
            "## Changelog",
            "",
            entry,
            "",
            "## Contents",
            "",
            "| table | rows |",
            "| --- | ---: |",
        ]
        lines += [f"| {name} | {n} |" for name, n in rows.items()]
    else:
        lines += [
            f"- Previous release: {previous}",
            f"- Version step: {taken} (the changes require {required})",
            "",
            "## Changelog",
            "",
            entry,
            "",
            f"## Changes since {previous}",
            "",
            "```text",
            render_text(diff).rstrip("\n"),
            "```",
        ]
    lines += ["", "## How to cite", "", cite]
    return "\n".join(lines) + "\n"
