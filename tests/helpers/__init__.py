"""What the tests share: the repository's root, writable copies of the shipped package
(with helpers to corrupt them), and the findings a corruption adds. The synthetic corpus
is :mod:`tests.helpers.corpus`; release helpers are :mod:`tests.helpers.releasing`."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def copy_package(dest: Path, source: Path = ROOT) -> Path:
    """The descriptor, schemas and data of the package at ``source`` (the shipped one by
    default), copied to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "datapackage.json", dest / "datapackage.json")
    shutil.copytree(source / "schemas", dest / "schemas")
    shutil.copytree(source / "data", dest / "data")
    return dest


class Pkg:
    """A writable copy of the shipped package with helpers to corrupt it."""

    def __init__(self, root: Path):
        self.root = root

    def csv(self, table: str) -> Path:
        return self.root / "data" / f"{table}.csv"

    def rows(self, table: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(self.csv(table).read_text(encoding="utf-8"), newline="")))

    def write_rows(self, table: str, rows: list[list[str]]) -> None:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        self.csv(table).write_text(buf.getvalue(), encoding="utf-8")

    def edit_schema(self, table: str, edit) -> None:
        """Apply ``edit`` to the table's Table Schema (a dict) and save it."""
        p = self.root / "schemas" / f"{table}.json"
        d = json.loads(p.read_text())
        edit(d)
        p.write_text(json.dumps(d))

    def set(self, table: str, line: int, field: str, value: str) -> None:
        """Set one cell; ``line`` is the file line (header = 1)."""
        rows = self.rows(table)
        rows[line - 1][rows[0].index(field)] = value
        self.write_rows(table, rows)

    def get(self, table: str, line: int, field: str) -> str:
        rows = self.rows(table)
        return rows[line - 1][rows[0].index(field)]

    def append(self, table: str, row: dict) -> int:
        """Append a row given as {field: value}; returns its line number."""
        rows = self.rows(table)
        rows.append([row.get(h, "") for h in rows[0]])
        self.write_rows(table, rows)
        return len(rows)


def found(report, type_=None):
    """(type, table, line, field) of each finding, optionally of one type."""
    return sorted((f.type, f.table, f.line, f.field) for f in report.findings if type_ is None or f.type == type_)


_baselines: dict = {}


def added(report, corpus=None, keep_canonical: bool = False):
    """Findings in ``report`` that the untouched package does not already have, as
    (type, table, line, field) tuples: exactly what a test's corruption caused.
    ``not-canonical`` is left out unless asked for, since appended rows are unsorted.
    With ``corpus`` (the synthetic one), the untouched package is its matching copy."""
    from natodata.checks.validate import validate

    from .corpus import synthetic

    key = str(corpus)
    if key not in _baselines:
        _baselines[key] = Counter(found(validate(ROOT if corpus is None else synthetic().package, corpus)))
    now = Counter(found(report))
    out = sorted((now - _baselines[key]).elements())
    return [f for f in out if keep_canonical or f[0] != "not-canonical"]


def refuse_reading(monkeypatch, path) -> None:
    """Make ``path`` unreadable: mode 000 and, for root (whom mode 000 does not stop, as in
    CI), an ``os.open`` that answers EACCES for it, as the OS answers anyone else."""
    path.chmod(0)
    if os.geteuid() != 0:
        return
    real_open = os.open

    def refusing(p, flags, *args, **kwargs):
        if os.fspath(p) == os.fspath(path):
            raise PermissionError(13, "Permission denied")
        return real_open(p, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
