"""``publish``: an immutable, verifiable, reproducible release.

A release is a directory ``releases/X.Y.Z/`` holding the descriptor (with ``version``,
``created`` and every resource's ``bytes`` and ``hash``), the canonical CSVs, the
schemas, ``RELEASE_NOTES.md`` (the CHANGELOG entry and the diff against the previous
release) and ``SHA256SUMS``; plus ``dist/<name>-X.Y.Z.tar.gz``, a deterministic archive
of the same files for attaching to a hosted release.

Every refusal happens before anything is written. The release is made in memory, then
the release directory, the archive, ``CITATION.cff``, the root descriptor's version and
the codebook are written as one transaction of :mod:`natodata.atomic`: all of them or
none, even if the process is killed (the next run finishes or undoes it).
Nothing depends on the clock: ``created`` is ``SOURCE_DATE_EPOCH`` or the date of the
last git commit, and the archive's timestamps are ``created``.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import shlex
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, NamedTuple

from ..atomic import Staged, fill_directory, recover
from ..checks.validate import validate_loaded
from ..checksums import file_digest, sums_text
from ..errors import (
    AlreadyPublished,
    BumpTooSmall,
    NothingChanged,
    PackageInvalid,
    PublishError,
    PublishedButNotTagged,
    UnwritableOutput,
    VersionError,
    VersionNotGreater,
)
from ..layout import CHANGELOG, DIST, NOTES, RELEASES, STAGING_PREFIX, SUMS, published_versions, release_dir
from ..model.descriptor import Package, descriptor_bytes, load_package
from ..model.location import DESCRIPTOR, locate
from ..report import finding_lines
from ..tables.canonical import canonical_text
from ..tables.read import Loaded, read_tables
from .archive import write_archive
from .citation import CITATION, citation_cff, how_to_cite
from .diff import PackageDiff, diff_packages
from .gitrepo import commit_and_tag, dirty_paths, tag_exists
from .notes import changelog_entry, release_notes
from .versioning import Bump, bump_between, data_tag, next_version, parse_bump, parse_version


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


def source_date(root: Path) -> int:
    """The release time, never the clock: ``SOURCE_DATE_EPOCH``, else the last commit's date."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "")
    if env:
        if not env.isdigit():
            raise PublishError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not {env!r}")
        return int(env)
    try:
        run = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True)
    except OSError:
        run = None
    stamp = run.stdout.strip() if run is not None and run.returncode == 0 else ""
    if not stamp.isdigit():
        raise PublishError(
            f"cannot date the release: {root} is not in a git checkout with a commit; "
            "commit first or set SOURCE_DATE_EPOCH"
        )
    return int(stamp)


def iso_time(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fingerprint(pkg: Package) -> dict[str, str]:
    """sha256 of every source file a release is made from, to notice edits during publish."""
    files = {DESCRIPTOR: pkg.descriptor_path, CHANGELOG: pkg.root / CHANGELOG}
    for res in pkg.resources:
        files[res.path] = pkg.root / res.path
        if res.schema_path:
            files[res.schema_path] = pkg.root / res.schema_path
    return {k: file_digest(p) if p.is_file() else "" for k, p in files.items()}


def publish(
    path: Path | str | None = None,
    version: str | None = None,
    bump: str | None = None,
    corpus: Path | str | None = None,
    tag: bool = False,
    dry_run: bool = False,
    documents: Sequence[Document] = (),
) -> Release:
    """Publish the package at ``path`` as ``version``, or as the next ``bump`` (major,
    minor or patch) after the latest release (after 0.0.0 when there is none).

    Raises a PublishError subclass, having written nothing, when the corpus is not given,
    the package is not committed to git, one of ``documents`` is stale, another publish
    is running, the package does not validate (provenance included), the version exists
    or is not greater than the latest release, nothing changed, the step is smaller than
    the changes require, CHANGELOG.md has no entry, or (with ``tag``) the tag exists.

    After the release: CITATION.cff names it, the root descriptor's ``version`` (the one
    definition of the version) becomes it, the ``documents`` that name the release (the
    codebook) are regenerated, and with ``tag``
    these are committed and tagged ``data-vX.Y.Z``. All of these files change together or
    not at all, even if the process is killed (the next publish, or any command that
    writes to the package, finishes or undoes an interrupted one first).

    With ``dry_run``, every check runs and the release is made in memory, but nothing
    is written: the Release returned says what would be."""
    if (version is None) == (bump is None):
        raise VersionError("give exactly one of --release X.Y.Z or --bump major|minor|patch")
    target = parse_version(version) if version is not None else None
    step = parse_bump(bump) if bump is not None else None
    if corpus is None:
        raise PublishError(
            "publish checks every row against its article: give --corpus DIR, the directory holding "
            "the article files; nothing was published"
        )
    root = locate(path).parent
    if not dry_run:
        recover(root)  # a publish killed after its commit point is finished, one killed before undone
    pkg = load_package(root)
    with _publish_lock(pkg.descriptor_path):
        if not dry_run:
            for old in (root / DIST).glob(STAGING_PREFIX + "*"):  # left by natodata before 1.2
                shutil.rmtree(old, ignore_errors=True)
        return _publish(root, pkg, target, step, corpus, tag, dry_run, documents)


@contextmanager
def _publish_lock(descriptor: Path):
    """One publish at a time per package: an exclusive lock on its descriptor (taken by
    reading, so a refused publish writes nothing)."""
    import fcntl

    with descriptor.open("rb") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(f"another publish of {descriptor.parent} is running; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _source_files(pkg: Package) -> list[str]:
    files = {DESCRIPTOR, CHANGELOG}
    for res in pkg.resources:
        files.add(res.path)
        if res.schema_path:
            files.add(res.schema_path)
    return sorted(files)


def _stale_documents(root: Path, documents: Sequence[Document]) -> list[str]:
    """The generated documents of the package that ``natodata docs`` would change."""
    stale = []
    for doc in documents:
        file = root / doc.path
        if file.is_file() and file.read_text(encoding="utf-8") != doc.render(root, None):
            stale.append(doc.path)
    return stale


def _publish(
    root: Path, pkg: Package, target, step, corpus, tag: bool, dry_run: bool, documents: Sequence[Document]
) -> Release:
    dirty = dirty_paths(root, _source_files(pkg))
    if dirty:
        raise PublishError(
            "uncommitted changes to the package; a release must be made from a commit, so commit "
            "them first:\n  " + "\n  ".join(dirty)
        )
    stale = _stale_documents(root, documents)
    if stale:
        raise PublishError(f"generated documents are stale: {', '.join(stale)}; run natodata docs and commit them")
    before = _fingerprint(pkg)

    # One read: the tables checked are the tables compared and written.
    loaded = read_tables(root)
    odd = [
        r.name for r in loaded.package.resources if r.name not in loaded.tables or not loaded.tables[r.name].file_backed
    ]
    if odd:
        raise PublishError(
            f"publish releases packages whose every resource is a table in one CSV file with a schema; "
            f"not so: {', '.join(odd)}"
        )
    report = validate_loaded(loaded, corpus)
    if not report.valid:
        errors = report.sorted()
        errors = [f for f in errors if f.severity == "error"]
        raise PackageInvalid(
            f"the package does not validate ({len(errors)} error{'s' * (len(errors) != 1)}); "
            "run natodata validate:\n  " + "\n  ".join(finding_lines(errors))
        )

    versions = published_versions(root)
    latest = versions[-1] if versions else None
    if target is None:
        target = next_version(latest, step)
    name = str(target)
    if release_dir(root, name).exists():
        raise AlreadyPublished(
            f"version {name} is already published ({RELEASES}/{name}); releases are immutable, "
            "so publish the changes as a new version"
        )
    if latest is not None and target <= latest:
        raise VersionNotGreater(f"version {name} is not greater than the latest release, {latest}")
    if tag and tag_exists(root, data_tag(name)):
        raise PublishError(f"the git tag {data_tag(name)} already exists; a tag names one release")

    diff = None
    required = taken = Bump.NONE
    if latest is not None:
        diff = diff_packages(release_dir(root, latest), loaded, str(latest), name)
        required, taken = diff.bump, bump_between(latest, target)
        if not diff.has_changes:
            raise NothingChanged(f"nothing changed since {latest}; there is nothing to publish")
        if taken < required:
            reasons = diff.reasons(Bump(taken + 1))
            raise BumpTooSmall(
                f"{latest} → {name} is a {taken} step, but the changes since {latest} require a {required} "
                f"step ({next_version(latest, required)}):\n  " + "\n  ".join(reasons)
            )
    entry = changelog_entry(root, name)
    epoch = source_date(root)
    plan = _plan(
        root,
        loaded,
        name,
        epoch,
        entry,
        diff,
        None if latest is None else str(latest),
        taken,
        required,
        before,
        documents,
    )
    if dry_run:
        _measure_archive(plan)
    else:
        _commit(root, plan)
        if tag:
            paths = [f"{RELEASES}/{name}", *plan.updates]
            try:
                commit_and_tag(root, paths, f"Data release {name}", data_tag(name))
            except (PublishError, OSError) as exc:
                raise PublishedButNotTagged(
                    f"published {RELEASES}/{name}, but could not commit and tag it: {exc}\nfinish with:\n  "
                    + finish_command(root, paths, name)
                ) from None
    return plan.release


def finish_command(root: Path, paths: list[str], name: str) -> str:
    """The git commands that commit and tag a release publish could not."""
    quoted = " ".join(shlex.quote(p) for p in paths)
    git = f"git -C {shlex.quote(str(root))}"
    return (
        f"{git} add -- {quoted} && {git} commit -m {shlex.quote(f'Data release {name}')} -- {quoted} && "
        f"{git} tag -a {data_tag(name)} -m {shlex.quote(f'Data release {name}')}"
    )


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


def _plan(
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
    if _fingerprint(pkg) != before:
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


def _commit(root: Path, plan: Plan) -> None:
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


def _measure_archive(plan: Plan) -> None:
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
