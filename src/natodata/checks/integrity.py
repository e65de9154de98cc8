"""Published files: every release under ``releases/`` against its ``SHA256SUMS``, and each
resource's declared ``bytes`` and ``hash`` against its file. What ``validate`` checks so
that nothing published changes unnoticed."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import UnreadableInput
from ..findings import Finding
from ..layout import SUMS, release_dirs
from ..model.location import DESCRIPTOR
from ..model.descriptor import Package, load_package
from ..checksums import MAX_SUMS_BYTES, file_digest, parse_sums
from ..safeio import NotRegular, TooLarge, read_capped, reason


def _files(directory: Path) -> list[str]:
    """Every entry below ``directory`` that is not a directory, as relative POSIX paths."""
    return sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_symlink() or not p.is_dir())


def release_findings(directory: Path, label: str) -> list[Finding]:
    """Check one published release directory against its ``SHA256SUMS``.

    ``label`` is the directory's path as findings should show it (relative to the package)."""
    out: list[Finding] = []

    def finding(type_: str, message: str, path: str) -> None:
        out.append(Finding(type_, message, path=path))

    sums_file = directory / SUMS
    try:
        listed = parse_sums(read_capped(sums_file, MAX_SUMS_BYTES).decode("utf-8"))
    except FileNotFoundError:
        finding(
            "release-checksums-error",
            f"release {directory.name} has no {SUMS}; nothing in it can be verified",
            f"{label}/{SUMS}",
        )
        return out
    except OSError as exc:
        finding(
            "release-checksums-error",
            f"{SUMS} of release {directory.name} cannot be read: it {reason(exc)}"
            if isinstance(exc, (NotRegular, TooLarge))
            else f"{SUMS} of release {directory.name} cannot be read: {reason(exc)}",
            f"{label}/{SUMS}",
        )
        return out
    except (UnicodeDecodeError, ValueError) as exc:
        finding(
            "release-checksums-error", f"{SUMS} of release {directory.name} cannot be read: {exc}", f"{label}/{SUMS}"
        )
        return out
    present = set(_files(directory)) - {SUMS}
    for rel in sorted(present | set(listed)):
        where = f"{label}/{rel}"
        file = directory / rel
        if rel not in listed:
            finding(
                "release-file-unlisted",
                f"{rel} is not listed in {SUMS}: a file was added to published release {directory.name}",
                where,
            )
        elif rel not in present:
            finding(
                "release-file-missing",
                f"{rel} is listed in {SUMS} but missing from published release {directory.name}",
                where,
            )
        elif file.is_symlink():
            finding(
                "release-tampered",
                f"{rel} was replaced by a symbolic link in published release {directory.name}",
                where,
            )
        else:
            try:
                actual = file_digest(file)
            except NotRegular as exc:
                finding("release-tampered", f"{rel} {exc} in published release {directory.name}", where)
                continue
            except OSError as exc:
                finding(
                    "file-unreadable",
                    f"{rel} of published release {directory.name} cannot be read: {reason(exc)}; it is unverified",
                    where,
                )
                continue
            if actual != listed[rel]:
                finding(
                    "release-tampered",
                    f"{rel} changed after release {directory.name} was published: "
                    f"sha256 is {actual}, {SUMS} says {listed[rel]}",
                    where,
                )
    if DESCRIPTOR not in listed:
        if not out:
            finding(
                "release-checksums-error",
                f"{SUMS} of release {directory.name} does not list {DESCRIPTOR}, so its contents cannot be verified",
                f"{label}/{SUMS}",
            )
        return out
    if out:
        return out
    # SHA256SUMS agrees with the files on disk; the third witness, the release's
    # descriptor, must agree with both: every file it names listed and present (a CSV
    # deleted together with its SHA256SUMS line), and its declared hashes (a file changed
    # together with its line).
    try:
        pkg = load_package(directory, schemas=False)
    except UnreadableInput as exc:
        finding(
            "release-tampered",
            f"{DESCRIPTOR} of release {directory.name} cannot be read: {exc}",
            f"{label}/{DESCRIPTOR}",
        )
        return out
    named = sorted({r.path for r in pkg.resources} | {r.schema_path for r in pkg.resources if r.schema_path})
    for rel in named:
        if rel not in listed:
            finding(
                "release-file-missing",
                f"{rel} is named by the {DESCRIPTOR} of published release {directory.name} "
                f"but is neither in {SUMS} nor checked",
                f"{label}/{rel}",
            )
    return out + declared_hash_findings(pkg, f"{label}/")


def releases_findings(root: Path) -> list[Finding]:
    """Check every published release under ``root/releases``."""
    out: list[Finding] = []
    for d in release_dirs(root):
        out += release_findings(d, d.relative_to(root).as_posix())
    return out


def declared_hash_findings(pkg: Package, prefix: str = "") -> list[Finding]:
    """Each resource's declared ``bytes`` and ``hash`` (``algorithm:hex``, or bare hex for
    MD5) against its file. ``prefix`` is prepended to the descriptor's path in findings."""
    out: list[Finding] = []
    declared = {r.name: r.descriptor for r in pkg.resources}
    where = prefix + pkg.descriptor_path.name
    for res in pkg.resources:
        d = declared.get(res.name, {})
        if res.file is None or ("bytes" not in d and "hash" not in d):
            continue

        def finding(message: str, field: str, value, table: str = res.name) -> None:
            out.append(
                Finding("resource-hash-mismatch", message, table=table, path=where, field=field, value=str(value))
            )

        files = res.files or [res.file]  # a multi-file path: its files concatenated, as the spec reads them
        if "bytes" in d:
            size = sum(f.stat().st_size for f in files)
            if d["bytes"] != size:
                finding(
                    f"resource {res.name!r} declares {d['bytes']} bytes; {res.path} has {size}", "bytes", d["bytes"]
                )
        if "hash" in d:
            algorithm, _, expected = str(d["hash"]).rpartition(":")
            algorithm = algorithm or "md5"
            if algorithm not in hashlib.algorithms_available:
                finding(
                    f"resource {res.name!r} declares a hash with unknown algorithm {algorithm!r}", "hash", d["hash"]
                )
            elif (
                digest := _digest_or_finding(res, files, algorithm, where, out)
            ) is not None and digest != expected.lower():
                finding(
                    f"resource {res.name!r} declares hash {d['hash']}, which {res.path} does not have",
                    "hash",
                    d["hash"],
                )
    return out


def _digest_or_finding(res, files: list[Path], algorithm: str, where: str, out: list[Finding]) -> str | None:
    """The digest of the resource's files (of their concatenation, for a multi-file path)."""
    try:
        if len(files) == 1:
            return file_digest(files[0], algorithm)
        h = hashlib.new(algorithm)
        for f in files:
            with f.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    h.update(chunk)
        return h.hexdigest()
    except OSError as exc:
        out.append(
            Finding(
                "file-unreadable",
                f"{res.path} cannot be read to check its declared hash: {reason(exc)}",
                table=res.name,
                path=where,
                field="hash",
            )
        )
        return None


def integrity_findings(pkg: Package) -> list[Finding]:
    """What ``natodata validate`` checks of published files."""
    return declared_hash_findings(pkg) + releases_findings(pkg.root)
