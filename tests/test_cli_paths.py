"""One way to find a package: every command, given a path that does not exist (a typo
beside a real package, or nowhere at all), says so and exits 2; none reads the parent
directory's package. And one rule for which data a command reads: the working copy of
the package named, or with --release one of *its* releases."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import natodata
from natodata.cli import app
from natodata.errors import UnreadableInput

# Whole-package validations, seconds in all: run by CI's `pytest -m slow` to keep the default suite under 30 s.
pytestmark = pytest.mark.slow

runner = CliRunner()

SCHEMA = {"fields": [{"name": "id", "type": "string"}], "primaryKey": ["id"]}


def tiny_package(root, rows=("a", "b")):
    """A valid package of one table, so a command that wrongly fell back to it would succeed."""
    (root / "data").mkdir(parents=True)
    (root / "data" / "t.csv").write_text("id\n" + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    (root / "datapackage.json").write_text(
        json.dumps(
            {
                "name": "tiny",
                "version": "1.0.0",
                "resources": [{"name": "t", "path": "data/t.csv", "format": "csv", "schema": SCHEMA}],
            }
        ),
        encoding="utf-8",
    )
    return root


def commands(package, other):
    """Every command's command line naming ``package``; ``other`` is a real package."""
    return {
        "validate": ["validate", package],
        "fmt": ["fmt", package],
        "anchor": ["anchor", package, "--corpus", other],
        "add-source": ["add-source", "article.txt", "--package", package, "--corpus", other],
        "agree": ["agree", package, other],
        "stats": ["stats", package],
        "claims": ["claims", package],
        "codebook": ["codebook", package],
        "docs": ["docs", package],
        "export": ["export", package, "--sqlite", f"{other}/out.db"],
        "serve": ["serve", package, "--port", "1"],
        "timeline": ["timeline", package, "--output", f"{other}/t.svg"],
        "view": ["view", package, "--corpus", other, "--output", f"{other}/site"],
        "publish": ["publish", package, "--release", "2.0.0", "--corpus", other],
        "diff": ["diff", package, other],
        "diff -p": ["diff", "1.0.0", "1.0.0", "-p", package],
    }


@pytest.mark.parametrize("command", list(commands("", "")))
@pytest.mark.parametrize("where", ["typo", "nowhere"])
def test_every_command_refuses_a_path_that_does_not_exist(tmp_path, command, where):
    pkg = tiny_package(tmp_path / "pkg")
    missing = pkg / "typo-dir" if where == "typo" else tmp_path / "does-not-exist" / "pkg"
    (pkg / "article.txt").write_text("An article.\n", encoding="utf-8")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = runner.invoke(app, commands(str(missing), str(pkg))[command])
    assert (result.exit_code, result.output) == (2, f"Error: data package descriptor not found: {missing}\n")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing written


@pytest.mark.parametrize("command", ["claims", "codebook", "export", "serve", "stats", "timeline", "view"])
def test_a_release_of_a_missing_package_is_not_the_shipped_one(tmp_path, command):
    missing = tmp_path / "does-not-exist"
    line = [command, str(missing), "--release", "1.1.0"] + {
        "export": ["--sqlite", str(tmp_path / "x.db")],
        "view": ["--corpus", str(tmp_path)],
    }.get(command, [])
    result = runner.invoke(app, line)
    assert (result.exit_code, result.output) == (2, f"Error: data package descriptor not found: {missing}\n")


def test_a_directory_without_a_descriptor_is_not_found(tmp_path):
    result = runner.invoke(app, ["claims", str(tmp_path)])
    assert (result.exit_code, result.output) == (
        2,
        f"Error: data package descriptor not found: {tmp_path / 'datapackage.json'}\n",
    )


def test_load_refuses_a_missing_path(tmp_path):
    tiny_package(tmp_path / "pkg")
    with pytest.raises(UnreadableInput) as exc:
        natodata.load(path=tmp_path / "pkg" / "typo-dir")
    assert str(exc.value) == f"data package descriptor not found: {tmp_path / 'pkg' / 'typo-dir'}"


def published(tmp_path):
    """A package whose release 1.0.0 holds rows a, b and whose working copy a, b, c."""
    from natodata.checksums import file_digest, sums_text

    pkg = tiny_package(tmp_path / "pkg", rows=("a", "b", "c"))
    release = tiny_package(pkg / "releases" / "1.0.0")
    files = {p.relative_to(release).as_posix(): file_digest(p) for p in release.rglob("*") if p.is_file()}
    (release / "SHA256SUMS").write_text(sums_text(files), encoding="utf-8")
    return pkg


def test_release_reads_the_named_packages_release(tmp_path):
    pkg = published(tmp_path)
    assert len(natodata.load(path=pkg)["t"]) == 3  # the working copy, by default
    assert len(natodata.load(path=pkg, version="working")["t"]) == 3
    assert len(natodata.load(path=pkg, version="1.0.0")["t"]) == 2
    assert len(natodata.load(path=pkg, version="latest")["t"]) == 2
    result = runner.invoke(app, ["stats", str(pkg), "--release", "2.0.0"])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: release 2.0.0 of {pkg} is not published (published: 1.0.0; or 'latest', or 'working' for the working copy)\n",
    )


def test_every_data_command_reads_the_same_data(tmp_path):
    pkg = published(tmp_path)
    out = tmp_path / "out"
    for release, rows in ((None, 3), ("working", 3), ("1.0.0", 2), ("latest", 2)):
        choice = ["--release", release] if release else []
        result = runner.invoke(app, ["export", str(pkg), "--sqlite", str(out / f"{release}.db"), *choice])
        assert (result.exit_code, result.output) == (0, f"wrote {out / f'{release}.db'}: 1 tables, {rows} rows\n")
        result = runner.invoke(app, ["codebook", str(pkg), "-o", str(out / f"{release}.md"), *choice])
        assert result.exit_code == 0
        assert f"File `data/t.csv`; schema `None`; {rows} rows." in (out / f"{release}.md").read_text()


def test_version_is_a_deprecated_alias_of_release(tmp_path):
    pkg = published(tmp_path)
    result = runner.invoke(app, ["export", str(pkg), "--sqlite", str(tmp_path / "a.db"), "--version", "1.0.0"])
    assert (result.exit_code, result.output) == (
        0,
        f"warning: --version is deprecated here; use --release\nwrote {tmp_path / 'a.db'}: 1 tables, 2 rows\n",
    )
    result = runner.invoke(
        app, ["export", str(pkg), "--sqlite", str(tmp_path / "a.db"), "--version", "1.0.0", "--release", "latest"]
    )
    assert (result.exit_code, result.output) == (2, "Error: give --release only: --version is its deprecated name\n")
    assert "--version" not in runner.invoke(app, ["export", "--help"]).output


def test_the_codebook_says_which_data_it_describes(tmp_path):
    pkg = published(tmp_path)
    result = runner.invoke(app, ["codebook", str(pkg), "--release", "1.0.0"])
    assert (result.exit_code, result.output) == (
        2,
        f"Error: give --output FILE for the codebook of {pkg / 'releases' / '1.0.0'}: the default, docs/CODEBOOK.md, "
        "is the working copy's\n",
    )
    runner.invoke(app, ["codebook", str(pkg), "--release", "1.0.0", "-o", str(tmp_path / "r.md")])
    runner.invoke(app, ["codebook", str(pkg)])
    assert (tmp_path / "r.md").read_text().splitlines()[6] == (
        'This codebook describes release 1.0.0 of package `tiny`, as `natodata.load(version="1.0.0")` and '
        "`--release 1.0.0` read it."
    )
    assert (pkg / "docs" / "CODEBOOK.md").read_text().splitlines()[6] == (
        "This codebook describes the working copy of package `tiny` (its descriptor says version 1.0.0), unreleased "
        "changes included, as `natodata.load()` and the commands read it by default. The latest published release is "
        '1.0.0 (`load(version="1.0.0")`, `--release 1.0.0`); its tables may differ.'
    )
