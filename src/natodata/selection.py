"""Choosing findings: ``--select``, ``--ignore`` and ``--strict``, and the same settings
(and ``corpus``) from ``[tool.natodata]`` in a ``pyproject.toml``: the nearest one with
that table from the current directory up to the repository root (a directory holding
``.git``), never above it; outside a repository, only the current directory's.
``--config FILE`` names the file instead, and ``--isolated`` ignores every file.

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
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UnreadableInput, UsageError
from .findings import GROUPS, TYPES, Report

CONFIG_FILE = "pyproject.toml"
CONFIG_KEYS = ("select", "ignore", "strict", "corpus")
#: What marks the root of a repository: configuration is never looked for above it.
REPOSITORY_MARKER = ".git"


def split_codes(values) -> tuple[str, ...]:
    """``["a,b", "c"]`` → ``("a", "b", "c")``: codes repeated or comma-separated."""
    return tuple(code.strip() for value in values for code in value.split(",") if code.strip())


def _prefixes() -> set[str]:
    parts = (name.split("-") for name in TYPES)
    return {"-".join(p[:i]) for p in parts for i in range(1, len(p))}


def expand(code: str, where: str) -> frozenset[str]:
    """The finding types ``code`` names; a :class:`UsageError` naming ``where`` if none."""
    named = {
        name for name, t in TYPES.items() if name == code or name.startswith(code.rstrip("-") + "-") or t.group == code
    }
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
    #: the configuration file read, if any, and the corpus it names (relative to it)
    config: Path | None = field(default=None, compare=False)
    corpus: Path | None = None

    def switched_off(self) -> dict[str, str]:
        """Each finding type this selection leaves out, with the setting that does it
        (``--ignore``, ``'ignore' of [tool.natodata] in …``)."""
        out = {}
        if self.select:
            kept = set().union(*(expand(c, self.sources.get("select", "--select")) for c in self.select))
            out = {name: self.sources.get("select", "--select") for name in TYPES if name not in kept}
        where = self.sources.get("ignore", "--ignore")
        for code in self.ignore:
            for name in expand(code, where):
                out.setdefault(name, where)
        return dict(sorted(out.items()))

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
        kept, left_out = [], Counter()
        for f in report.findings:
            if f.type in keep:
                kept.append(f)
            else:
                left_out[f.type] += 1
        return Selected(
            Report(kept, report.order),
            len(report.findings) - len(kept),
            self.strict,
            self,
            dict(sorted(left_out.items())),
        )


@dataclass(frozen=True)
class Selected:
    """The findings a run reports, how many it left out, and whether warnings fail it."""

    report: Report
    ignored: int = 0
    strict: bool = False
    #: the selection applied, and how many findings of each type it left out
    selection: Selection | None = None
    left_out: dict = field(default_factory=dict)

    def configured(self) -> dict[str, str]:
        """The finding types the configuration file (not the command line) switched off,
        with the setting that does it (``select`` or ``ignore``)."""
        if self.selection is None or self.selection.config is None:
            return {}
        return {
            t: where.split("'")[1]
            for t, where in self.selection.switched_off().items()
            if where not in ("--select", "--ignore")
        }  # "'ignore' of [tool.natodata] in …" -> "ignore"


def repository_root(start: Path) -> Path | None:
    """The nearest directory from ``start`` upwards that holds ``.git``, if any."""
    return next((d for d in (start, *start.parents) if (d / REPOSITORY_MARKER).exists()), None)


def find_config(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.natodata]`` table, from ``start``
    (a directory) up to the repository root, never above it; outside a repository,
    ``start``'s own only (a parent directory is nobody's configuration)."""
    start = start.resolve()
    top = repository_root(start)
    directories = [start] if top is None else [start, *start.parents[: len(start.parents) - len(top.parents)]]
    for directory in directories:
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


def read_config(path: Path, named: bool = False) -> Selection:
    """The settings of ``[tool.natodata]`` in ``path`` (``named``: by ``--config``, so
    the file must exist and have the table)."""
    if named and not path.is_file():
        raise UsageError(f"configuration file not found: {path}")
    table = _table(path)
    if table is None and named:
        raise UsageError(f"{path} has no [tool.natodata] table")
    table = table or {}
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
    corpus = table.get("corpus")
    if corpus is not None and (not isinstance(corpus, str) or not corpus or "\0" in corpus):
        raise UsageError(f"'corpus' in {where} must be the path of the corpus directory, relative to that file")
    return Selection(
        codes["select"],
        codes["ignore"],
        strict,
        {k: f"'{k}' of {where}" for k in CONFIG_KEYS},
        config=path,
        corpus=None if corpus is None else path.parent / corpus,
    )


def resolve(
    start: Path,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    strict: bool | None = None,
    *,
    config: Path | None = None,
    isolated: bool = False,
) -> Selection:
    """The settings of a run: the configuration found from the directory ``start`` (see
    :func:`find_config`), or the file ``config``, or none with ``isolated``; each setting
    given on the command line (not ``None``) replaces the configuration's. Unknown codes
    are reported here, before any check runs."""
    if isolated and config is not None:
        raise UsageError("give --config FILE or --isolated, not both")
    named = config is not None
    config_path = None if isolated else Path(config) if named else find_config(start)
    config = read_config(config_path, named=named) if config_path else Selection()
    sources = dict(config.sources)
    if select is not None:
        sources["select"] = "--select"
    if ignore is not None:
        sources["ignore"] = "--ignore"
    chosen = Selection(
        config.select if select is None else split_codes(select),
        config.ignore if ignore is None else split_codes(ignore),
        config.strict if strict is None else strict,
        sources,
        config.config,
        config.corpus,
    )
    chosen.types()  # an unknown code is a usage error now, not after the checks ran
    return chosen


def any_selected(selection: Selection, group: str) -> bool:
    """Whether the selection keeps any finding type of ``group``."""
    return any(TYPES[name].group == group for name in selection.types())
