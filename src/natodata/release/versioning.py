"""Versions and bumps: parsing strict ``X.Y.Z`` versions (the pattern is the layout's,
:data:`natodata.layout.VERSION_RE`), the next version for a bump and
the size of a step between two versions. Which bump each kind of change requires is
defined with the kinds, in :mod:`natodata.release.changes`.
"""

from __future__ import annotations

from enum import IntEnum

from packaging.version import Version

from ..errors import VersionError
from ..layout import is_version


class Bump(IntEnum):
    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    def __str__(self) -> str:
        return self.name.lower()


def data_tag(version: str | Version) -> str:
    """The git tag of a data release, ``data-vX.Y.Z``: the toolkit's releases own the tags
    ``vX.Y.Z`` (docs/releasing.md)."""
    return f"data-v{version}"


def parse_version(text: str) -> Version:
    """Parse a strict ``X.Y.Z`` version."""
    if not isinstance(text, str) or not is_version(text):
        raise VersionError(f"version must be X.Y.Z (three numbers without leading zeros), not {text!r}")
    return Version(text)


def parse_bump(text: str) -> Bump:
    try:
        bump = Bump[text.upper()]
    except KeyError:
        bump = None
    if bump is None or bump is Bump.NONE:
        raise VersionError(f"--bump must be major, minor or patch, not {text!r}")
    return bump


def next_version(previous: Version | None, bump: Bump) -> Version:
    """The version after ``previous`` (0.0.0 when nothing is published) for ``bump``."""
    major, minor, patch = previous.release if previous is not None else (0, 0, 0)
    if bump is Bump.MAJOR:
        return Version(f"{major + 1}.0.0")
    if bump is Bump.MINOR:
        return Version(f"{major}.{minor + 1}.0")
    if bump is Bump.PATCH:
        return Version(f"{major}.{minor}.{patch + 1}")
    raise ValueError(bump)


def bump_between(previous: Version, version: Version) -> Bump:
    """The size of the step from ``previous`` to a greater ``version``: the first part that grew."""
    if version <= previous:
        return Bump.NONE
    old, new = previous.release, version.release
    if new[0] != old[0]:
        return Bump.MAJOR
    if new[1] != old[1]:
        return Bump.MINOR
    return Bump.PATCH
