"""The journal of a group of writes (see :mod:`natodata.atomic`): what a transaction
staged, and how a run killed in the middle of one is completed by the next.

A journal, ``.natodata-journal-<id>.json``, holds one JSON object per line, each path
relative to its directory: ``{"tmp", "target"}`` before a temporary file or directory
exists, ``{"dir"}`` before a directory is made, and at commit ``{"backup", "target"}``
before a target's old content gets a second name, or ``{"new"}`` for a target that did
not exist. ``.natodata-journal-<id>.commit`` is the commit point. A live transaction
holds its journal locked.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
from pathlib import Path

from .errors import UnwritableOutput

JOURNAL_PREFIX = ".natodata-journal-"
_JOURNAL = re.compile(re.escape(JOURNAL_PREFIX) + r"([0-9a-f]{16})\.json")
#: A journal's lines are short; a larger file is not one of ours.
_JOURNAL_LIMIT = 1 << 20
#: Files SQLite may leave beside a database it was writing when killed.
_SIDECARS = ("-journal", "-wal", "-shm")


def remove(path: Path) -> None:
    try:
        path.unlink()
    except (FileNotFoundError, NotADirectoryError):
        pass


def abspath(path: Path | str) -> Path:
    return Path(os.path.abspath(path))


def _delete(path: Path) -> None:
    """Remove a file, or a directory this transaction made, with everything in it."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        remove(path)


def roll_back(lines: list[dict], undo_renames: bool = True) -> None:
    """Undo a transaction that did not reach its commit point, or failed in its renames:
    every temporary file and backup goes, and (``undo_renames``, in the process that
    made the renames) every replaced target gets its old content back, or goes if it
    was new. A journal read from disk never restores or deletes a target: only files
    named as natodata's temporary files are removed on its word."""
    replaced_old = {Path(x["target"]): Path(x["backup"]) for x in lines if "backup" in x}
    replaced_new = {Path(x["new"]) for x in lines if "new" in x}
    for x in lines:
        if "tmp" not in x:
            continue
        tmp, target = Path(x["tmp"]), Path(x["target"])
        if os.path.lexists(tmp):
            _delete(tmp)
        elif undo_renames and target in replaced_old and replaced_old[target].exists():
            os.replace(replaced_old[target], target)
        elif undo_renames and target in replaced_new:
            _delete(target)
        for suffix in _SIDECARS:
            remove(Path(str(tmp) + suffix))
    for backup in replaced_old.values():
        remove(backup)


def _roll_forward(lines: list[dict]) -> None:
    for x in lines:
        if "tmp" in x and os.path.lexists(x["tmp"]):
            os.replace(x["tmp"], x["target"])
    for x in lines:
        if "backup" in x:
            remove(Path(x["backup"]))


def _read_journal(journal: Path, txid: str) -> list[dict] | None:
    """The lines of a journal, as absolute paths (relative ones are relative to its
    directory), or None if it is not one natodata wrote: owned by this user, no ``..``
    in a path, and every temporary file and backup named for its target and this
    transaction, beside it (so a planted journal can move nothing but natodata's own
    temporary files onto the targets they are named for)."""
    home = journal.parent
    try:
        st = os.lstat(journal)
        if (
            not os.path.isfile(journal)
            or os.path.islink(journal)
            or st.st_size > _JOURNAL_LIMIT
            or st.st_uid != os.geteuid()
        ):
            return None
        raw = journal.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    lines = []
    for text in raw:
        try:
            line = json.loads(text)
        except ValueError:
            continue  # the last line, cut off by the kill
        if not isinstance(line, dict) or not all(isinstance(v, str) for v in line.values()):
            return None
        out = {}
        for key, rel in line.items():
            if ".." in Path(rel).parts or key not in ("tmp", "target", "backup", "new", "dir"):
                return None
            out[key] = home / rel
        for key, suffix in (("tmp", "tmp"), ("backup", "bak")):
            if key in out and (
                "target" not in out or out[key] != out["target"].with_name(f".{out['target'].name}.{txid}.{suffix}")
            ):
                return None
        lines.append({k: str(v) for k, v in out.items()})
    return lines


def recover(home: Path | str) -> int:
    """Complete every transaction a killed run left in ``home`` or above it (a journal
    not locked by a live process): forward if it reached its commit point, else back.
    Returns how many were completed."""
    home = abspath(home)
    done = 0
    for directory in (home, *home.parents):
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        for name in names:
            m = _JOURNAL.fullmatch(name)
            if m is None:
                continue
            journal = directory / name
            try:
                fd = os.open(journal, os.O_RDONLY | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a live transaction
                lines = _read_journal(journal, m.group(1))
                if lines is None:
                    continue
                marker = journal.with_suffix(".commit")
                try:
                    if marker.exists():
                        _roll_forward(lines)
                    else:
                        roll_back(lines, undo_renames=False)
                        for x in reversed(lines):
                            if "dir" in x:
                                try:
                                    os.rmdir(x["dir"])
                                except OSError:
                                    pass
                except OSError as exc:
                    raise UnwritableOutput(
                        f"cannot complete the interrupted write recorded in {journal}: {exc.strerror or exc}"
                    ) from None
                remove(marker)
                remove(journal)
                done += 1
            finally:
                os.close(fd)
    return done
