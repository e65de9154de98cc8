"""``natodata publish``: what a release holds, every refusal (with nothing written),
atomicity under SIGKILL, byte-identical republishing, and tamper detection."""

import base64
import gzip
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import types

import pytest
from typer.testing import CliRunner

from natodata.checks.integrity import release_findings
from natodata.cli import app
from natodata.errors import (
    AlreadyPublished,
    BumpTooSmall,
    ChangelogMissing,
    NothingChanged,
    PackageInvalid,
    PublishError,
    VersionError,
    VersionNotGreater,
)
from natodata.tools.docs import release_documents
from natodata.tools.fmt import format_package
from natodata.release.publish import publish as publish_package
from natodata.checks.validate import validate

from tests.helpers import Pkg, copy_package
from tests.helpers.corpus import synthetic
from tests.helpers.releasing import CREATED, EPOCH, commit, descriptor, git, snapshot, write_changelog

# Whole-package validations, seconds in all: run by CI's `pytest -m slow` to keep the default suite under 30 s.
pytestmark = pytest.mark.slow

runner = CliRunner()


def run_publish(root, **kwargs):
    """publish, with the generated documents the command line passes it."""
    return publish_package(root, documents=release_documents(), **kwargs)


def publish(root, **kwargs):
    """Commit, then publish with the corpus, as a maintainer would."""
    commit(root)
    return run_publish(root, corpus=synthetic().corpus, **kwargs)


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def errors(report):
    return [(f.type, f.path) for f in report.sorted() if f.severity == "error"]


def cite(version: str) -> str:
    return (
        "\n## How to cite\n\nnatodata maintainers (2023). *NATO Mission Iraq in the news: coded sources, actors, "
        f"events, quotes and figures*, version {version} (released 2023-11-14). Cite the version you used; "
        f"`CITATION.cff` at the tag `data-v{version}` holds the same in Citation File Format.\n"
    )


def resources(p: Pkg) -> list[dict]:
    return descriptor(p.root)["resources"]


def release_files(p: Pkg) -> list[str]:
    res = resources(p)
    return sorted(
        {"RELEASE_NOTES.md", "SHA256SUMS", "datapackage.json", *(r["path"] for r in res), *(r["schema"] for r in res)}
    )


def add_actor(p: Pkg, id_: str = "zz-new-actor") -> None:
    p.append("actors", {"id": id_, "name": "New Actor", "kind": "person"})


@pytest.fixture(scope="module")
def published_1_0_0(tmp_path_factory) -> Pkg:
    """The shipped package with 1.0.0 published, made once per module (and worker)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    try:
        pkg = Pkg(copy_package(tmp_path_factory.mktemp("published") / "pkg", synthetic().package))
        write_changelog(pkg.root, "1.0.0")
        publish(pkg.root, version="1.0.0")
    finally:
        mp.undo()
    return pkg


@pytest.fixture
def released(published_1_0_0, tmp_path) -> Pkg:
    """A fresh copy of the package with 1.0.0 published."""
    dest = tmp_path / "pkg"
    shutil.copytree(published_1_0_0.root, dest, symlinks=True)
    return Pkg(dest)


# --- what a release holds -----------------------------------------------------------------


@pytest.mark.slow
def test_a_release_holds_the_stamped_descriptor_canonical_csvs_schemas_notes_and_sums(pkg, tmp_path):
    write_changelog(pkg.root, "1.0.0")
    rows = pkg.rows("actors")
    pkg.write_rows("actors", [rows[0]] + rows[:0:-1])  # not canonical: the release must be
    canonical = Pkg(copy_package(tmp_path / "canonical", synthetic().package))
    format_package(canonical.root)

    rel = publish(pkg.root, version="1.0.0")
    d = pkg.root / "releases" / "1.0.0"
    assert (rel.version, rel.path, rel.previous, rel.created) == ("1.0.0", d, None, CREATED)
    files = release_files(pkg)
    assert sorted(p.relative_to(d).as_posix() for p in d.rglob("*") if not p.is_dir()) == files == rel.files

    src = descriptor(pkg.root)
    out = json.loads((d / "datapackage.json").read_text(encoding="utf-8"))
    keys = list(src)
    assert list(out) == keys[: keys.index("version") + 1] + ["created"] + keys[keys.index("version") + 1 :]
    assert (out["version"], out["created"]) == ("1.0.0", CREATED)
    assert {k: v for k, v in out.items() if k not in ("version", "created", "resources")} == {
        k: v for k, v in src.items() if k not in ("version", "resources")
    }
    for r_out, r_src in zip(out["resources"], src["resources"], strict=True):
        data = (d / r_src["path"]).read_bytes()
        assert r_out == {**r_src, "bytes": len(data), "hash": f"sha256:{sha256(data)}"}
        assert data == (canonical.root / r_src["path"]).read_bytes()  # what natodata fmt writes
        assert (d / r_src["schema"]).read_bytes() == (pkg.root / r_src["schema"]).read_bytes()

    assert (d / "SHA256SUMS").read_text() == "".join(
        f"{sha256((d / f).read_bytes())}  {f}\n" for f in files if f != "SHA256SUMS"
    )
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "--check", "--quiet", "--strict", "SHA256SUMS"], cwd=d, check=True)
    assert errors(validate(pkg.root)) == []
    assert errors(validate(d)) == []


def test_first_release_notes(pkg):
    write_changelog(pkg.root, "1.0.0")
    publish(pkg.root, version="1.0.0")
    counts = "".join(f"| {r['name']} | {len(pkg.rows(r['name'])) - 1} |\n" for r in resources(pkg))
    assert (pkg.root / "releases/1.0.0/RELEASE_NOTES.md").read_text() == (
        "# natodata 1.0.0\n\n"
        f"- Created: {CREATED}\n"
        "- Previous release: none (first release)\n\n"
        "## Changelog\n\n"
        "### Changed\n- Release 1.0.0.\n\n"
        "## Contents\n\n"
        "| table | rows |\n| --- | ---: |\n" + counts + cite("1.0.0")
    )


@pytest.mark.slow
def test_later_release_notes_hold_the_changelog_entry_and_the_diff(released):
    pkg = released
    write_changelog(pkg.root, "1.1.0", "1.0.0")
    add_actor(pkg)
    rel = publish(pkg.root, bump="minor")
    assert (rel.version, rel.previous, str(rel.step), str(rel.required)) == ("1.1.0", "1.0.0", "minor", "minor")
    assert (pkg.root / "releases/1.1.0/RELEASE_NOTES.md").read_text() == (
        "# natodata 1.1.0\n\n"
        f"- Created: {CREATED}\n"
        "- Previous release: 1.0.0\n"
        "- Version step: minor (the changes require minor)\n\n"
        "## Changelog\n\n"
        "### Changed\n- Release 1.1.0.\n\n"
        "## Changes since 1.0.0\n\n"
        "```text\n"
        "diff 1.0.0 → 1.1.0\n"
        "actors: minor\n"
        "  minor  rows-added: 1 row added\n"
        "  + id=zz-new-actor\n"
        f"1 of {len(resources(pkg))} tables changed; required bump: minor\n"
        "```\n" + cite("1.1.0")
    )
    assert errors(validate(pkg.root)) == []


@pytest.mark.slow
def test_changelog_headings_may_be_bracketed_and_dated(pkg):
    (pkg.root / "CHANGELOG.md").write_text("# Changelog\n\n## [1.0.0] - 2023-11-14\n\nFirst.\n\n## [0.1.0]\n\nOld.\n")
    publish(pkg.root, version="1.0.0")
    assert "## Changelog\n\nFirst.\n\n## Contents" in (pkg.root / "releases/1.0.0/RELEASE_NOTES.md").read_text()


@pytest.mark.slow
def test_a_changelog_of_toolkit_and_data_gives_the_notes_the_data_entries_only(pkg):
    (pkg.root / "CHANGELOG.md").write_text(
        "# Changelog\n\n## Unreleased\n\n- A toolkit change.\n\n## 1.0.0 - 2023-11-13\n\n- Toolkit 1.0.0.\n\n"
        "## Data: unreleased\n\n## Data 1.0.0 - 2023-11-14\n\n### Added\n- Data 1.0.0.\n\n"
        "# Older\n\n- not part of any section\n"
    )
    publish(pkg.root, version="1.0.0")
    notes = (pkg.root / "releases/1.0.0/RELEASE_NOTES.md").read_text()
    assert "## Changelog\n\n### Added\n- Data 1.0.0.\n\n## Contents" in notes
    assert "Toolkit" not in notes and "toolkit" not in notes and "Older" not in notes


def test_a_changelog_with_data_sections_needs_the_data_section(pkg):
    (pkg.root / "CHANGELOG.md").write_text("## 1.0.0\n\n- Toolkit 1.0.0.\n\n## Data 0.9.0\n\n- Old data.\n")
    refused(
        pkg,
        ChangelogMissing,
        "CHANGELOG.md has no entry for 1.0.0; add a section headed '## Data 1.0.0' "
        "(rename '## Data: unreleased') saying what changed in the data",
        version="1.0.0",
    )


@pytest.mark.slow
def test_bump_names_the_next_version(pkg):
    write_changelog(pkg.root, "1.0.1", "1.0.0")
    assert publish(pkg.root, bump="major").version == "1.0.0"  # after 0.0.0 when nothing is published
    pkg.set("actors", 2, "description", "Corrected.")
    assert publish(pkg.root, bump="patch").version == "1.0.1"


# --- refusals: a clear message and nothing written ------------------------------------------


def refused(pkg: Pkg, exc_type, message: str, **kwargs):
    commit(pkg.root)
    before = snapshot(pkg.root)
    with pytest.raises(exc_type) as info:
        run_publish(pkg.root, **{"corpus": synthetic().corpus, **kwargs})
    assert str(info.value) == message
    assert snapshot(pkg.root) == before


def test_refuses_a_package_that_does_not_validate(pkg):
    write_changelog(pkg.root, "1.0.0")
    pkg.set("actors", 2, "description", " Leading space.")
    refused(
        pkg,
        PackageInvalid,
        "the package does not validate (1 error); run natodata validate:\n"
        "  data/actors.csv:2: surrounding-whitespace: ' Leading space.' has leading or "
        "trailing whitespace",
        version="1.0.0",
    )


@pytest.mark.slow
def test_refuses_a_package_whose_provenance_fails(pkg):
    write_changelog(pkg.root, "1.0.0")
    rows = pkg.rows("quotes")
    pkg.set("quotes", 2, "prefix", "X" + rows[1][rows[0].index("prefix")])
    with pytest.raises(PackageInvalid) as info:
        publish(pkg.root, version="1.0.0")
    assert "anchor-prefix-mismatch" in str(info.value)
    assert not (pkg.root / "releases").exists() and not (pkg.root / "dist").exists()


@pytest.mark.slow
def test_refuses_a_published_version(released):
    pkg = released
    add_actor(pkg)
    refused(
        pkg,
        AlreadyPublished,
        "version 1.0.0 is already published (releases/1.0.0); releases are immutable, "
        "so publish the changes as a new version",
        version="1.0.0",
    )


@pytest.mark.slow
def test_refuses_a_version_not_greater_than_the_latest(pkg):
    write_changelog(pkg.root, "1.1.0", "1.0.5")
    publish(pkg.root, version="1.1.0")
    add_actor(pkg)
    refused(pkg, VersionNotGreater, "version 1.0.5 is not greater than the latest release, 1.1.0", version="1.0.5")


@pytest.mark.slow
def test_refuses_when_nothing_changed(released):
    pkg = released
    write_changelog(pkg.root, "1.0.1", "1.0.0")
    refused(pkg, NothingChanged, "nothing changed since 1.0.0; there is nothing to publish", version="1.0.1")


def remove_title(p: Pkg) -> str:
    rows = p.rows("actor_titles")
    rows.pop()
    p.write_rows("actor_titles", rows)
    return "actor_titles: rows-removed: 1 row removed"


def add_row(p: Pkg) -> str:
    add_actor(p)
    return "actors: rows-added: 1 row added"


def correct_value(p: Pkg) -> str:
    p.set("actors", 2, "description", "Corrected.")
    return "actors: values-changed: 1 row changed"


@pytest.mark.slow
@pytest.mark.parametrize(
    "change, refused_versions, accepted",
    [
        (remove_title, ["1.0.1"], "1.1.0"),
        (add_row, ["1.0.1"], "1.1.0"),
        (correct_value, [], "1.0.1"),
    ],
)
def test_refuses_a_bump_smaller_than_the_changes_require(released, change, refused_versions, accepted):
    pkg = released
    write_changelog(pkg.root, "2.0.0", "1.1.0", "1.0.1", "1.0.0")
    reason = change(pkg)
    required = {"2.0.0": "major", "1.1.0": "minor", "1.0.1": "patch"}[accepted]
    for v in refused_versions:
        step = {"1.0.1": "patch", "1.1.0": "minor"}[v]
        refused(
            pkg,
            BumpTooSmall,
            f"1.0.0 → {v} is a {step} step, but the changes since 1.0.0 require a {required} "
            f"step ({accepted}):\n  {reason}",
            version=v,
        )
    rel = publish(pkg.root, version=accepted)
    assert (str(rel.step), str(rel.required)) == (required, required)


@pytest.mark.slow
def test_a_bigger_bump_than_needed_is_allowed(released):
    pkg = released
    write_changelog(pkg.root, "2.0.0", "1.0.0")
    correct_value(pkg)
    rel = publish(pkg.root, version="2.0.0")
    assert (str(rel.step), str(rel.required)) == ("major", "patch")


@pytest.mark.slow
def test_refuses_without_a_changelog_entry(pkg):
    hint = "add a section headed '## 1.0.0' (rename '## Unreleased') saying what changed"
    refused(pkg, ChangelogMissing, f"CHANGELOG.md not found in {pkg.root}; {hint}", version="1.0.0")
    write_changelog(pkg.root, "0.9.0")
    refused(pkg, ChangelogMissing, f"CHANGELOG.md has no entry for 1.0.0; {hint}", version="1.0.0")
    (pkg.root / "CHANGELOG.md").write_text("## 1.0.0\n\n## 0.9.0\n\nOld.\n")
    refused(pkg, ChangelogMissing, f"CHANGELOG.md has no entry for 1.0.0; {hint}", version="1.0.0")


def test_refuses_malformed_versions_and_bumps(pkg):
    write_changelog(pkg.root, "1.0.0")
    refused(pkg, VersionError, "version must be X.Y.Z (three numbers without leading zeros), not '1.0'", version="1.0")
    refused(pkg, VersionError, "--bump must be major, minor or patch, not 'huge'", bump="huge")
    refused(
        pkg,
        VersionError,
        "give exactly one of --release X.Y.Z or --bump major|minor|patch",
        version="1.0.0",
        bump="major",
    )
    refused(pkg, VersionError, "give exactly one of --release X.Y.Z or --bump major|minor|patch")


@pytest.mark.slow
def test_refuses_without_a_date(pkg, monkeypatch):
    write_changelog(pkg.root, "1.0.0")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    refused(
        pkg,
        PublishError,
        "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not 'yesterday'",
        version="1.0.0",
    )


def test_refuses_without_the_corpus(pkg):
    write_changelog(pkg.root, "1.0.0")
    refused(
        pkg,
        PublishError,
        "publish checks every row against its article: give --corpus DIR, the directory holding "
        "the article files; nothing was published",
        version="1.0.0",
        corpus=None,
    )


def test_refuses_outside_a_git_checkout(pkg, monkeypatch):
    write_changelog(pkg.root, "1.0.0")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(pkg.root.parent))
    before = snapshot(pkg.root)
    with pytest.raises(PublishError) as info:
        run_publish(pkg.root, version="1.0.0", corpus=synthetic().corpus)
    assert str(info.value) == (
        f"{pkg.root} is not in a git checkout; a release must be traceable to a commit, so "
        "commit the package to git first"
    )
    assert snapshot(pkg.root) == before


def test_refuses_uncommitted_changes_to_the_package(pkg):
    write_changelog(pkg.root, "1.0.0")
    commit(pkg.root)
    before = snapshot(pkg.root)
    pkg.set("actors", 2, "description", "Edited, not committed.")
    (pkg.root / "CHANGELOG.md").write_text((pkg.root / "CHANGELOG.md").read_text() + "\nmore\n")
    (pkg.root / "notes.txt").write_text("not part of the package\n")  # untracked, but not a source file
    edited = snapshot(pkg.root)
    with pytest.raises(PublishError) as info:
        run_publish(pkg.root, version="1.0.0", corpus=synthetic().corpus)
    assert str(info.value) == (
        "uncommitted changes to the package; a release must be made from a commit, so commit "
        "them first:\n  CHANGELOG.md\n  data/actors.csv"
    )
    assert snapshot(pkg.root) == edited != before


@pytest.mark.slow
def test_refuses_a_stale_generated_document(pkg):
    from natodata.tools.codebook import codebook_text

    write_changelog(pkg.root, "1.0.0")
    (pkg.root / "docs").mkdir()
    (pkg.root / "docs/CODEBOOK.md").write_text(codebook_text(pkg.root))
    commit(pkg.root)
    assert run_publish(pkg.root, version="1.0.0", corpus=synthetic().corpus).version == "1.0.0"  # current: accepted
    write_changelog(pkg.root, "1.1.0", "1.0.0")
    add_actor(pkg)  # the codebook counts rows, so it is now stale
    refused(
        pkg,
        PublishError,
        "generated documents are stale: docs/CODEBOOK.md; run natodata docs and commit them",
        version="1.1.0",
    )


def test_refuses_while_another_publish_holds_the_lock(pkg):
    import fcntl

    write_changelog(pkg.root, "1.0.0")
    with (pkg.root / "datapackage.json").open("rb") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        refused(pkg, PublishError, f"another publish of {pkg.root} is running; wait for it to finish", version="1.0.0")


@pytest.mark.slow
def test_a_release_points_the_working_copy_at_it(pkg):
    write_changelog(pkg.root, "1.0.0")
    rel = publish(pkg.root, version="1.0.0")
    assert descriptor(pkg.root)["version"] == "1.0.0"
    notes = (rel.path / "RELEASE_NOTES.md").read_text()
    assert notes.endswith(
        "## How to cite\n\nnatodata maintainers (2023). *NATO Mission Iraq in the news: coded "
        "sources, actors, events, quotes and figures*, version 1.0.0 (released 2023-11-14). Cite the "
        "version you used; `CITATION.cff` at the tag `data-v1.0.0` holds the same in Citation File Format.\n"
    )
    cff = (pkg.root / "CITATION.cff").read_text()
    assert '\nversion: "1.0.0"\ndate-released: "2023-11-14"\n' in cff


@pytest.mark.slow
def test_citation_cff_is_valid_cff(pkg, tmp_path):
    """Validated by cffconvert, the reference CFF tool. It pins jsonschema < 4, which
    frictionless cannot use, so it runs from a venv of its own."""
    write_changelog(pkg.root, "1.0.0")
    publish(pkg.root, version="1.0.0")
    venv = tmp_path / "cff"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "-q", "cffconvert==2.0.0"], check=True)
    run = subprocess.run(
        [str(venv / "bin/cffconvert"), "--validate", "-i", str(pkg.root / "CITATION.cff")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Citation metadata are valid according to schema version 1.2.0." in run.stdout


@pytest.mark.slow
def test_tag_commits_the_release_and_tags_it(pkg):
    commit(pkg.root)
    write_changelog(pkg.root, "1.0.0")
    result = runner.invoke(
        app, ["publish", str(pkg.root), "--release", "1.0.0", "--corpus", str(synthetic().corpus), "--tag"]
    )
    assert result.exit_code == 1 and "uncommitted changes" in result.output  # nothing committed yet
    commit(pkg.root)
    result = runner.invoke(
        app, ["publish", str(pkg.root), "--release", "1.0.0", "--corpus", str(synthetic().corpus), "--tag"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.endswith("committed and tagged data-v1.0.0\n")
    assert git(pkg.root, "status", "--porcelain") == ""
    assert git(pkg.root, "describe", "--exact-match", "HEAD").strip() == "data-v1.0.0"
    assert git(pkg.root, "cat-file", "-t", "data-v1.0.0").strip() == "tag"  # annotated
    assert git(pkg.root, "log", "-1", "--format=%s").strip() == "Data release 1.0.0"
    write_changelog(pkg.root, "1.0.1", "1.0.0")
    pkg.set("actors", 2, "description", "Corrected.")
    git(pkg.root, "tag", "-a", "v1.0.1", "-m", "the toolkit's")  # vX.Y.Z is the toolkit's: no clash
    git(pkg.root, "tag", "-a", "data-v1.0.1", "-m", "taken")
    refused(
        pkg, PublishError, "the git tag data-v1.0.1 already exists; a tag names one release", version="1.0.1", tag=True
    )


@pytest.mark.slow
def test_cli_publish_and_refusal(pkg):
    write_changelog(pkg.root, "1.0.0")
    commit(pkg.root)
    result = runner.invoke(app, ["publish", str(pkg.root), "--release", "1.0.0", "--corpus", str(synthetic().corpus)])
    assert result.exit_code == 0, result.output
    archive = pkg.root / "dist" / "natodata-1.0.0.tar.gz"
    data = archive.read_bytes()
    assert result.output == (
        f"published {pkg.root / 'releases' / '1.0.0'} (first release): {len(release_files(pkg))} files, "
        f"created {CREATED}\n"
        f"archive {archive}: {len(data)} bytes, sha256 {sha256(data)}\n"
    )
    commit(pkg.root)
    result = runner.invoke(app, ["publish", str(pkg.root), "--bump", "major", "--corpus", str(synthetic().corpus)])
    assert (result.exit_code, result.output) == (1, "Error: nothing changed since 1.0.0; there is nothing to publish\n")
    result = runner.invoke(app, ["publish", str(pkg.root), "--release", "v2"])
    assert (result.exit_code, result.output) == (
        2,
        "Error: version must be X.Y.Z (three numbers without leading zeros), not 'v2'\n",
    )
    result = runner.invoke(app, ["publish", str(pkg.root)])
    assert (result.exit_code, result.output) == (
        2,
        "Error: give exactly one of --release X.Y.Z or --bump major|minor|patch\n",
    )


# --- reproducible ----------------------------------------------------------------------


def published_bytes(p: Pkg, version: str = "1.0.0") -> dict:
    return {
        "release": snapshot(p.root / "releases" / version),
        "archive": (p.root / "dist" / f"natodata-{version}.tar.gz").read_bytes(),
    }


@pytest.mark.slow
def test_publishing_the_same_data_twice_gives_identical_bytes(pkg, tmp_path, monkeypatch):
    other = Pkg(copy_package(tmp_path / "other", synthetic().package))
    for p in (pkg, other):
        write_changelog(p.root, "1.0.0")
    publish(pkg.root, version="1.0.0")
    first = published_bytes(pkg)
    later = time.time() + 86400
    monkeypatch.setattr(time, "time", lambda: later)  # a clock-derived timestamp would now differ
    publish(other.root, version="1.0.0")
    assert published_bytes(other) == first
    # and again in the same directory, once the first is moved away
    shutil.move(pkg.root / "releases", tmp_path / "moved")
    shutil.rmtree(pkg.root / "dist")
    publish(pkg.root, version="1.0.0")
    assert published_bytes(pkg) == first
    assert len(first["release"]) > len(release_files(pkg))  # files and directories compared


@pytest.mark.slow
def test_created_follows_source_date_epoch(pkg, monkeypatch):
    write_changelog(pkg.root, "1.0.0")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + 86400))
    rel = publish(pkg.root, version="1.0.0")
    assert json.loads((rel.path / "datapackage.json").read_text())["created"] == "2023-11-15T22:13:20Z"
    with tarfile.open(rel.archive) as tar:
        assert {m.mtime for m in tar.getmembers()} == {EPOCH + 86400}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_created_is_the_commit_date_without_source_date_epoch(pkg, monkeypatch):
    write_changelog(pkg.root, "1.0.0")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2021-03-04T05:06:07+00:00",
        "GIT_COMMITTER_DATE": "2021-03-04T05:06:07+00:00",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    for cmd in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "data"]):
        subprocess.run(["git", *cmd], cwd=pkg.root, env=env, check=True)
    rel = run_publish(pkg.root, version="1.0.0", corpus=synthetic().corpus)
    assert rel.created == "2021-03-04T05:06:07Z"
    assert json.loads((rel.path / "datapackage.json").read_text())["created"] == "2021-03-04T05:06:07Z"


@pytest.mark.slow
def test_the_archive_is_deterministic(pkg):
    write_changelog(pkg.root, "1.0.0")
    rel = publish(pkg.root, version="1.0.0")
    raw = rel.archive.read_bytes()
    # gzip header: magic, deflate, no flags (no file name), mtime 0
    assert raw[:8] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00"
    files = release_files(pkg)
    dirs = sorted({f.rsplit("/", 1)[0] for f in files if "/" in f})
    with tarfile.open(fileobj=gzip.GzipFile(fileobj=__import__("io").BytesIO(raw))) as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == ["natodata-1.0.0"] + [f"natodata-1.0.0/{p}" for p in sorted(files + dirs)]
        assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in members} == {(EPOCH, 0, 0, "", "")}
        assert {(m.isdir(), m.mode) for m in members} == {(True, 0o755), (False, 0o644)}
        for f in files:
            assert tar.extractfile(f"natodata-1.0.0/{f}").read() == (rel.path / f).read_bytes()


# --- atomic ------------------------------------------------------------------------------


def _work(root) -> dict:
    """The package's files as the test sees them, git's own left out."""
    return {k: v for k, v in snapshot(root).items() if k != ".git" and not k.startswith(".git/")}


def _nothing_published(p: Pkg) -> None:
    assert not (p.root / "releases" / "1.0.0").exists()
    assert not (p.root / "dist" / "natodata-1.0.0.tar.gz").exists()
    assert list((p.root / "dist").glob(".staging-*")) == []
    assert [q.name for q in p.root.rglob(".*") if q.name not in (".git", ".gitignore") and ".git" not in q.parts] == []
    assert errors(validate(p.root)) == []  # nothing half-published for validate to trip on


@pytest.mark.slow
def test_a_write_failing_midway_publishes_nothing(pkg, monkeypatch):
    from natodata import atomic

    write_changelog(pkg.root, "1.0.0")
    real, written = atomic.fill_directory, []

    def failing(directory, files):  # the release directory: three files written, then the disk is full
        first = dict(list(files.items())[:3])
        real(directory, first)
        written.extend((directory / rel).is_file() for rel in first)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "fill_directory", failing)
    with pytest.raises(
        PublishError, match=r"^cannot write .*releases/1\.0\.0: No space left on device; nothing was published$"
    ):
        publish(pkg.root, version="1.0.0")
    assert written == [True, True, True]  # it failed with files already staged
    _nothing_published(pkg)


@pytest.mark.slow
@pytest.mark.parametrize("fail_at", [1, 2, 4])
def test_a_failing_rename_publishes_nothing(pkg, monkeypatch, fail_at):
    """The release directory, the archive, CITATION.cff, the descriptor and the codebook
    move into place together: a rename failing at any of them undoes the others."""
    from natodata import atomic

    write_changelog(pkg.root, "1.0.0")
    commit(pkg.root)
    before = _work(pkg.root)
    real, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == fail_at:
            raise OSError(13, "Permission denied")
        return real(src, dst)

    with monkeypatch.context() as m:
        m.setattr(atomic, "os", types.SimpleNamespace(**{**vars(os), "replace": replace}))  # atomic's renames only
        with pytest.raises(PublishError, match=r"cannot write .*: Permission denied; nothing was published"):
            run_publish(pkg.root, version="1.0.0", corpus=synthetic().corpus)
    _nothing_published(pkg)
    assert _work(pkg.root) == before
    rel = publish(pkg.root, version="1.0.0")
    assert release_findings(rel.path, "releases/1.0.0") == []


@pytest.mark.slow
def test_a_killed_publish_leaves_no_partial_release(pkg):
    write_changelog(pkg.root, "1.0.0")
    # Big enough that writing the release takes a while: 1,000 actors with 20 kB descriptions.
    rnd = random.Random(0)
    rows = pkg.rows("actors")
    header = rows[0]
    for i in range(1000):
        row = {
            "id": f"bulk-{i:04d}",
            "name": f"Bulk {i}",
            "kind": "organisation",
            "description": "x" + base64.b64encode(rnd.randbytes(15000)).decode(),
        }
        rows.append([row.get(h, "") for h in header])
    pkg.write_rows("actors", [header] + sorted(rows[1:]))
    commit(pkg.root)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "natodata",
            "publish",
            str(pkg.root),
            "--release",
            "1.0.0",
            "--corpus",
            str(synthetic().corpus),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    staged = []
    deadline = time.monotonic() + 300
    try:
        while not staged and proc.poll() is None and time.monotonic() < deadline:
            staged = list((pkg.root / "releases").glob(".1.0.0.*.tmp/data/*.csv"))
            time.sleep(0.002)
    finally:
        proc.kill()
        proc.wait()
    assert staged, "publish ended before it was seen writing; the package must be bigger"
    assert proc.returncode == -signal.SIGKILL  # killed mid-way, not finished
    assert not (pkg.root / "releases" / "1.0.0").exists()
    assert not (pkg.root / "dist" / "natodata-1.0.0.tar.gz").exists()
    rel = publish(pkg.root, version="1.0.0")  # undoes the killed one first
    assert release_findings(rel.path, "releases/1.0.0") == []
    assert sorted(p.name for p in (pkg.root / "releases").iterdir()) == ["1.0.0"]
    assert not list(pkg.root.glob(".natodata-journal-*"))


#: Publishes in a child that kills itself at its Nth rename of the commit.
KILLED_PUBLISH = """
import os, signal, sys, types
from natodata import atomic
calls = []
def replace(src, dst):
    calls.append(dst)
    if len(calls) == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)
    return os.replace(src, dst)
atomic.os = types.SimpleNamespace(**{**vars(os), "replace": replace})  # atomic's renames only
from natodata.cli import app
app(["publish", sys.argv[1], "--release", "1.0.0", "--corpus", sys.argv[3]])
"""


@pytest.mark.slow
@pytest.mark.parametrize("at", [1, 2, 4])
def test_a_publish_killed_after_its_commit_point_is_finished_by_the_next_run(pkg, at):
    write_changelog(pkg.root, "1.0.0")
    commit(pkg.root)
    run = subprocess.run(
        [sys.executable, "-c", KILLED_PUBLISH, str(pkg.root), str(at), str(synthetic().corpus)],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)},
    )
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert list(pkg.root.glob(".natodata-journal-*.commit"))  # killed after the commit point
    result = runner.invoke(app, ["publish", str(pkg.root), "--release", "1.0.0", "--corpus", str(synthetic().corpus)])
    # the killed publish was finished first: the working copy now points at 1.0.0, as after any publish
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: uncommitted changes to the package; a release must be made from "
        "a commit, so commit them first:\n  datapackage.json\n",
    )
    assert release_findings(pkg.root / "releases" / "1.0.0", "releases/1.0.0") == []
    assert (pkg.root / "dist" / "natodata-1.0.0.tar.gz").is_file()
    assert descriptor(pkg.root)["version"] == "1.0.0"
    assert 'version: "1.0.0"' in (pkg.root / "CITATION.cff").read_text()
    assert [q.name for q in pkg.root.rglob(".*") if ".git" not in q.parts and q.name != ".gitignore"] == []


@pytest.mark.slow
def test_dry_run_runs_every_check_and_writes_nothing(pkg):
    write_changelog(pkg.root, "1.0.0")
    commit(pkg.root)
    before = _work(pkg.root)
    result = runner.invoke(
        app, ["publish", str(pkg.root), "--release", "1.0.0", "--corpus", str(synthetic().corpus), "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == f"would publish {pkg.root / 'releases' / '1.0.0'} (first release): {len(release_files(pkg))} files, created {CREATED}"
    )
    assert lines[1] == f"  {pkg.root / 'releases' / '1.0.0' / 'RELEASE_NOTES.md'}: " + lines[1].split(": ")[1]
    assert lines[-3].startswith(f"would write {pkg.root / 'dist' / 'natodata-1.0.0.tar.gz'}: ")
    assert lines[-2:] == [
        "would update CITATION.cff, datapackage.json, docs/CODEBOOK.md"
        if (pkg.root / "docs" / "CODEBOOK.md").exists()
        else "would update CITATION.cff, datapackage.json",
        "nothing written (--dry-run)",
    ]
    assert _work(pkg.root) == before
    # the sizes and the archive it announces are those a real publish writes
    announced = lines[-3].split(", sha256 ")[1]
    rel = run_publish(pkg.root, version="1.0.0", corpus=synthetic().corpus)
    assert rel.archive_sha256 == announced
    pkg.set("sources", 2, "sha256", "xyz")
    commit(pkg.root)
    result = runner.invoke(
        app, ["publish", str(pkg.root), "--bump", "patch", "--corpus", str(synthetic().corpus), "--dry-run"]
    )
    assert result.exit_code == 1 and result.stderr.startswith("Error: the package does not validate")


@pytest.mark.slow
def test_resource_paths_are_normalised_so_the_release_validates(pkg):
    desc = descriptor(pkg.root)
    desc["resources"][0]["path"] = "./" + desc["resources"][0]["path"]
    desc["resources"][1]["schema"] = "./schemas/../" + desc["resources"][1]["schema"]
    (pkg.root / "datapackage.json").write_text(json.dumps(desc, indent=2) + "\n")
    write_changelog(pkg.root, "1.0.0")
    rel = publish(pkg.root, version="1.0.0")
    assert release_findings(rel.path, "releases/1.0.0") == []
    released = json.loads((rel.path / "datapackage.json").read_text())
    assert released["resources"][0]["path"] == desc["resources"][0]["path"][2:]
    assert released["resources"][1]["schema"] == desc["resources"][1]["schema"][len("./schemas/../") :]
    assert "./" not in (rel.path / "SHA256SUMS").read_text()
    assert errors(validate(pkg.root)) == []


@pytest.mark.slow
def test_a_tag_that_fails_after_the_release_exists_says_so_and_how_to_finish(pkg, monkeypatch):
    from natodata.errors import PublishedButNotTagged
    from natodata.release import publish as module

    def failing(root, paths, message, tag):
        raise PublishError("git commit failed: disk full")

    monkeypatch.setattr(module, "commit_and_tag", failing)
    write_changelog(pkg.root, "1.0.0")
    with pytest.raises(PublishedButNotTagged) as exc:
        publish(pkg.root, version="1.0.0", tag=True)
    paths = "releases/1.0.0 CITATION.cff datapackage.json" + (
        " docs/CODEBOOK.md" if (pkg.root / "docs" / "CODEBOOK.md").exists() else ""
    )
    git_ = f"git -C {pkg.root}"
    assert str(exc.value) == (
        "published releases/1.0.0, but could not commit and tag it: git commit failed: disk full\nfinish with:\n  "
        f"{git_} add -- {paths} && {git_} commit -m 'Data release 1.0.0' -- {paths} && {git_} tag -a data-v1.0.0 -m 'Data release 1.0.0'"
    )
    assert release_findings(pkg.root / "releases" / "1.0.0", "releases/1.0.0") == []


# --- validate guards the past ------------------------------------------------------------------


def release_errors(p: Pkg):
    return [(f.type, f.path, f.message) for f in validate(p.root).sorted() if f.severity == "error"]


@pytest.mark.slow
def test_a_changed_published_file_is_an_error(released):
    f = released.root / "releases/1.0.0/data/actors.csv"
    listed = sha256(f.read_bytes())
    f.write_bytes(f.read_bytes().replace(b"\n", b"\r\n", 1))
    assert release_errors(released) == [
        (
            "release-tampered",
            "releases/1.0.0/data/actors.csv",
            f"data/actors.csv changed after release 1.0.0 was published: sha256 is {sha256(f.read_bytes())}, SHA256SUMS says {listed}",
        )
    ]
    result = runner.invoke(app, ["validate", str(released.root)])
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if " error " in line] == [
        f"releases/1.0.0/data/actors.csv: error release-tampered: data/actors.csv changed after release 1.0.0 was "
        f"published: sha256 is {sha256(f.read_bytes())}, SHA256SUMS says {listed}"
    ]
    # and nothing can be published on top of a tampered release
    add_actor(released)
    write_changelog(released.root, "1.1.0")
    with pytest.raises(PackageInvalid, match="releases/1.0.0/data/actors.csv: release-tampered"):
        publish(released.root, version="1.1.0")


@pytest.mark.slow
def test_a_missing_or_added_published_file_is_an_error(released):
    d = released.root / "releases/1.0.0"
    (d / "RELEASE_NOTES.md").unlink()
    (d / "data/extra.csv").write_text("id\n")
    assert release_errors(released) == [
        (
            "release-file-missing",
            "releases/1.0.0/RELEASE_NOTES.md",
            "RELEASE_NOTES.md is listed in SHA256SUMS but missing from published release 1.0.0",
        ),
        (
            "release-file-unlisted",
            "releases/1.0.0/data/extra.csv",
            "data/extra.csv is not listed in SHA256SUMS: a file was added to published release 1.0.0",
        ),
    ]


def test_a_file_deleted_with_its_checksum_line_is_caught_by_the_descriptor(released):
    d = released.root / "releases/1.0.0"
    (d / "data/figures.csv").unlink()
    sums = d / "SHA256SUMS"
    sums.write_text(
        "".join(
            line for line in sums.read_text().splitlines(keepends=True) if not line.endswith("  data/figures.csv\n")
        )
    )
    assert release_errors(released) == [
        (
            "release-file-missing",
            "releases/1.0.0/data/figures.csv",
            "data/figures.csv is named by the datapackage.json of published release 1.0.0 but is neither in SHA256SUMS "
            "nor checked",
        ),
    ]


@pytest.mark.slow
def test_a_descriptor_dropped_from_the_checksums_is_an_error(released):
    sums = released.root / "releases/1.0.0/SHA256SUMS"
    sums.write_text(
        "".join(
            line for line in sums.read_text().splitlines(keepends=True) if not line.endswith("  datapackage.json\n")
        )
    )
    (released.root / "releases/1.0.0/datapackage.json").unlink()
    assert release_errors(released) == [
        (
            "release-checksums-error",
            "releases/1.0.0/SHA256SUMS",
            "SHA256SUMS of release 1.0.0 does not list datapackage.json, so its contents cannot be verified",
        ),
    ]


@pytest.mark.slow
def test_a_file_swapped_for_a_symlink_is_an_error(released):
    f = released.root / "releases/1.0.0/schemas/actors.json"
    target = released.root / "schemas/actors.json"
    f.unlink()
    f.symlink_to(target)  # same bytes, but no longer the published file
    assert release_errors(released) == [
        (
            "release-tampered",
            "releases/1.0.0/schemas/actors.json",
            "schemas/actors.json was replaced by a symbolic link in published release 1.0.0",
        )
    ]


@pytest.mark.slow
def test_missing_or_malformed_checksums_are_errors(released):
    sums = released.root / "releases/1.0.0/SHA256SUMS"
    text = sums.read_text()
    sums.write_text("not a checksum\n" + text)
    assert release_errors(released) == [
        (
            "release-checksums-error",
            "releases/1.0.0/SHA256SUMS",
            "SHA256SUMS of release 1.0.0 cannot be read: line 1 is not '<sha256 hex>  <path>'",
        )
    ]
    sums.write_text(text.replace("  data/", "  ../data/", 1))
    assert [e[0] for e in release_errors(released)] == ["release-checksums-error"]
    sums.unlink()
    assert release_errors(released) == [
        (
            "release-checksums-error",
            "releases/1.0.0/SHA256SUMS",
            "release 1.0.0 has no SHA256SUMS; nothing in it can be verified",
        )
    ]


@pytest.mark.slow
def test_a_file_changed_with_its_checksum_is_caught_by_the_declared_hash(released):
    d = released.root / "releases/1.0.0"
    f = d / "data/actors.csv"
    old = sha256(f.read_bytes())
    data = f.read_bytes().replace(b"\n", b"\r\n", 1)
    f.write_bytes(data)
    sums = d / "SHA256SUMS"
    sums.write_text(sums.read_text().replace(old, sha256(data)))
    declared = next(r for r in json.loads((d / "datapackage.json").read_text())["resources"] if r["name"] == "actors")
    assert release_errors(released) == [
        (
            "resource-hash-mismatch",
            "releases/1.0.0/datapackage.json",
            f"resource 'actors' declares {declared['bytes']} bytes; data/actors.csv has {len(data)}",
        ),
        (
            "resource-hash-mismatch",
            "releases/1.0.0/datapackage.json",
            f"resource 'actors' declares hash {declared['hash']}, which data/actors.csv does not have",
        ),
    ]


@pytest.mark.slow
def test_validating_a_release_checks_its_declared_hashes(released):
    d = released.root / "releases/1.0.0"
    f = d / "data/actors.csv"
    declared = next(r for r in json.loads((d / "datapackage.json").read_text())["resources"] if r["name"] == "actors")
    lines = f.read_bytes().split(b"\n")
    lines[-3], lines[-2] = lines[-2], lines[-3]
    f.write_bytes(b"\n".join(lines))  # two rows swapped: same size, different bytes
    assert [(e.type, e.path, e.field) for e in validate(d).errors] == [
        ("resource-hash-mismatch", "datapackage.json", "hash")
    ]
    assert validate(d).errors[0].value == declared["hash"]


@pytest.mark.slow
def test_publish_takes_the_old_name_version_with_a_warning(pkg):
    write_changelog(pkg.root, "1.0.0")
    commit(pkg.root)
    corpus = str(synthetic().corpus)
    old = runner.invoke(app, ["publish", str(pkg.root), "--version", "1.0.0", "--corpus", corpus, "--dry-run"])
    assert old.exit_code == 0, old.output
    assert old.stderr == "warning: --version is deprecated here; use --release\n"
    new = runner.invoke(app, ["publish", str(pkg.root), "--release", "1.0.0", "--corpus", corpus, "--dry-run"])
    assert (new.exit_code, new.stderr) == (0, "")
    assert old.stdout == new.stdout
    both = runner.invoke(
        app, ["publish", str(pkg.root), "--release", "1.0.0", "--version", "1.0.1", "--corpus", corpus]
    )
    assert (both.exit_code, both.stderr) == (2, "Error: give --release only: --version is its deprecated name\n")
