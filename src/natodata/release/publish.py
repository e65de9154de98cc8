"""``publish``: an immutable, verifiable, reproducible release.

A release is a directory ``releases/X.Y.Z/`` holding the descriptor (with ``version``,
``created`` and every resource's ``bytes`` and ``hash``), the canonical CSVs, the
schemas, ``RELEASE_NOTES.md`` (the CHANGELOG entry and the diff against the previous
release) and ``SHA256SUMS``; plus ``dist/<name>-X.Y.Z.tar.gz``, a deterministic archive
of the same files for attaching to a hosted release.

Every refusal happens before anything is written; this module makes those checks and
puts the steps in order. The release is made in memory, then the release directory, the
archive, ``CITATION.cff``, the root descriptor's version and the codebook are written as
one transaction of :mod:`natodata.atomic`: all of them or none, even if the process is
killed (the next run finishes or undoes it). Making and writing it is
:mod:`natodata.release.write`.
Nothing depends on the clock: ``created`` is ``SOURCE_DATE_EPOCH`` or the date of the
last git commit, and the archive's timestamps are ``created``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from contextlib import contextmanager
from collections.abc import Sequence
from pathlib import Path

from ..atomic import recover
from ..checks.validate import validate_loaded
from ..errors import (
    AlreadyPublished,
    BumpTooSmall,
    NothingChanged,
    PackageInvalid,
    PublishError,
    PublishedButNotTagged,
    VersionError,
    VersionNotGreater,
)
from ..layout import CHANGELOG, DIST, RELEASES, STAGING_PREFIX, published_versions, release_dir
from ..model.descriptor import Package, load_package
from ..model.location import DESCRIPTOR, locate
from ..report import finding_lines
from ..tables.read import read_tables
from .diff import diff_packages
from .gitrepo import commit_and_tag, dirty_paths, tag_exists
from .notes import changelog_entry
from .versioning import Bump, bump_between, data_tag, next_version, parse_bump, parse_version
from .write import (
    Document as Document,
    Plan as Plan,
    Release,
    fingerprint,
    iso_time as iso_time,
    make_plan,
    measure_archive,
    normal_path as normal_path,
    write_release,
)


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
    before = fingerprint(pkg)

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
    plan = make_plan(
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
        measure_archive(plan)
    else:
        write_release(root, plan)
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
