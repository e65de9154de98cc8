"""Where things are: the files of a package directory and of its published releases.

The one definition of the layout. A package is a directory holding ``datapackage.json``;
its published releases are ``releases/X.Y.Z/`` beside it, built under ``dist/``.
"""

from __future__ import annotations

from pathlib import Path

from packaging.version import Version

from .errors import NotPublished, UnreadableInput, UsageError
from .release.versioning import is_version

DESCRIPTOR = "datapackage.json"
RELEASES = "releases"
DIST = "dist"
CHANGELOG = "CHANGELOG.md"
NOTES = "RELEASE_NOTES.md"
SUMS = "SHA256SUMS"
STAGING_PREFIX = ".staging-"


def locate(path: Path | str | None) -> Path:
    """Accept a package directory or a descriptor file; return the descriptor path."""
    p = Path(path) if path is not None else Path.cwd()
    if p.is_dir():
        p = p / DESCRIPTOR
    return p


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


#: The name ``load(version=...)`` and ``export --version`` give the working copy: the
#: package as it stands, unreleased changes included.
WORKING = "working"


def resolve(version: str | None = None, path: Path | str | None = None) -> Path:
    """The package directory to read: ``path``; else a published ``version`` of the shipped
    package, or its working copy for ``"working"``; else its latest published release
    (the citable, immutable data), or the working copy if nothing is published."""
    if version is not None and path is not None:
        raise UsageError("give a version or a path, not both")
    if path is not None:
        return Path(path)
    root = shipped_package()
    if version == WORKING:
        return root
    if version is None:
        versions = published_versions(root)
        return release_dir(root, versions[-1]) if versions else root
    release = release_dir(root, version)
    if not (release / DESCRIPTOR).is_file():
        known = ", ".join(map(str, published_versions(root))) or "none"
        raise NotPublished(f"version {version} is not published (published: {known}; or {WORKING!r} for the working copy)")
    return release
