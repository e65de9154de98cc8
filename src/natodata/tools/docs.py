"""Generated documentation: the finding-type tables of docs/validate.md come from the
registry in :mod:`natodata.findings`, its tables of ``x-`` properties and rule parameters
from their JSON Schema (:mod:`natodata.model.extensions`); docs/cli.md's table of exit codes
per command from :mod:`natodata.errors` and :mod:`natodata.cli.exits` (passed in by the
command line), its exception table from :mod:`natodata.errors` and its table of change
kinds from :mod:`natodata.release.changes`, so the docs cannot drift from the code. The
documents a data release needs current, and how each is rendered, are :func:`release_documents`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .. import errors
from ..errors import NatodataError, UnreadableInput
from ..findings import GROUPS, TYPES
from ..model.extensions import definition, rule_names
from ..release.changes import change_kinds_markdown

if TYPE_CHECKING:
    from ..release.publish import Document

BEGIN = "<!-- BEGIN finding-types: generated from natodata.findings by `natodata docs`; do not edit by hand -->"
END = "<!-- END finding-types -->"
EXC_BEGIN = "<!-- BEGIN exceptions: generated from natodata.errors by `natodata docs`; do not edit by hand -->"
EXC_END = "<!-- END exceptions -->"
EXITS_BEGIN = "<!-- BEGIN exit-codes: generated from natodata.errors and natodata.cli.exits by `natodata docs`; do not edit by hand -->"
EXITS_END = "<!-- END exit-codes -->"
KINDS_BEGIN = (
    "<!-- BEGIN change-kinds: generated from natodata.release.changes by `natodata docs`; do not edit by hand -->"
)
KINDS_END = "<!-- END change-kinds -->"
XPROPS_BEGIN = (
    "<!-- BEGIN x-properties: generated from natodata/model/extensions.schema.json by `natodata docs`; "
    "do not edit by hand -->"
)
XPROPS_END = "<!-- END x-properties -->"
RULES_BEGIN = (
    "<!-- BEGIN rule-parameters: generated from natodata/model/extensions.schema.json by `natodata docs`; "
    "do not edit by hand -->"
)
RULES_END = "<!-- END rule-parameters -->"

#: The generated documents, by their path in the package directory.
CODEBOOK_DOC = "docs/CODEBOOK.md"
VALIDATE_DOC = "docs/validate.md"
CLI_DOC = "docs/cli.md"


def finding_types_markdown() -> str:
    """One table per group: type, severity, tags and meaning, and for natodata's own checks
    the schema property that switches each on."""
    lines = []
    for group in GROUPS:
        types = [t for t in TYPES.values() if t.group == group.key]
        switched = any(t.switch for t in types)
        lines += [
            f"### {group.title}",
            "",
            "| type | severity | tags | " + "switched on by | " * switched + "meaning |",
            "| --- | --- | --- | " + "--- | " * switched + "--- |",
        ]
        for t in types:
            tags = ", ".join(sorted(t.tags)) or "—"
            switch = f"`{t.switch}` | " if t.switch else "— | " if switched else ""
            lines.append(f"| `{t.name}` | {t.severity} | {tags} | {switch}{t.description} |")
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def x_properties_markdown() -> str:
    """Every ``x-`` property: where it goes, its value (its schema's title, then the values
    it may take) and what it switches on (its description)."""
    lines = ["| property | where | value | what it switches on |", "| --- | --- | --- | --- |"]
    for where in ("package", "table", "field"):
        spec = definition(where)
        needs = spec.get("dependentRequired", {})
        for name, prop in spec["properties"].items():
            if not name.startswith("x-"):
                continue
            place = where + (f" (with {' and '.join(f'`{n}`' for n in needs[name])})" if name in needs else "")
            values = prop.get("enum") or prop.get("items", {}).get("enum") or definition().get(name[2:], {}).get("enum")
            value = prop["title"] + (" " + ", ".join(f"`{v}`" for v in values) if values else "")
            lines.append(f"| `{name}` | {place} | {_cell(value)} | {_cell(prop['description'])} |")
    return "\n".join(lines)


def rule_parameters_markdown() -> str:
    """Every rule an ``x-checks`` entry may name, with its parameters (each with its
    description) and the rule's own note."""
    lines = ["| rule | parameters |", "| --- | --- |"]
    for name in rule_names():
        spec = definition("rules", name)
        params = [
            f"`{p}`" + (f" ({s['description']})" if "description" in s else "")
            for p, s in spec.get("properties", {}).items()
        ]
        text = ", ".join(params) or "none"
        lines.append(f"| `{name}` | {_cell(text + (': ' + spec['description'] if 'description' in spec else ''))} |")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def exceptions_markdown() -> str:
    """Every exception the command line reports: its exit code, its base and meaning."""
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, NatodataError)]
    lines = ["| exception | exit | kind of | meaning |", "| --- | --- | --- | --- |"]
    for c in classes:
        base = c.__bases__[0].__name__ if c is not NatodataError else "—"
        doc = " ".join((c.__doc__ or "").split()).replace("``", "`")
        lines.append(f"| `{c.__name__}` | {int(c.exit_code)} | {base} | {doc.replace('|', chr(92) + '|')} |")
    return "\n".join(lines)


def _with_section(path: Path, begin: str, end: str, body: str) -> str:
    """The text of ``path`` with the section between ``begin`` and ``end`` set to ``body``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(f"cannot read {path}: {exc}") from None
    return _replace_section(text, path, begin, end, body)


def _replace_section(text: str, path: Path, begin: str, end: str, body: str) -> str:
    """``text`` (of ``path``) with the section between ``begin`` and ``end`` set to ``body``."""
    if begin not in text or end not in text:
        raise UnreadableInput(f"{path} lacks the markers of its generated section ({begin} … {end})")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n\n{body}\n\n{end}{tail}"


def validate_doc(path: Path) -> str:
    """docs/validate.md with its generated sections brought up to date."""
    text = _with_section(path, BEGIN, END, finding_types_markdown())
    text = _replace_section(text, path, XPROPS_BEGIN, XPROPS_END, x_properties_markdown())
    return _replace_section(text, path, RULES_BEGIN, RULES_END, rule_parameters_markdown())


def cli_doc(path: Path, exit_table: str) -> str:
    """docs/cli.md with its tables brought up to date: the exit codes of each command
    (``exit_table``, which the command line renders from its own definition,
    :mod:`natodata.cli.exits`), the exceptions and the change kinds."""
    text = _with_section(path, EXITS_BEGIN, EXITS_END, exit_table)
    text = _replace_section(text, path, EXC_BEGIN, EXC_END, exceptions_markdown())
    return _replace_section(text, path, KINDS_BEGIN, KINDS_END, change_kinds_markdown())


def release_documents() -> list[Document]:
    """The generated documents ``publish`` refuses to release stale, as the command line
    passes them to :func:`natodata.release.publish.publish`: the codebook (rewritten with
    each release, which it names) and docs/validate.md."""
    from ..release.publish import Document
    from .codebook import codebook_text

    return [
        Document(CODEBOOK_DOC, lambda root, version: codebook_text(root, version=version), names_release=True),
        Document(VALIDATE_DOC, lambda root, version: validate_doc(root / VALIDATE_DOC)),
    ]
