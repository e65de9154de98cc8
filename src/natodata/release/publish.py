"""``publish``: an immutable, verifiable, reproducible release.

A release is a directory ``releases/X.Y.Z/`` holding the descriptor (with ``version``,
``created`` and every resource's ``bytes`` and ``hash``), the canonical CSVs, the
schemas, ``RELEASE_NOTES.md`` (the CHANGELOG entry and the diff against the previous
release) and ``SHA256SUMS``; plus ``dist/<name>-X.Y.Z.tar.gz``, a deterministic archive
of the same files for attaching to a hosted release.

Every refusal happens before anything is written. The release is built in a staging
directory under ``dist/`` (ignored by git, on the same filesystem) and renamed into
``releases/`` as the last step, so an interrupted publish leaves no partial release.
Nothing depends on the clock: ``created`` is ``SOURCE_DATE_EPOCH`` or the date of the
last git commit, and the archive's timestamps are ``created``.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path


from ..checks.validate import check
from ..atomic import fsync as _fsync_dir
from ..errors import (AlreadyPublished, BumpTooSmall, ChangelogMissing, NothingChanged, PackageInvalid, PublishError,
                      UnreadableInput, VersionError, VersionNotGreater)
from ..layout import (CHANGELOG, DESCRIPTOR, DIST, NOTES, RELEASES, STAGING_PREFIX, SUMS, locate, published_versions,
                      release_dir)
from ..model.descriptor import Package, load_package
from ..tables.canonical import canonical_text
from ..tables.read import Loaded, read_tables
from .checksums import file_digest, sums_text
from .citation import CITATION, citation_cff, how_to_cite
from .gitrepo import commit_and_tag, dirty_paths, tag_exists
from .diff import PackageDiff, diff_packages
from .diff_report import render_text
from .versioning import Bump, bump_between, next_version, parse_bump, parse_version

MAX_LISTED_ERRORS = 20
#: Generated documents that must be current before a release (``natodata docs``).
CODEBOOK = "docs/CODEBOOK.md"
VALIDATE_DOC = "docs/validate.md"


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
        raise PublishError(f"cannot date the release: {root} is not in a git checkout with a commit; "
                           "commit first or set SOURCE_DATE_EPOCH")
    return int(stamp)


def iso_time(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


_HEADING = re.compile(r"## \[?([0-9]+\.[0-9]+\.[0-9]+)\]?(?:\s.*)?")


def changelog_entry(root: Path, version: str) -> str:
    """The body of the CHANGELOG section headed ``## X.Y.Z`` (or ``## [X.Y.Z] - date``)."""
    file = root / CHANGELOG
    hint = f"add a section headed '## {version}' (rename '## Unreleased') saying what changed"
    try:
        lines = file.read_text(encoding="utf-8").split("\n")
    except FileNotFoundError:
        raise ChangelogMissing(f"{CHANGELOG} not found in {root}; {hint}") from None
    except UnicodeDecodeError as exc:
        raise UnreadableInput(f"{CHANGELOG} in {root} is not UTF-8 (byte {exc.start}); nothing was published") from None
    except OSError as exc:
        raise UnreadableInput(f"cannot read {CHANGELOG} in {root}: {exc.strerror or exc}; nothing was published") from None
    body: list[str] | None = None
    for line in lines:
        if body is None:
            m = _HEADING.fullmatch(line.rstrip())
            if m and m.group(1) == version:
                body = []
        elif line.startswith("## "):
            break
        else:
            body.append(line)
    text = "\n".join(body or []).strip("\n")
    if not text.strip():
        raise ChangelogMissing(f"{CHANGELOG} has no entry for {version}; {hint}")
    return text


def _fingerprint(pkg: Package) -> dict[str, str]:
    """sha256 of every source file a release is made from, to notice edits during publish."""
    files = {DESCRIPTOR: pkg.descriptor_path, CHANGELOG: pkg.root / CHANGELOG}
    for res in pkg.resources:
        files[res.path] = pkg.root / res.path
        if res.schema_path:
            files[res.schema_path] = pkg.root / res.schema_path
    return {k: file_digest(p) if p.is_file() else "" for k, p in files.items()}


def publish(path: Path | str | None = None, version: str | None = None, bump: str | None = None,
            corpus: Path | str | None = None, tag: bool = False) -> Release:
    """Publish the package at ``path`` as ``version``, or as the next ``bump`` (major,
    minor or patch) after the latest release (after 0.0.0 when there is none).

    Raises a PublishError subclass, having written nothing, when the corpus is not given,
    the package is not committed to git, a generated document is stale, another publish
    is running, the package does not validate (provenance included), the version exists
    or is not greater than the latest release, nothing changed, the step is smaller than
    the changes require, CHANGELOG.md has no entry, or (with ``tag``) the tag exists.

    After the release: CITATION.cff names it, the root descriptor's ``version`` (the one
    definition of the version) becomes it, the codebook is regenerated, and with ``tag``
    these are committed and tagged ``vX.Y.Z``."""
    if (version is None) == (bump is None):
        raise VersionError("give exactly one of --version X.Y.Z or --bump major|minor|patch")
    target = parse_version(version) if version is not None else None
    step = parse_bump(bump) if bump is not None else None
    if corpus is None:
        raise PublishError("publish checks every row against its article: give --corpus DIR, the directory holding "
                           "the article files; nothing was published")
    root = locate(path).parent
    pkg = load_package(root)
    with _publish_lock(pkg.descriptor_path):
        return _publish(root, pkg, target, step, corpus, tag)


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


def _stale_documents(root: Path) -> list[str]:
    """Generated documents of the package that ``natodata docs`` would change."""
    from ..tools.codebook import codebook_text
    from ..tools.docs import validate_doc

    stale = []
    for rel, make in ((CODEBOOK, lambda: codebook_text(root)), (VALIDATE_DOC, lambda: validate_doc(root / VALIDATE_DOC))):
        file = root / rel
        if file.is_file() and file.read_text(encoding="utf-8") != make():
            stale.append(rel)
    return stale


def _publish(root: Path, pkg: Package, target, step, corpus, tag: bool) -> Release:
    dirty = dirty_paths(root, _source_files(pkg))
    if dirty:
        raise PublishError("uncommitted changes to the package; a release must be made from a commit, so commit "
                           "them first:\n  " + "\n  ".join(dirty))
    stale = _stale_documents(root)
    if stale:
        raise PublishError(f"generated documents are stale: {', '.join(stale)}; run natodata docs and commit them")
    before = _fingerprint(pkg)

    # One read: the tables checked are the tables compared and written.
    loaded = read_tables(root)
    report = check(loaded, corpus)
    if not report.valid:
        errors = report.sorted()
        errors = [f for f in errors if f.severity == "error"]
        shown = [f"{f.path or f.table or '<package>'}{f':{f.line}' if f.line else ''}: {f.type}: {f.message}"
                 for f in errors[:MAX_LISTED_ERRORS]]
        more = len(errors) - len(shown)
        raise PackageInvalid(f"the package does not validate ({len(errors)} error{'s' * (len(errors) != 1)}); "
                             "run natodata validate:\n  " + "\n  ".join(shown) + (f"\n  … and {more} more" if more else ""))

    versions = published_versions(root)
    latest = versions[-1] if versions else None
    if target is None:
        target = next_version(latest, step)
    name = str(target)
    if release_dir(root, name).exists():
        raise AlreadyPublished(f"version {name} is already published ({RELEASES}/{name}); releases are immutable, "
                               "so publish the changes as a new version")
    if latest is not None and target <= latest:
        raise VersionNotGreater(f"version {name} is not greater than the latest release, {latest}")
    if tag and tag_exists(root, f"v{name}"):
        raise PublishError(f"the git tag v{name} already exists; a tag names one release")

    diff = None
    required = taken = Bump.NONE
    if latest is not None:
        diff = diff_packages(release_dir(root, latest), loaded, str(latest), name)
        required, taken = diff.bump, bump_between(latest, target)
        if not diff.has_changes:
            raise NothingChanged(f"nothing changed since {latest}; there is nothing to publish")
        if taken < required:
            reasons = diff.reasons(Bump(taken + 1))
            raise BumpTooSmall(f"{latest} → {name} is a {taken} step, but the changes since {latest} require a {required} "
                               f"step ({next_version(latest, required)}):\n  " + "\n  ".join(reasons))
    entry = changelog_entry(root, name)
    epoch = source_date(root)
    release = _write(root, loaded, name, epoch, entry, diff, None if latest is None else str(latest), taken, required, before)
    written = _after_release(root, pkg, name, release.created)
    if tag:
        commit_and_tag(root, [f"{RELEASES}/{name}", *written], f"Release {name}", f"v{name}")
    return release


def _after_release(root: Path, pkg: Package, name: str, created: str) -> list[str]:
    """Point the working copy at the new release: CITATION.cff, the root descriptor's
    version, and the codebook (which states it). Returns the files written."""
    from ..tools.codebook import codebook_text

    written = [CITATION]
    _replace(root / CITATION, citation_cff(pkg.descriptor, name, created[:10]))
    if pkg.descriptor.get("version") != name:
        desc = {k: (name if k == "version" else v) for k, v in pkg.descriptor.items()}
        if "version" not in desc:
            desc = {"version": name, **desc}
        _replace(pkg.descriptor_path, json.dumps(desc, indent=2, ensure_ascii=False) + "\n")
        written.append(DESCRIPTOR)
    if (root / CODEBOOK).is_file():
        _replace(root / CODEBOOK, codebook_text(root))
        written.append(CODEBOOK)
    return written


def _replace(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        _write_file(tmp, text.encode("utf-8"))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _release_descriptor(descriptor: dict, version: str, created: str, stamps: dict[str, tuple[int, str]]) -> dict:
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
        res["bytes"] = size
        res["hash"] = f"sha256:{digest}"
        resources.append(res)
    out["resources"] = resources
    return out


def release_notes(title: str, version: str, created: str, entry: str, diff: PackageDiff | None,
                  previous: str | None, taken: Bump, required: Bump, rows: dict[str, int], cite: str) -> str:
    lines = [f"# {title} {version}", "", f"- Created: {created}"]
    if previous is None:
        lines += ["- Previous release: none (first release)", "", "## Changelog", "", entry, "", "## Contents", "",
                  "| table | rows |", "| --- | ---: |"]
        lines += [f"| {name} | {n} |" for name, n in rows.items()]
    else:
        lines += [f"- Previous release: {previous}", f"- Version step: {taken} (the changes require {required})",
                  "", "## Changelog", "", entry, "", f"## Changes since {previous}", "", "```text",
                  render_text(diff).rstrip("\n"), "```"]
    lines += ["", "## How to cite", "", cite]
    return "\n".join(lines) + "\n"


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def build_archive(directory: Path, dest: Path, prefix: str, mtime: int) -> None:
    """A deterministic ``.tar.gz`` of ``directory`` under ``prefix/``: entries sorted,
    every mtime ``mtime``, owner root (uid/gid 0, no names), modes 0644/0755, and a
    gzip header with mtime 0 and no file name."""
    paths = sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*"))
    with dest.open("wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
            with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
                for rel in ["", *paths]:
                    file = directory / rel
                    info = tarfile.TarInfo(f"{prefix}/{rel}" if rel else prefix)
                    info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "", ""
                    if file.is_dir():
                        info.type, info.mode = tarfile.DIRTYPE, 0o755
                        tar.addfile(info)
                    else:
                        data = file.read_bytes()
                        info.mode, info.size = 0o644, len(data)
                        tar.addfile(info, io.BytesIO(data))
        raw.flush()
        os.fsync(raw.fileno())


def _write(root: Path, loaded: Loaded, name: str, epoch: int, entry: str, diff: PackageDiff | None, previous: str | None,
           taken: Bump, required: Bump, before: dict[str, str]) -> Release:
    created = iso_time(epoch)
    dist = root / DIST
    made = [] if dist.exists() else [dist]  # directories this run creates
    try:
        dist.mkdir(exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=dist))
    except OSError as exc:
        raise PublishError(f"cannot write in {dist}: {exc.strerror or exc}; nothing was published") from None
    published = False
    try:
        pkg = loaded.package
        stage = staging / name
        digests: dict[str, str] = {}
        stamps: dict[str, tuple[int, str]] = {}
        rows: dict[str, int] = {}

        def put(rel: str, data: bytes) -> str:
            _write_file(stage / rel, data)
            digests[rel] = hashlib.sha256(data).hexdigest()
            return digests[rel]

        for res in pkg.resources:
            t = loaded.tables[res.name]
            data = canonical_text(t.raw, t.typed, t.schema).encode("utf-8")
            stamps[res.name] = (len(data), put(res.path, data))
            rows[res.name] = len(t.raw)
            if res.schema_path not in digests:
                put(res.schema_path, (root / res.schema_path).read_bytes())
        if _fingerprint(pkg) != before:
            raise PublishError("the package changed while it was being published; nothing was published, run publish again")
        descriptor = _release_descriptor(pkg.descriptor, name, created, stamps)
        put(DESCRIPTOR, (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        title = str(pkg.descriptor.get("name", ""))
        title = title if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", title) else "release"
        put(NOTES, release_notes(title, name, created, entry, diff, previous, taken, required, rows,
                                     how_to_cite(pkg.descriptor, name, created[:10])).encode("utf-8"))
        files = sorted([*digests, SUMS])
        _write_file(stage / SUMS, sums_text(digests).encode("utf-8"))
        for d in sorted({p.parent for p in stage.rglob("*")}, reverse=True):
            _fsync_dir(d)

        archive_name = f"{title}-{name}.tar.gz"
        build_archive(stage, staging / archive_name, f"{title}-{name}", epoch)
        archive = dist / archive_name
        releases = root / RELEASES
        if not releases.exists():
            made.append(releases)
        try:
            releases.mkdir(exist_ok=True)
            os.rename(stage, releases / name)  # the commit point
        except OSError as exc:
            if (releases / name).exists():
                raise AlreadyPublished(f"version {name} was published by another run meanwhile") from None
            raise PublishError(f"cannot move the release into {releases}: {exc.strerror or exc}; nothing was published") from None
        published = True
        _fsync_dir(releases)
        os.replace(staging / archive_name, archive)  # only once the release exists
        _fsync_dir(dist)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        for d in made if not published else []:
            try:
                d.rmdir()  # made by this run, empty again
            except OSError:
                pass
    data = archive.read_bytes()
    return Release(version=name, previous=previous, step=taken, required=required, created=created,
                   path=releases / name, files=files, archive=archive, archive_bytes=len(data),
                   archive_sha256=hashlib.sha256(data).hexdigest(), diff=diff)
