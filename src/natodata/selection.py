"""Choosing findings: ``--select``, ``--ignore`` and ``--strict``, and the same settings
from ``[tool.natodata]`` in the ``pyproject.toml`` nearest the package.

A code names finding types (the registry :data:`natodata.findings.TYPES` is the one list):
a type (``claim-disagreement``), a group of the registry (``provenance``), or a prefix
that ends at a hyphen of type names (``anchor`` names ``anchor-length``,
``anchor-text-mismatch`` …). A finding is kept when its type is selected (every type
is, without ``select``) and not ignored. Settings given on the command line replace the
configuration's. An unknown code is a usage error (exit 2) with a "did you mean" hint.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UnreadableInput, UsageError
from .findings import GROUPS, TYPES, Report

CONFIG_FILE = "pyproject.toml"
CONFIG_KEYS = ("select", "ignore", "strict")


def split_codes(values) -> tuple[str, ...]:
    """``["a,b", "c"]`` → ``("a", "b", "c")``: codes repeated or comma-separated."""
    return tuple(code.strip() for value in values for code in value.split(",") if code.strip())


def _prefixes() -> set[str]:
    parts = (name.split("-") for name in TYPES)
    return {"-".join(p[:i]) for p in parts for i in range(1, len(p))}


def expand(code: str, where: str) -> frozenset[str]:
    """The finding types ``code`` names; a :class:`UsageError` naming ``where`` if none."""
    named = {name for name, t in TYPES.items()
             if name == code or name.startswith(code.rstrip("-") + "-") or t.group == code}
    if not named:
        known = [*TYPES, *(g.key for g in GROUPS), *sorted(_prefixes())]
        close = difflib.get_close_matches(code, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else "; see the finding types in docs/validate.md"
        raise UsageError(f"unknown finding type or prefix '{code}' in {where}{hint}")
    return frozenset(named)


@dataclass(frozen=True)
class Selection:
    """Which findings a run reports, and whether its warnings fail it."""

    select: tuple[str, ...] = ()  # no codes: every type
    ignore: tuple[str, ...] = ()
    strict: bool = False
    #: where each setting came from, for error messages: "--select", "[tool.natodata] in …"
    sources: dict = field(default_factory=dict, compare=False, repr=False)

    def types(self) -> frozenset[str]:
        """The finding types this selection keeps."""
        chosen = set(TYPES)
        if self.select:
            where = self.sources.get("select", "--select")
            chosen = set().union(*(expand(c, where) for c in self.select))
        where = self.sources.get("ignore", "--ignore")
        for code in self.ignore:
            chosen -= expand(code, where)
        return frozenset(chosen)

    def apply(self, report: Report) -> Selected:
        keep = self.types()
        kept = [f for f in report.findings if f.type in keep]
        return Selected(Report(kept, report.order), len(report.findings) - len(kept), self.strict)


@dataclass(frozen=True)
class Selected:
    """The findings a run reports, how many it left out, and whether warnings fail it."""

    report: Report
    ignored: int = 0
    strict: bool = False


def find_config(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.natodata]`` table, from ``start``
    (a directory) upwards."""
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file() and _table(candidate) is not None:
            return candidate
    return None


def _table(path: Path) -> dict | None:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UnreadableInput(f"cannot read {path}: {exc}") from None
    table = doc.get("tool", {}).get("natodata")
    if table is not None and not isinstance(table, dict):
        raise UsageError(f"[tool.natodata] in {path} is not a table")
    return table


def read_config(path: Path) -> Selection:
    """The settings of ``[tool.natodata]`` in ``path``."""
    table = _table(path) or {}
    where = f"[tool.natodata] in {path}"
    for key in table:
        if key not in CONFIG_KEYS:
            close = difflib.get_close_matches(key, CONFIG_KEYS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(CONFIG_KEYS)})"
            raise UsageError(f"unknown setting '{key}' in {where}{hint}")
    codes = {}
    for key in ("select", "ignore"):
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UsageError(f"'{key}' in {where} must be a list of finding types or prefixes")
        codes[key] = split_codes(value)
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise UsageError(f"'strict' in {where} must be true or false")
    return Selection(codes["select"], codes["ignore"], strict, {k: f"'{k}' of {where}" for k in CONFIG_KEYS})


def resolve(package_dir: Path, select: list[str] | None = None, ignore: list[str] | None = None,
            strict: bool | None = None) -> Selection:
    """The settings of a run: each one given on the command line (not ``None``) replaces
    the configuration's. Unknown codes are reported here, before any check runs."""
    config_path = find_config(package_dir.resolve())
    config = read_config(config_path) if config_path else Selection()
    sources = dict(config.sources)
    if select is not None:
        sources["select"] = "--select"
    if ignore is not None:
        sources["ignore"] = "--ignore"
    chosen = Selection(config.select if select is None else split_codes(select),
                       config.ignore if ignore is None else split_codes(ignore),
                       config.strict if strict is None else strict, sources)
    chosen.types()  # an unknown code is a usage error now, not after the checks ran
    return chosen


def any_selected(selection: Selection, group: str) -> bool:
    """Whether the selection keeps any finding type of ``group``."""
    return any(TYPES[name].group == group for name in selection.types())

