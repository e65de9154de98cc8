"""Reading a file that someone else controls, within bounds.

What a file *is* and how large it is are asked of the open descriptor (``fstat``), never
of the path beforehand, and a read never takes more than its limit whatever the size
says: a device reports size 0 (``/dev/zero`` never ends), a FIFO blocks an ``open`` for
reading until a writer comes, and a file can be swapped between a check and an open.
So a file is opened with ``O_NONBLOCK`` (a FIFO opens at once), must be a regular file
once open, and is read at most ``limit + 1`` bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotRegular(OSError):
    """The path names a device, a FIFO, a socket or a directory, not a regular file (or
    a symbolic link where none is allowed)."""


class TooLarge(OSError):
    """The file is larger than the limit it is read with."""

    def __init__(self, size: int | None, limit: int):
        self.size, self.limit = size, limit
        said = f"is {size} bytes" if size is not None else f"is over {limit} bytes"
        super().__init__(f"{said}; the limit is {limit}")


def kind_of(mode: int) -> str:
    """What a file of this ``st_mode`` is, for messages: 'a FIFO', 'a character device'."""
    for test, what in (
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return what
    return "not a regular file"


def open_regular(path: Path | str, follow_symlinks: bool = True):
    """``path`` opened for binary reading, once it is known to be a regular file.

    Raises :class:`NotRegular` for anything else (with ``follow_symlinks`` false, a
    symbolic link too, before anything is opened), ``FileNotFoundError`` and other
    ``OSError`` as ``os.open`` does."""
    if not follow_symlinks:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            raise NotRegular(f"is {kind_of(st.st_mode)}")
    if os.path.isdir(path):
        raise NotRegular("is a directory")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(f"is {kind_of(st.st_mode)}, not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_capped(path: Path | str, limit: int, follow_symlinks: bool = True) -> bytes:
    """Every byte of the regular file ``path``, or :class:`TooLarge` once it has more
    than ``limit``: at most ``limit + 1`` bytes are ever read."""
    with open_regular(path, follow_symlinks) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise TooLarge(size, limit)
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(None, limit)
    return data


def reason(exc: OSError) -> str:
    """An ``OSError`` from this module or ``os`` as a message's end: 'is a FIFO, not a
    regular file', 'Permission denied'."""
    if isinstance(exc, (NotRegular, TooLarge)):
        return str(exc)
    return exc.strerror or str(exc)
