"""natodata in other repositories' CI: the pre-commit hooks, the GitHub Action and the
"Use in CI" examples in docs/ci.md, each run for real."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT, Pkg, copy_package

HOOKS = ROOT / ".pre-commit-hooks.yaml"


def clean_env(**extra) -> dict:
    """The environment without the CI variables a test must not inherit, with a git
    identity for commits in scratch repositories."""
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR") and not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="natodata tests", GIT_AUTHOR_EMAIL="tests@natodata.invalid",
               GIT_COMMITTER_NAME="natodata tests", GIT_COMMITTER_EMAIL="tests@natodata.invalid", **extra)
    return env


def git_repo(directory: Path) -> Path:
    """Commit everything in ``directory`` as a new git repository."""
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "scratch"]):
        subprocess.run(["git", *args], cwd=directory, env=clean_env(), check=True, capture_output=True)
    return directory


# --- pre-commit --------------------------------------------------------------------

def test_hooks_manifest_is_valid_and_runs_on_package_files():
    from pre_commit.clientlib import load_manifest

    hooks = {h["id"]: h for h in load_manifest(str(HOOKS))}  # pre-commit's own schema check
    assert {i: (h["entry"], h["language"], h["pass_filenames"]) for i, h in hooks.items()} == {
        "natodata-validate": ("natodata validate", "python", False),
        "natodata-fmt-check": ("natodata fmt --check", "python", False)}

    def runs_on(hook: str, path: str) -> bool:  # pre-commit matches `files` with re.search
        return re.search(hooks[hook]["files"], path) is not None

    for path in ("datapackage.json", "data/events.csv", "sub/pkg/schemas/events.json", "releases/1.0.0/SHA256SUMS",
                 "pyproject.toml", "sub/pyproject.toml"):
        assert runs_on("natodata-validate", path), path
    for path in ("README.md", "src/natodata/cli.py", "docs/ci.md", "my-pyproject.toml", "SHA256SUMS.txt"):
        assert not runs_on("natodata-validate", path), path
    assert runs_on("natodata-fmt-check", "data/events.csv") and not runs_on("natodata-fmt-check", "pyproject.toml")


def checkout_copy(dest: Path) -> Path:
    """A git repository holding this checkout as it is now (tracked files and untracked
    ones git does not ignore), for `pre-commit try-repo`, which installs from a commit."""
    try:
        listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, env=clean_env(),
                                check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("the project is not a git checkout")
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    return git_repo(dest)


def offline_install_env(tmp: Path) -> dict:
    """An environment in which pip installs natodata from a checkout without any index:
    natodata's dependencies come from this test environment (on PYTHONPATH, natodata
    itself and pip left out) and the build backend too (no build isolation), so the
    install needs no network and takes seconds. pre-commit, virtualenv, pip and the
    hatchling build of the checkout are the real ones."""
    deps = tmp / "deps"
    deps.mkdir()
    site = Path(sysconfig.get_paths()["purelib"])
    own = re.compile(r"(natodata|_natodata|_editable_impl_natodata|__editable__.*natodata|pip|setuptools|wheel|"
                     r"_distutils_hack|distutils-precedence)([-._].*)?$", re.I)
    for entry in site.iterdir():
        if not own.match(entry.name) and entry.name != "__pycache__":
            (deps / entry.name).symlink_to(entry)
    return clean_env(PYTHONPATH=str(deps), PIP_NO_INDEX="1",
                     PIP_NO_BUILD_ISOLATION="0",  # sic: pip reads "0" here as --no-build-isolation
                     VIRTUALENV_NO_PERIODIC_UPDATE="1", PRE_COMMIT_HOME=str(tmp / "pre-commit-home"))


def try_repo(checkout: Path, target: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(checkout), *args, "--all-files"],
                          cwd=target, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_pre_commit_try_repo_passes_on_a_valid_package_and_fails_with_the_findings(tmp_path):
    checkout = checkout_copy(tmp_path / "natodata")
    env = offline_install_env(tmp_path)
    valid = git_repo(copy_package(tmp_path / "valid"))
    broken = Pkg(copy_package(tmp_path / "broken"))
    broken.set("sources", 2, "sha256", "xyz")
    rows = broken.rows("actor_aliases")
    rows[1], rows[2] = rows[2], rows[1]
    broken.write_rows("actor_aliases", rows)
    git_repo(broken.root)

    ok = try_repo(checkout, valid, env, "natodata-validate", "--verbose")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert re.search(r"^natodata validate\.+Passed$", ok.stdout, flags=re.M)
    # the hook ran the checkout's natodata on the package: its verdict and its note
    assert "\nvalid: 0 errors, 3 warnings\n" in ok.stdout
    assert "note: provenance checks skipped: give --corpus DIR to check rows against their articles" in ok.stdout

    failed = try_repo(checkout, broken.root, env)  # both hooks
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"^natodata validate\.+Failed$", failed.stdout, flags=re.M)
    assert re.search(r"^natodata fmt --check\.+Failed$", failed.stdout, flags=re.M)
    lines = failed.stdout.splitlines()
    assert "data/sources.csv:2: error pattern-constraint [sha256]: 'xyz' does not match the pattern [0-9a-f]{64}" in lines
    assert "invalid: 1 error, 4 warnings" in lines  # the swapped rows are not canonical: a warning
    assert "would reformat data/actor_aliases.csv" in lines
