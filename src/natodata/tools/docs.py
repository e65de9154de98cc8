"""Generated documentation: the finding-type tables of docs/validate.md come from the
registry in :mod:`natodata.findings`, so the docs cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

from ..errors import UnreadableInput
from ..findings import GROUPS, TYPES

BEGIN = "<!-- BEGIN finding-types: generated from natodata.findings by `natodata docs`; do not edit by hand -->"
END = "<!-- END finding-types -->"


def finding_types_markdown() -> str:
    """One table per group: type, severity, tags and meaning."""
    lines = []
    for group in GROUPS:
        types = [t for t in TYPES.values() if t.group == group.key]
        lines += [f"### {group.title}", "", "| type | severity | tags | meaning |", "| --- | --- | --- | --- |"]
        for t in types:
            tags = ", ".join(sorted(t.tags)) or "—"
            lines.append(f"| `{t.name}` | {t.severity} | {tags} | {t.description} |")
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def validate_doc(path: Path) -> str:
    """docs/validate.md with its generated section brought up to date."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(f"cannot read {path}: {exc}") from None
    if BEGIN not in text or END not in text:
        raise UnreadableInput(f"{path} lacks the markers of its generated section ({BEGIN} … {END})")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n\n{finding_types_markdown()}\n\n{END}{tail}"
