"""Writing several files as one: all of them, or none.

A command stages each file it means to write (:meth:`Staged.write_bytes`, or
:meth:`Staged.path` for a library that writes its own file, such as SQLite or
matplotlib) as a temporary file beside its target, fsynced. :meth:`Staged.commit`
then moves them into place with ``os.replace``; if any step fails, every target already
replaced gets its previous content back (kept as a hard link, or a copy) and every new
file is removed, so the files are exactly as they were. No temporary file is left
behind either way. A failure raises :class:`~natodata.errors.UnwritableOutput`.

    with Staged() as staged:
        staged.write_bytes(path, data)
        ...
        staged.commit()
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import UnwritableOutput


def _temp_beside(target: Path, suffix: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    return Path(name)


def _mode_for(target: Path) -> int:
    """The target's permissions, or those a new file gets (mkstemp's are 0600)."""
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


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _cannot(target: Path, exc: OSError) -> UnwritableOutput:
    why = exc.strerror or str(exc)
    return UnwritableOutput(f"cannot write {target}: {why}; nothing written")


def not_a_directory(target: Path) -> None:
    """Refuse early a target that is a directory (before any costly work)."""
    if target.is_dir():
        raise UnwritableOutput(f"cannot write {target}: it is a directory; nothing written")


class Staged:
    """Files staged for one all-or-nothing commit (a context manager: leaving it without
    a commit, or with an exception, removes every staged file and new directory)."""

    def __init__(self) -> None:
        self._staged: dict[Path, Path] = {}  # target -> temporary file
        self._new_dirs: list[Path] = []
        self._done = False

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, *exc) -> None:
        if not self._done:
            self._discard()

    @property
    def targets(self) -> list[Path]:
        return list(self._staged)

    def mkdir(self, directory: Path | str) -> Path:
        """Create ``directory`` (and missing parents); removed again unless committed."""
        directory = Path(directory)
        missing = []
        d = directory
        while not d.exists() and d != d.parent:
            missing.append(d)
            d = d.parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _cannot(directory, exc) from None
        self._new_dirs += missing  # deepest first
        return directory

    def path(self, target: Path | str) -> Path:
        """A temporary file beside ``target`` for a writer that writes it itself."""
        target = Path(target)
        if target in self._staged:
            return self._staged[target]
        not_a_directory(target)
        if not target.parent.is_dir():
            self.mkdir(target.parent)
        try:
            tmp = self._staged[target] = _temp_beside(target, ".tmp")
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

    def commit(self) -> list[Path]:
        """Move every staged file into place; on failure restore every target. Returns
        the targets written."""
        backups: dict[Path, Path | None] = {}  # target -> its previous content, None if new
        current = None
        try:
            for target, tmp in self._staged.items():
                current = target
                fsync(tmp)
                if target.exists():
                    backups[target] = self._keep(target)
                else:
                    backups[target] = None
            for target, tmp in self._staged.items():
                current = target
                os.replace(tmp, target)
            for d in {t.parent for t in self._staged}:
                self._fsync_dir(d)
        except OSError as exc:
            self._restore(backups)
            self._discard()
            raise _cannot(current, exc) from None
        for b in backups.values():
            if b is not None:
                _remove(b)
        self._done = True
        return list(self._staged)

    @staticmethod
    def _keep(target: Path) -> Path:
        """A second name for ``target``'s current content, to restore it from."""
        backup = _temp_beside(target, ".bak")
        backup.unlink()
        try:
            os.link(target, backup)
        except OSError:  # no hard links here: copy
            shutil.copy2(target, backup)
        return backup

    def _restore(self, backups: dict[Path, Path | None]) -> None:
        for target, backup in backups.items():
            tmp = self._staged[target]
            if tmp.exists():
                continue  # not replaced: the target is untouched
            if backup is None:
                _remove(target)
            else:
                os.replace(backup, target)
        for b in backups.values():
            if b is not None:
                _remove(b)

    @staticmethod
    def _fsync_dir(directory: Path) -> None:
        try:
            fsync(directory)
        except OSError:
            pass  # some file systems cannot sync a directory; the files are in place

    def _discard(self) -> None:
        for tmp in self._staged.values():
            _remove(tmp)
        for d in self._new_dirs:
            try:
                d.rmdir()
            except OSError:
                pass
        self._done = True


def write_files(files: dict[Path, bytes]) -> list[Path]:
    """Write every file or none (see :class:`Staged`)."""
    with Staged() as staged:
        for target, data in files.items():
            staged.write_bytes(target, data)
        return staged.commit()
