"""Versions and the bump rules of the Data Package Version recipe."""

import pytest
from packaging.version import Version

from natodata.errors import VersionError
from natodata.release.changes import ChangeKind
from natodata.release.versioning import Bump, bump_between, is_version, next_version, parse_bump, parse_version


@pytest.mark.parametrize("text", ["0.0.1", "1.0.0", "10.20.30"])
def test_strict_versions_parse(text):
    assert str(parse_version(text)) == text
    assert is_version(text)


@pytest.mark.parametrize(
    "text", ["1.0", "1", "01.0.0", "1.00.0", "v1.0.0", "1.0.0rc1", "1.0.0-alpha", "1.0.0+build", " 1.0.0", ""]
)
def test_anything_but_x_y_z_is_refused(text):
    assert not is_version(text)
    with pytest.raises(VersionError, match=r"version must be X\.Y\.Z \(three numbers without leading zeros\), not "):
        parse_version(text)
    assert VersionError.exit_code == 2


def test_versions_compare_numerically():
    assert parse_version("1.10.0") > parse_version("1.9.0")


@pytest.mark.parametrize(
    "previous, bump, expected",
    [
        (None, Bump.MAJOR, "1.0.0"),
        (None, Bump.MINOR, "0.1.0"),
        (None, Bump.PATCH, "0.0.1"),
        ("1.2.3", Bump.MAJOR, "2.0.0"),
        ("1.2.3", Bump.MINOR, "1.3.0"),
        ("1.2.3", Bump.PATCH, "1.2.4"),
    ],
)
def test_next_version(previous, bump, expected):
    assert str(next_version(Version(previous) if previous else None, bump)) == expected


@pytest.mark.parametrize(
    "old, new, step",
    [
        ("1.2.3", "2.0.0", Bump.MAJOR),
        ("1.2.3", "3.5.1", Bump.MAJOR),
        ("1.2.3", "1.3.0", Bump.MINOR),
        ("1.2.3", "1.2.4", Bump.PATCH),
        ("1.2.3", "1.2.3", Bump.NONE),
        ("1.2.3", "1.2.2", Bump.NONE),
    ],
)
def test_bump_between_is_the_first_part_that_grew(old, new, step):
    assert bump_between(Version(old), Version(new)) is step


def test_parse_bump():
    assert [parse_bump(b) for b in ("major", "Minor", "PATCH")] == [Bump.MAJOR, Bump.MINOR, Bump.PATCH]
    for bad in ("none", "huge", ""):
        with pytest.raises(VersionError, match=f"--bump must be major, minor or patch, not '{bad}'"):
            parse_bump(bad)


def test_bumps_order_and_print():
    assert Bump.NONE < Bump.PATCH < Bump.MINOR < Bump.MAJOR
    assert [str(b) for b in Bump] == ["none", "patch", "minor", "major"]


def test_the_rules_follow_the_issue_and_the_recipe():
    major = {k for k in ChangeKind if k.bump is Bump.MAJOR}
    minor = {k for k in ChangeKind if k.bump is Bump.MINOR}
    patch = {k for k in ChangeKind if k.bump is Bump.PATCH}
    # field removed, renamed or retyped, a constraint tightened
    assert {"field-removed", "field-renamed", "field-retyped", "constraint-tightened"} <= major
    # rows, resources or optional fields added; rows removed or re-keyed (errata: the
    # data changes, its shape does not)
    assert {"rows-added", "resource-added", "field-added", "rows-removed", "rows-rekeyed"} <= minor
    # corrected values or metadata
    assert {"values-changed", "metadata-changed", "field-metadata-changed"} <= patch
    assert major | minor | patch == set(ChangeKind)
    # The recipe's other cases.
    assert {
        "required-field-added",
        "fields-reordered",
        "package-renamed",
        "resource-removed",
        "primary-key-changed",
    } <= major
    assert {"constraint-relaxed", "reference-updated"} <= minor


def test_an_unknown_change_kind_is_refused():
    from natodata.release.schemadiff import Change

    assert Change("rows-added", "1 row added").kind is ChangeKind.ROWS_ADDED
    with pytest.raises(ValueError, match="'row-added' is not a valid ChangeKind"):
        Change("row-added", "1 row added")


def test_every_change_kind_is_documented_with_its_bump():
    from natodata.release.changes import change_kinds_markdown

    table = change_kinds_markdown().splitlines()
    assert table[:2] == ["| kind | bump | meaning |", "| --- | --- | --- |"]
    assert table[2] == "| `package-renamed` | major | the package's `name` changed |"
    assert len(table) == 2 + len(ChangeKind) == 27
