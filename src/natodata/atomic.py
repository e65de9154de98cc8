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
import re
import secrets
import shutil
from pathlib import Path

from .errors import UnwritableOutput

JOURNAL_PREFIX = ".natodata-journal-"
_JOURNAL = re.compile(re.escape(JOURNAL_PREFIX) + r"([0-9a-f]{16})\.json")
#: A journal's lines are short; a larger file is not one of ours.
_JOURNAL_LIMIT = 1 << 20
#: Files SQLite may leave beside a database it was writing when killed.
_SIDECARS = ("-journal", "-wal", "-shm")


def _abs(path: Path | str) -> Path:
    return Path(os.path.abspath(path))


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


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _cannot(target: Path | None, exc: OSError) -> UnwritableOutput:
    why = exc.strerror or str(exc)
    return UnwritableOutput(f"cannot write {target}: {why}; nothing written")


def not_a_directory(target: Path) -> None:
    """Refuse early a target that is a directory (before any costly work)."""
    if Path(target).is_dir():
        raise UnwritableOutput(f"cannot write {target}: it is a directory; nothing written")


class Staged:
    """Files staged for one all-or-nothing commit (a context manager: leaving it without
    a commit, or with an exception, removes every staged file and new directory).
    ``home``: where the journal goes (it moves up to the directory every target shares);
    a journal left there by a killed run is completed first."""

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
        """Append ``line`` to the journal (created, or moved up, so ``near`` is under
        its directory) before the file it names exists."""
        home = self._home or near.parent
        want = Path(os.path.commonpath([home, near.parent, *(t.parent for t in self._staged)]))
        self._home = want
        try:
            if self._journal is None or self._journal.parent != want:
                self._open_journal(want)
            self._lines.append(line)
            os.write(self._fd, (json.dumps(self._relative(line)) + "\n").encode("utf-8"))
        except OSError as exc:
            raise _cannot(near, exc) from None

    def _relative(self, line: dict) -> dict:
        return {k: os.path.relpath(v, self._home) for k, v in line.items()}

    def _open_journal(self, home: Path) -> None:
        journal = home / f"{JOURNAL_PREFIX}{self._id}.json"
        fd = os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)  # a live transaction: recover() leaves it alone
        os.write(fd, "".join(json.dumps(self._relative(line)) + "\n" for line in self._lines).encode("utf-8"))
        old, oldfd = self._journal, self._fd
        self._journal, self._fd = journal, fd
        if old is not None:
            _remove(old)
            os.close(oldfd)

    def _close_journal(self) -> None:
        if self._journal is not None:
            _remove(self._journal.with_suffix(".commit"))
            _remove(self._journal)
            os.close(self._fd)
            self._journal = self._fd = None

    # --- staging -------------------------------------------------------------------
    def mkdir(self, directory: Path | str) -> Path:
        """Create ``directory`` (and missing parents); removed again unless committed."""
        directory = _abs(directory)
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
        target = _abs(target)
        if target in self._staged:
            return self._staged[target]
        not_a_directory(target)
        if not target.parent.is_dir():
            self.mkdir(target.parent)
        tmp = target.with_name(f".{target.name}.{self._id}.tmp")
        self._log({"tmp": str(tmp), "target": str(target)}, target)
        self._staged[target] = tmp
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            os.chmod(tmp, _mode_for(target))
        except OSError as exc:
            raise _cannot(target, exc) from None
        return tmp

    def directory(self, target: Path | str) -> Path:
        """A temporary directory beside ``target``, a directory that must not exist, to
        fill and then move into place with the other files."""
        target = _abs(target)
        if target in self._staged:
            return self._staged[target]
        if os.path.lexists(target):
            raise UnwritableOutput(f"cannot write {target}: it exists; nothing written")
        if not target.parent.is_dir():
            self.mkdir(target.parent)
        tmp = target.with_name(f".{target.name}.{self._id}.tmp")
        self._log({"tmp": str(tmp), "target": str(target)}, target)
        self._staged[target] = tmp
        try:
            tmp.mkdir()
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
            _remove(self._journal.with_suffix(".commit"))  # back, not forward, if killed now
            _roll_back(self._lines)
            self._discard()
            raise _cannot(current, exc) from None
        for b in backups.values():
            if b is not None:
                _remove(b)
        self._close_journal()
        self._done = True
        return list(self._staged)

    def _discard(self) -> None:
        _roll_back(self._lines)
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


def _delete(path: Path) -> None:
    """Remove a file, or a directory this transaction made, with everything in it."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        _remove(path)


def _roll_back(lines: list[dict]) -> None:
    """Undo a transaction that did not reach its commit point, or failed in its renames:
    every replaced target gets its old content back (or goes, if it was new), and every
    temporary file and backup goes."""
    replaced_old = {Path(x["target"]): Path(x["backup"]) for x in lines if "backup" in x}
    replaced_new = {Path(x["new"]) for x in lines if "new" in x}
    for x in lines:
        if "tmp" not in x:
            continue
        tmp, target = Path(x["tmp"]), Path(x["target"])
        if os.path.lexists(tmp):
            _delete(tmp)
        elif target in replaced_old and replaced_old[target].exists():
            os.replace(replaced_old[target], target)
        elif target in replaced_new:
            _delete(target)
        for suffix in _SIDECARS:
            _remove(Path(str(tmp) + suffix))
    for backup in replaced_old.values():
        _remove(backup)


def _roll_forward(lines: list[dict]) -> None:
    for x in lines:
        if "tmp" in x and os.path.lexists(x["tmp"]):
            os.replace(x["tmp"], x["target"])
    for x in lines:
        if "backup" in x:
            _remove(Path(x["backup"]))


def _read_journal(journal: Path, txid: str) -> list[dict] | None:
    """The lines of a journal, as absolute paths, or None if it is not one natodata
    wrote: every path must lie under its directory, and every temporary file and
    backup must be named for its target and this transaction."""
    home = journal.parent
    try:
        st = os.lstat(journal)
        if not os.path.isfile(journal) or os.path.islink(journal) or st.st_size > _JOURNAL_LIMIT \
                or st.st_uid != os.geteuid():
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
            if os.path.isabs(rel) or ".." in Path(rel).parts or key not in ("tmp", "target", "backup", "new", "dir"):
                return None
            out[key] = home / rel
        for key, suffix in (("tmp", "tmp"), ("backup", "bak")):
            if key in out and ("target" not in out or out[key] != out["target"].with_name(f".{out['target'].name}.{txid}.{suffix}")):
                return None
        lines.append({k: str(v) for k, v in out.items()})
    return lines


def recover(home: Path | str) -> int:
    """Complete every transaction a killed run left in ``home`` or above it (a journal
    not locked by a live process): forward if it reached its commit point, else back.
    Returns how many were completed."""
    home = _abs(home)
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
                        _roll_back(lines)
                        for x in reversed(lines):
                            if "dir" in x:
                                try:
                                    os.rmdir(x["dir"])
                                except OSError:
                                    pass
                except OSError as exc:
                    raise UnwritableOutput(f"cannot complete the interrupted write recorded in {journal}: "
                                           f"{exc.strerror or exc}") from None
                _remove(marker)
                _remove(journal)
                done += 1
            finally:
                os.close(fd)
    return done


def write_files(files: dict[Path, bytes], home: Path | str | None = None) -> list[Path]:
    """Write every file or none (see :class:`Staged`); ``home``: the command's
    directory, where a killed run's journal is looked for first."""
    with Staged(home) as staged:
        for target, data in files.items():
            staged.write_bytes(target, data)
        return staged.commit()
