"""Checksums: writing and reading ``SHA256SUMS``, and checking that nothing published
has changed.

``SHA256SUMS`` is in the format of GNU ``sha256sum`` (``<hex>  <path>`` per line, sorted
by path), so ``cd releases/X.Y.Z && sha256sum -c SHA256SUMS`` checks a release without
natodata. :func:`integrity_findings` is what ``natodata validate`` runs: every release
under ``releases/`` against its ``SHA256SUMS``, and each resource's declared ``bytes``
and ``hash`` against its file.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .errors import UnreadableInput
from .findings import Finding, Severity
from .package import DESCRIPTOR, Package, load_package
from .versioning import is_version

SUMS = "SHA256SUMS"
RELEASES = "releases"
_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")
_CHUNK = 1 << 20


def file_digest(path: Path, algorithm: str = "sha256") -> str:
    h = hashlib.new(algorithm)
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


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


def _files(directory: Path) -> list[str]:
    """Every entry below ``directory`` that is not a directory, as relative POSIX paths."""
    return sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_symlink() or not p.is_dir())


def release_findings(directory: Path, label: str) -> list[Finding]:
    """Check one published release directory against its ``SHA256SUMS``.

    ``label`` is the directory's path as findings should show it (relative to the package)."""
    out: list[Finding] = []

    def finding(type_: str, message: str, path: str) -> None:
        out.append(Finding(type_, Severity.ERROR, message, path=path))

    sums_file = directory / SUMS
    try:
        listed = parse_sums(sums_file.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        finding("release-checksums-error", f"release {directory.name} has no {SUMS}; nothing in it can be verified", f"{label}/{SUMS}")
        return out
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        finding("release-checksums-error", f"{SUMS} of release {directory.name} cannot be read: {exc}", f"{label}/{SUMS}")
        return out
    present = set(_files(directory)) - {SUMS}
    for rel in sorted(present | set(listed)):
        where = f"{label}/{rel}"
        file = directory / rel
        if rel not in listed:
            finding("release-file-unlisted", f"{rel} is not listed in {SUMS}: a file was added to published release {directory.name}", where)
        elif rel not in present:
            finding("release-file-missing", f"{rel} is listed in {SUMS} but missing from published release {directory.name}", where)
        elif file.is_symlink():
            finding("release-tampered", f"{rel} was replaced by a symbolic link in published release {directory.name}", where)
        else:
            actual = file_digest(file)
            if actual != listed[rel]:
                finding("release-tampered", f"{rel} changed after release {directory.name} was published: "
                                            f"sha256 is {actual}, {SUMS} says {listed[rel]}", where)
    if not out and DESCRIPTOR in listed:
        # SHA256SUMS agrees with the files; the descriptor's hashes must too (a file
        # changed together with its SHA256SUMS line).
        try:
            out += declared_hash_findings(load_package(directory), f"{label}/")
        except UnreadableInput as exc:
            finding("release-tampered", f"{DESCRIPTOR} of release {directory.name} cannot be read: {exc}", f"{label}/{DESCRIPTOR}")
    return out


def releases_findings(root: Path) -> list[Finding]:
    """Check every published release under ``root/releases``."""
    releases = root / RELEASES
    if not releases.is_dir():
        return []
    out: list[Finding] = []
    for d in sorted(p for p in releases.iterdir() if p.is_dir() and is_version(p.name)):
        out += release_findings(d, f"{RELEASES}/{d.name}")
    return out


def declared_hash_findings(pkg: Package, prefix: str = "") -> list[Finding]:
    """Each resource's declared ``bytes`` and ``hash`` (``algorithm:hex``, or bare hex for
    MD5) against its file. ``prefix`` is prepended to the descriptor's path in findings."""
    out: list[Finding] = []
    declared = {r.get("name"): r for r in pkg.descriptor.get("resources", []) if isinstance(r, dict)}
    where = prefix + pkg.descriptor_path.name
    for res in pkg.resources:
        d = declared.get(res.name, {})
        if res.file is None or ("bytes" not in d and "hash" not in d):
            continue

        def finding(message: str, field: str, value) -> None:
            out.append(Finding("resource-hash-mismatch", Severity.ERROR, message, table=res.name, path=where,
                               field=field, value=str(value)))

        if "bytes" in d:
            size = res.file.stat().st_size
            if d["bytes"] != size:
                finding(f"resource {res.name!r} declares {d['bytes']} bytes; {res.path} has {size}", "bytes", d["bytes"])
        if "hash" in d:
            algorithm, _, expected = str(d["hash"]).rpartition(":")
            algorithm = algorithm or "md5"
            if algorithm not in hashlib.algorithms_available:
                finding(f"resource {res.name!r} declares a hash with unknown algorithm {algorithm!r}", "hash", d["hash"])
            elif file_digest(res.file, algorithm) != expected.lower():
                finding(f"resource {res.name!r} declares hash {d['hash']}, which {res.path} does not have", "hash", d["hash"])
    return out


def integrity_findings(pkg: Package) -> list[Finding]:
    """What ``natodata validate`` checks of published files."""
    return declared_hash_findings(pkg) + releases_findings(pkg.root)
