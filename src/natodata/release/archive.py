"""A release's archive: a deterministic ``.tar.gz`` of its files, streamed from disk."""

from __future__ import annotations

import gzip
import hashlib
import tarfile
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import BinaryIO


def normalised(mtime: int) -> Callable[[tarfile.TarInfo], tarfile.TarInfo]:
    """A ``tarfile`` filter making a member reproducible: mtime ``mtime``, owner root
    (uid/gid 0, no names), mode 0755 for a directory and 0644 for a file."""

    def member(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "", ""
        info.mode = 0o755 if info.isdir() else 0o644
        return info

    return member


class _Measured:
    """A binary sink that counts and hashes what is written to it, and passes it on to
    ``out`` (if any)."""

    def __init__(self, out: BinaryIO | None) -> None:
        self.out, self.size, self.sha256 = out, 0, hashlib.sha256()

    def write(self, data) -> int:
        self.size += len(data)
        self.sha256.update(data)
        if self.out is not None:
            self.out.write(data)
        return len(data)

    def flush(self) -> None:
        if self.out is not None:
            self.out.flush()


def write_archive(
    directory: Path, files: Iterable[str], prefix: str, mtime: int, out: BinaryIO | None = None
) -> tuple[int, str]:
    """Write to ``out`` a deterministic ``.tar.gz`` of ``files`` (paths relative to
    ``directory``) under ``prefix/``: entries sorted, each :func:`normalised`, a gzip
    header with mtime 0 and no file name. Each file is copied from disk in blocks, never
    held whole. Returns the archive's size and SHA-256 (``out`` None: only those)."""
    files = set(files)
    dirs = {str(parent) for rel in files for parent in PurePosixPath(rel).parents if str(parent) != "."}
    sink = _Measured(out)
    with gzip.GzipFile(filename="", mode="wb", fileobj=sink, mtime=0, compresslevel=9) as gz:  # type: ignore[arg-type]
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for rel in ["", *sorted(dirs | files)]:
                tar.add(
                    directory / rel if rel else directory,
                    arcname=f"{prefix}/{rel}" if rel else prefix,
                    recursive=False,
                    filter=normalised(mtime),
                )
    return sink.size, sink.sha256.hexdigest()
