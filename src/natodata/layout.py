"""Where things are: the files of a package directory and of its published releases.

The one definition of the layout. A package is a directory holding ``datapackage.json``
(found by :func:`natodata.model.location.locate`); its published releases are
``releases/X.Y.Z/`` beside it, built under ``dist/``.
"""

from __future__ import annotations

import re
from pathlib import Path

from packaging.version import Version

from .errors import NotPublished, UnreadableInput
from .model.location import DESCRIPTOR, locate

RELEASES = "releases"
DIST = "dist"
CHANGELOG = "CHANGELOG.md"
NOTES = "RELEASE_NOTES.md"
SUMS = "SHA256SUMS"
STAGING_PREFIX = ".staging-"
#: X.Y.Z with no leading zeros, no pre-release or build suffix: a data release's version,
#: and the name of its directory (:mod:`natodata.release.versioning` parses and bumps them).
VERSION_RE = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


def is_version(text: str) -> bool:
    return VERSION_RE.fullmatch(text) is not None


def release_dir(root: Path, version: str | Version) -> Path:
    return root / RELEASES / str(version)


def release_dirs(root: Path) -> list[Path]:
    """Every published release directory under ``root``, in version order."""
    releases = root / RELEASES
    if not releases.is_dir():
        return []
    return sorted((p for p in releases.iterdir() if p.is_dir() and is_version(p.name)), key=lambda p: Version(p.name))


def published_versions(root: Path) -> list[Version]:
    """Versions published under ``root/releases``, oldest first."""
    return [Version(p.name) for p in release_dirs(root)]


def shipped_package() -> Path:
    """Directory of the package shipped with natodata: bundled in an installed wheel,
    or the repository root in a source checkout."""
    here = Path(__file__).resolve().parent
    for root in (here / "_package", here.parents[1]):
        if (root / DESCRIPTOR).is_file():
            return root
    raise UnreadableInput("no data package is bundled with this installation of natodata")


#: The name ``--release`` and ``load(version=...)`` give the working copy: the package as
#: it stands, unreleased changes included (the default).
WORKING = "working"
#: The name ``--release`` and ``load(version=...)`` give the package's latest release.
LATEST = "latest"


def package_dir(version: str | None = None, path: Path | str | None = None) -> Path:
    """The package directory a data command reads: the package at ``path`` (by default the
    one shipped with natodata) as it stands, or, with ``version``, one of *its* published
    releases: ``"X.Y.Z"``, ``"latest"`` (the newest), or ``"working"`` for the working
    copy (the default). Raises UnreadableInput if there is no package at ``path``, and
    NotPublished if the release is not among its releases."""
    root = locate(path).parent if path is not None else shipped_package()
    if version is None or version == WORKING:
        return root
    versions = published_versions(root)
    if version == LATEST:
        if not versions:
            raise NotPublished(f"{_named(root, path)} has no published release ({WORKING!r} reads the working copy)")
        return release_dir(root, versions[-1])
    release = release_dir(root, version)
    if not isinstance(version, str) or not is_version(version) or not (release / DESCRIPTOR).is_file():
        known = ", ".join(map(str, versions)) or "none"
        raise NotPublished(
            f"release {version} of {_named(root, path)} is not published (published: {known}; "
            f"or {LATEST!r}, or {WORKING!r} for the working copy)"
        )
    return release


def _named(root: Path, path) -> str:
    return "the shipped package" if path is None else str(root)


def describe_data(root: Path) -> str:
    """Which data a package directory holds, as the codebook says it: ``release X.Y.Z``
    for a published release, else ``the working copy``."""
    root = Path(root)
    if root.parent.name == RELEASES and is_version(root.name):
        return f"release {root.name}"
    return WORKING_COPY


WORKING_COPY = "the working copy"
