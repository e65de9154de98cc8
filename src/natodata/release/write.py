"""Making and writing a release: the :class:`Release` and everything it writes, made in
memory first (:func:`make_plan`, a :class:`Plan`), then written as one transaction of
:mod:`natodata.atomic` (:func:`write_release`): the release directory, the archive and
the working copy's files that change with it (``CITATION.cff``, the root descriptor's
version, the codebook), all of them or none, even if the process is killed.

What is refused before anything is made, and the order of it all, is
:mod:`natodata.release.publish`.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, NamedTuple

from ..atomic import Staged, fill_directory
from ..checksums import file_digest, sums_text
from ..errors import PublishError, UnwritableOutput
from ..layout import CHANGELOG, DIST, NOTES, SUMS, release_dir
from ..model.descriptor import Package, descriptor_bytes
from ..model.location import DESCRIPTOR
from ..tables.canonical import canonical_text
from ..tables.read import Loaded
from .archive import write_archive
from .citation import CITATION, citation_cff, how_to_cite
from .diff import PackageDiff
from .notes import release_notes
from .versioning import Bump


class Document(NamedTuple):
    """A generated document of the package that must be current before a release. The
    caller renders it (the command line passes the codebook and docs/validate.md, from
    :func:`natodata.tools.docs.release_documents`): publish imports no tool."""

    #: its path in the package directory
    path: str
    #: its text for the package at a root, as of a data release (None: as it stands)
    render: Callable[[Path, str | None], str]
    #: rewritten with each release, which it names (the codebook)
    names_release: bool = False


@dataclass
class Release:
    version: str
    previous: str | None
    step: Bump  # from the previous release to this one (NONE for the first)
    required: Bump  # what the changes since the previous release require
    created: str
    path: Path
    files: list[str]
    archive: Path
    archive_bytes: int
    archive_sha256: str
    diff: PackageDiff | None
    #: the working copy's files that change with the release (CITATION.cff, …)
    updates: list[str] = field(default_factory=list)
    #: the size of each file of the release, by its path inside it
    sizes: dict[str, int] = field(default_factory=dict)


def iso_time(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def fingerprint(pkg: Package) -> dict[str, str]:
    """sha256 of every source file a release is made from, to notice edits during publish."""
    files = {DESCRIPTOR: pkg.descriptor_path, CHANGELOG: pkg.root / CHANGELOG}
    for res in pkg.resources:
        files[res.path] = pkg.root / res.path
        if res.schema_path:
            files[res.schema_path] = pkg.root / res.schema_path
    return {k: file_digest(p) if p.is_file() else "" for k, p in files.items()}


@dataclass
class Plan:
    """Everything a publish writes, made before anything is: the release's files (by
    path inside it), the working copy's files that change with it, and what the archive
    of the release's files is made with (its top directory and time)."""

    release: Release
    files: dict[str, bytes]
    updates: dict[str, bytes]
    prefix: str
    epoch: int


def make_plan(
    root: Path,
    loaded: Loaded,
    name: str,
    epoch: int,
    entry: str,
    diff: PackageDiff | None,
    previous: str | None,
    taken: Bump,
    required: Bump,
    before: dict[str, str],
    documents: Sequence[Document],
) -> Plan:
    """Everything the release writes, made in memory from the tables ``loaded``; refuses if
    the package's source files changed since their :func:`fingerprint` ``before``."""
    created = iso_time(epoch)
    pkg = loaded.package
    files: dict[str, bytes] = {}
    stamps: dict[str, tuple[int, str]] = {}
    rows: dict[str, int] = {}
    paths: dict[str, tuple[str, str | None]] = {}  # resource -> its data and schema paths, normalised
    for res in pkg.resources:
        t = loaded.tables[res.name]
        data = canonical_text(t.raw, t.typed, t.schema).encode("utf-8")
        rel, schema_rel = normal_path(res.path), None if res.schema_path is None else normal_path(res.schema_path)
        paths[res.name] = (rel, schema_rel)
        files[rel] = data
        stamps[res.name] = (len(data), hashlib.sha256(data).hexdigest())
        rows[res.name] = len(t.raw)
        if schema_rel is not None and schema_rel not in files:
            files[schema_rel] = (root / res.schema_path).read_bytes()
    if fingerprint(pkg) != before:
        raise PublishError("the package changed while it was being published; nothing was published, run publish again")
    descriptor = _release_descriptor(pkg.descriptor, name, created, stamps, paths)
    files[DESCRIPTOR] = descriptor_bytes(descriptor)
    title = str(pkg.descriptor.get("name", ""))
    title = title if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", title) else "release"
    files[NOTES] = release_notes(
        title,
        name,
        created,
        entry,
        diff,
        previous,
        taken,
        required,
        rows,
        how_to_cite(pkg.descriptor, name, created[:10]),
    ).encode("utf-8")
    files[SUMS] = sums_text({rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()}).encode("utf-8")
    archive_name = f"{title}-{name}.tar.gz"
    release = Release(
        version=name,
        previous=previous,
        step=taken,
        required=required,
        created=created,
        path=release_dir(root, name),
        files=sorted(files),
        archive=root / DIST / archive_name,
        archive_bytes=0,
        archive_sha256="",
        diff=diff,
    )  # set when the archive is written
    updates = _updates(root, pkg, name, created, documents)
    release.updates, release.sizes = sorted(updates), {rel: len(data) for rel, data in sorted(files.items())}
    return Plan(release, files, updates, f"{title}-{name}", epoch)


def normal_path(path: str) -> str:
    """A resource or schema path as a release names it: ``./data/x.csv`` is ``data/x.csv``
    (so SHA256SUMS and the descriptor agree with the files)."""
    return posixpath.normpath(path.replace("\\", "/"))


def _updates(root: Path, pkg: Package, name: str, created: str, documents: Sequence[Document]) -> dict[str, bytes]:
    """The working copy's files that point at the new release: CITATION.cff, the root
    descriptor's version (the one definition of the version), and the ``documents`` that
    name the release (the codebook)."""
    out = {CITATION: citation_cff(pkg.descriptor, name, created[:10]).encode("utf-8")}
    if pkg.descriptor.get("version") != name:
        desc = {k: (name if k == "version" else v) for k, v in pkg.descriptor.items()}
        if "version" not in desc:
            desc = {"version": name, **desc}
        out[DESCRIPTOR] = descriptor_bytes(desc)
    for doc in documents:
        if doc.names_release and (root / doc.path).is_file():
            out[doc.path] = doc.render(root, name).encode("utf-8")
    return out


def write_release(root: Path, plan: Plan) -> None:
    """Write the release, the archive and the working copy's updates as one: all of them
    or (even if the process is killed: see natodata.atomic) none."""
    rel = plan.release
    with Staged(home=root) as staged:
        try:
            stage = staged.write_tree(rel.path, plan.files)
            with staged.open(rel.archive) as out:
                _archive(plan, stage, out)
            for name, data in plan.updates.items():
                staged.write_bytes(root / name, data)
            staged.commit()
        except UnwritableOutput as exc:
            raise PublishError(str(exc).removesuffix("; nothing written") + "; nothing was published") from None


def _archive(plan: Plan, directory: Path, out: BinaryIO | None = None) -> None:
    """Write the release's archive of ``plan.files`` (in ``directory``) to ``out``, and
    record its size and SHA-256 in the release."""
    rel = plan.release
    rel.archive_bytes, rel.archive_sha256 = write_archive(directory, plan.files, plan.prefix, plan.epoch, out)


def measure_archive(plan: Plan) -> None:
    """A dry run's archive: written from a temporary directory, measured, never kept."""
    with tempfile.TemporaryDirectory(prefix="natodata-publish-") as tmp:
        _archive(plan, fill_directory(Path(tmp), plan.files))


def _release_descriptor(
    descriptor: dict,
    version: str,
    created: str,
    stamps: dict[str, tuple[int, str]],
    paths: dict[str, tuple[str, str | None]],
) -> dict:
    out: dict = {}
    for k, v in descriptor.items():
        if k == "created":
            continue
        out[k] = version if k == "version" else v
        if k == "version":
            out["created"] = created
    if "version" not in out:
        out["version"] = version
        out["created"] = created
    resources = []
    for res in descriptor["resources"]:
        res = {k: v for k, v in res.items() if k not in ("bytes", "hash")}
        size, digest = stamps[res["name"]]
        res["path"], schema = paths[res["name"]]
        if isinstance(res.get("schema"), str):
            res["schema"] = schema
        res["bytes"] = size
        res["hash"] = f"sha256:{digest}"
        resources.append(res)
    out["resources"] = resources
    return out
