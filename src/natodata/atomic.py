"""Writing several files as one: all of them, or none, even under SIGKILL.

A command stages each file it means to write (:meth:`Staged.write_bytes`, or
:meth:`Staged.path` for a library that writes its own file, such as SQLite or
matplotlib) as a temporary file beside its target. :meth:`Staged.commit` then moves
them into place with ``os.replace``.

A journal makes the group atomic. Before any temporary file, backup or directory
exists, a line naming it is appended to ``.natodata-journal-<id>.json`` in the
transaction's home directory (the command's package directory, or the directory the
targets share), which the live process holds locked. The commit point is the creation of
``.natodata-journal-<id>.commit``, once every staged file is on disk and every
target's previous content has a second name (a hard link, or a copy). So a process
killed at any moment leaves a journal that the next run of any writing command
(:func:`recover`, called at its start) completes: forward, to every new file, if the
commit point was reached; else back, to every old one. Either way no temporary file,
backup or journal is left. A failure in the process itself (a full or read-only disk)
rolls back at once and raises :class:`~natodata.errors.UnwritableOutput`.

    with Staged(home=package_root) as staged:
        staged.write_bytes(path, data)
        ...
        staged.commit()
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import UnwritableOutput
from .journal import JOURNAL_PREFIX, abspath, recover, remove, roll_back

__all__ = ["JOURNAL_PREFIX", "Staged", "fill_directory", "fsync", "not_a_directory", "recover", "write_files"]

_abs = abspath


def _mode_for(target: Path) -> int:
    """The target's permissions, or those a new file gets."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def fsync(path: Path) -> None:
    """Flush a file's or a directory's entries to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(directory: Path) -> None:
    try:
        fsync(directory)
    except OSError:
        pass  # some file systems cannot sync a directory; the files are in place


def _cannot(target: Path | None, exc: OSError) -> UnwritableOutput:
    why = exc.strerror or str(exc)
    return UnwritableOutput(f"cannot write {target}: {why}; nothing written")


def not_a_directory(target: Path) -> None:
    """Refuse early a target that is a directory (before any costly work)."""
    if Path(target).is_dir():
        raise UnwritableOutput(f"cannot write {target}: it is a directory; nothing written")


def fill_directory(directory: Path, files: dict[str, bytes]) -> Path:
    """Write ``files`` (by path inside ``directory``, in subdirectories as they name them)
    into the existing ``directory``, each file and directory flushed to disk; return
    ``directory``. For a directory nobody sees yet: :meth:`Staged.write_tree`'s, or a
    temporary one."""
    for rel, data in files.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    for d in sorted({(directory / rel).parent for rel in files}, reverse=True):
        _fsync_dir(d)
    return directory


class Staged:
    """Files staged for one all-or-nothing commit (a context manager: leaving it without
    a commit, or with an exception, removes every staged file and new directory).
    ``home``: where the journal goes (the command's package directory, or the directory
    of its first output); a journal a killed run left there, or above, is completed first."""

    def __init__(self, home: Path | str | None = None) -> None:
        self._home = None if home is None else _abs(home)
        if self._home is not None:
            recover(self._home)
        self._id = secrets.token_hex(8)
        self._staged: dict[Path, Path] = {}  # target -> temporary file
        self._new_dirs: list[Path] = []
        self._lines: list[dict] = []
        self._journal: Path | None = None
        self._fd: int | None = None
        self._done = False

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, *exc) -> None:
        if not self._done:
            self._discard()

    @property
    def targets(self) -> list[Path]:
        return list(self._staged)

    # --- the journal -------------------------------------------------------------
    def _log(self, line: dict, near: Path) -> None:
        """Append ``line`` to the journal before the file it names exists. The journal
        goes in ``home`` (or the directory of the first file staged), or the nearest
        directory above it that exists."""
        try:
            if self._journal is None:
                home = self._home or near.parent
                while not home.is_dir() and home != home.parent:
                    home = home.parent
                self._open_journal(home)
            self._lines.append(line)
            os.write(self._fd, (json.dumps(self._relative(line)) + "\n").encode("utf-8"))
        except OSError as exc:
            raise _cannot(near, exc) from None

    def _relative(self, line: dict) -> dict:
        """A line's paths relative to the journal's directory, when they are under it."""
        home = self._journal.parent
        return {k: os.path.relpath(v, home) if Path(v).is_relative_to(home) else v for k, v in line.items()}

    def _open_journal(self, home: Path) -> None:
        journal = home / f"{JOURNAL_PREFIX}{self._id}.json"
        fd = os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)  # a live transaction: recover() leaves it alone
        self._journal, self._fd = journal, fd

    def _close_journal(self) -> None:
        if self._journal is not None:
            remove(self._journal.with_suffix(".commit"))
            remove(self._journal)
            os.close(self._fd)
            self._journal = self._fd = None

    # --- staging -------------------------------------------------------------------
    def mkdir(self, directory: Path | str) -> Path:
        """Create ``directory`` (and missing parents); removed again unless committed."""
        directory = _abs(directory)
        if os.path.lexists(directory) and not directory.is_dir():
            raise _cannot(directory, NotADirectoryError(20, "Not a directory"))
        missing = []
        d = directory
        while not d.exists() and d != d.parent:
            missing.append(d)
            d = d.parent
        for d in reversed(missing):  # outermost first, each named before it exists
            self._log({"dir": str(d)}, d)
            try:
                d.mkdir()
            except FileExistsError:
                continue
            except OSError as exc:
                raise _cannot(d, exc) from None
            self._new_dirs.insert(0, d)  # deepest first
        return directory

    def path(self, target: Path | str) -> Path:
        """A temporary file beside ``target`` for a writer that writes it itself."""
        return self._stage(target, directory=False)

    def directory(self, target: Path | str) -> Path:
        """A temporary directory beside ``target``, a directory that must not exist, to
        fill and then move into place with the other files."""
        return self._stage(target, directory=True)

    def _stage(self, target: Path | str, directory: bool) -> Path:
        target = _abs(target)
        if target in self._staged:
            return self._staged[target]
        if not directory:
            not_a_directory(target)
        elif os.path.lexists(target):
            raise UnwritableOutput(f"cannot write {target}: it exists; nothing written")
        if not target.parent.is_dir():
            self.mkdir(target.parent)
        tmp = target.with_name(f".{target.name}.{self._id}.tmp")
        self._log({"tmp": str(tmp), "target": str(target)}, target)  # named before it exists
        self._staged[target] = tmp
        try:
            if directory:
                tmp.mkdir()
            else:
                os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                os.chmod(tmp, _mode_for(target))
        except OSError as exc:
            raise _cannot(target, exc) from None
        return tmp

    def write_bytes(self, target: Path | str, data: bytes) -> None:
        tmp = self.path(target)
        try:
            with open(tmp, "wb") as f:
                f.write(data)
        except OSError as exc:
            raise _cannot(Path(target), exc) from None

    def write_text(self, target: Path | str, text: str) -> None:
        self.write_bytes(target, text.encode("utf-8"))

    @contextmanager
    def open(self, target: Path | str) -> Iterator[BinaryIO]:
        """The temporary file of ``target``, open for writing bytes (for a writer that
        streams, such as an archive)."""
        tmp = self.path(target)
        try:
            with open(tmp, "wb") as f:
                yield f
        except OSError as exc:
            raise _cannot(Path(target), exc) from None

    def write_tree(self, target: Path | str, files: dict[str, bytes]) -> Path:
        """Stage ``target``, a directory that must not exist, holding ``files`` (by path
        inside it, in subdirectories as they name them); return its temporary directory."""
        try:
            return fill_directory(self.directory(target), files)
        except OSError as exc:
            raise _cannot(Path(target), exc) from None

    # --- committing ----------------------------------------------------------------
    def commit(self) -> list[Path]:
        """Move every staged file into place; on failure restore every target. Returns
        the targets written."""
        current = None
        backups: dict[Path, Path | None] = {}
        try:
            for target, tmp in self._staged.items():
                current = target
                fsync(tmp)
                if tmp.is_dir() and os.path.lexists(target):
                    raise FileExistsError(17, "it exists")
                if target.exists():
                    backup = target.with_name(f".{target.name}.{self._id}.bak")
                    self._log({"backup": str(backup), "target": str(target)}, target)
                    _keep(target, backup)
                    backups[target] = backup
                else:
                    self._log({"new": str(target)}, target)
                    backups[target] = None
            if self._journal is not None:
                marker = os.open(self._journal.with_suffix(".commit"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                os.fsync(marker)
                os.close(marker)
                _fsync_dir(self._journal.parent)  # the commit point
        except OSError as exc:
            self._discard()
            raise _cannot(current, exc) from None
        try:
            for target, tmp in self._staged.items():
                current = target
                os.replace(tmp, target)
            for d in {t.parent for t in self._staged}:
                _fsync_dir(d)
        except OSError as exc:
            remove(self._journal.with_suffix(".commit"))  # back, not forward, if killed now
            roll_back(self._lines)
            self._discard()
            raise _cannot(current, exc) from None
        for b in backups.values():
            if b is not None:
                remove(b)
        self._close_journal()
        self._done = True
        return list(self._staged)

    def _discard(self) -> None:
        roll_back(self._lines)
        for d in self._new_dirs:
            try:
                d.rmdir()
            except OSError:
                pass
        self._close_journal()
        self._done = True


def _keep(target: Path, backup: Path) -> None:
    """A second name for ``target``'s current content, to restore it from."""
    try:
        os.link(target, backup)
    except OSError:  # no hard links here: copy
        shutil.copy2(target, backup)


def write_files(files: dict[Path, bytes], home: Path | str | None = None) -> list[Path]:
    """Write every file or none (see :class:`Staged`); ``home``: the command's
    directory, where a killed run's journal is looked for first."""
    with Staged(home) as staged:
        for target, data in files.items():
            staged.write_bytes(target, data)
        return staged.commit()
