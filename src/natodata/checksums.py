"""Checksums: file digests, and writing and reading ``SHA256SUMS``.

``SHA256SUMS`` is in the format of GNU ``sha256sum`` (``<hex>  <path>`` per line, sorted
by path), so ``cd releases/X.Y.Z && sha256sum -c SHA256SUMS`` checks a release without
natodata. :mod:`natodata.checks.integrity` checks releases against it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .safeio import open_regular

_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")
#: The largest ``SHA256SUMS`` read, in bytes (a line per file: some ten thousand files).
MAX_SUMS_BYTES = 1024 * 1024


def file_digest(path: Path, algorithm: str = "sha256") -> str:
    """The hex digest of a regular file, read in blocks (:func:`hashlib.file_digest`);
    :class:`natodata.safeio.NotRegular` for a device, a FIFO or a socket, which have no
    fixed content to hash."""
    with open_regular(path) as f:
        return hashlib.file_digest(f, algorithm).hexdigest()


def sums_text(digests: dict[str, str]) -> str:
    """``SHA256SUMS`` for ``{relative path: sha256 hex}``, sorted by path."""
    return "".join(f"{digests[p]}  {p}\n" for p in sorted(digests))


def parse_sums(text: str) -> dict[str, str]:
    """``{relative path: sha256 hex}``; raises ValueError naming the first bad line."""
    out: dict[str, str] = {}
    for i, line in enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"), start=1):
        m = _LINE.fullmatch(line)
        if not m:
            raise ValueError(f"line {i} is not '<sha256 hex>  <path>'")
        path = m.group(2)
        parts = path.split("/")
        if path.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in path:
            raise ValueError(f"line {i}: {path!r} is not a plain relative path")
        if path in out:
            raise ValueError(f"line {i}: {path!r} is listed twice")
        out[path] = m.group(1)
    return out
