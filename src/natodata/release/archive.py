"""A release's archive: a deterministic ``.tar.gz`` of its files."""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import PurePosixPath


def build_archive(files: dict[str, bytes], prefix: str, mtime: int) -> bytes:
    """A deterministic ``.tar.gz`` of ``files`` (by relative path) under ``prefix/``:
    entries sorted, every mtime ``mtime``, owner root (uid/gid 0, no names), modes
    0644/0755, and a gzip header with mtime 0 and no file name."""
    dirs = {str(parent) for rel in files for parent in PurePosixPath(rel).parents if str(parent) != "."}
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for rel in ["", *sorted(dirs | set(files))]:
                info = tarfile.TarInfo(f"{prefix}/{rel}" if rel else prefix)
                info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "", ""
                if rel not in files:
                    info.type, info.mode = tarfile.DIRTYPE, 0o755
                    tar.addfile(info)
                else:
                    info.mode, info.size = 0o644, len(files[rel])
                    tar.addfile(info, io.BytesIO(files[rel]))
    return raw.getvalue()
