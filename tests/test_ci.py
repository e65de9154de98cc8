"""natodata in other repositories' CI: the pre-commit hooks, the GitHub Action and the
"Use in CI" examples in docs/ci.md, each run for real."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.helpers import ROOT, Pkg, copy_package

HOOKS = ROOT / ".pre-commit-hooks.yaml"


def clean_env(**extra) -> dict:
    """The environment without the CI variables a test must not inherit, with a git
    identity for commits in scratch repositories."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR") and not k.startswith("GIT_")
    }
    env.update(
        GIT_AUTHOR_NAME="natodata tests",
        GIT_AUTHOR_EMAIL="tests@natodata.invalid",
        GIT_COMMITTER_NAME="natodata tests",
        GIT_COMMITTER_EMAIL="tests@natodata.invalid",
        **extra,
    )
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
        "natodata-fmt-check": ("natodata fmt --check", "python", False),
    }

    def runs_on(hook: str, path: str) -> bool:  # pre-commit matches `files` with re.search
        return re.search(hooks[hook]["files"], path) is not None

    for path in (
        "datapackage.json",
        "data/events.csv",
        "sub/pkg/schemas/events.json",
        "releases/1.0.0/SHA256SUMS",
        "pyproject.toml",
        "sub/pyproject.toml",
    ):
        assert runs_on("natodata-validate", path), path
    for path in ("README.md", "src/natodata/cli.py", "docs/ci.md", "my-pyproject.toml", "SHA256SUMS.txt"):
        assert not runs_on("natodata-validate", path), path
    assert runs_on("natodata-fmt-check", "data/events.csv") and not runs_on("natodata-fmt-check", "pyproject.toml")


def checkout_copy(dest: Path) -> Path:
    """A git repository holding this checkout as it is now (tracked files and untracked
    ones git does not ignore), for `pre-commit try-repo`, which installs from a commit."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"],
            cwd=ROOT,
            env=clean_env(),
            check=True,
            capture_output=True,
            text=True,
        ).stdout
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
    own = re.compile(
        r"(natodata|_natodata|_editable_impl_natodata|__editable__.*natodata|pip|setuptools|wheel|"
        r"_distutils_hack|distutils-precedence)([-._].*)?$",
        re.I,
    )
    for entry in site.iterdir():
        if not own.match(entry.name) and entry.name != "__pycache__":
            (deps / entry.name).symlink_to(entry)
    return clean_env(
        PYTHONPATH=str(deps),
        PIP_NO_INDEX="1",
        PIP_NO_BUILD_ISOLATION="0",  # sic: pip reads "0" here as --no-build-isolation
        VIRTUALENV_NO_PERIODIC_UPDATE="1",
        PRE_COMMIT_HOME=str(tmp / "pre-commit-home"),
    )


def try_repo(checkout: Path, target: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(checkout), *args, "--all-files"],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


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
    assert "\nvalid: 0 errors, 2 warnings\n" in ok.stdout
    assert "note: provenance checks skipped: give --corpus DIR to check rows against their articles" in ok.stdout

    failed = try_repo(checkout, broken.root, env)  # both hooks
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"^natodata validate\.+Failed$", failed.stdout, flags=re.M)
    assert re.search(r"^natodata fmt --check\.+Failed$", failed.stdout, flags=re.M)
    lines = failed.stdout.splitlines()
    assert (
        "data/sources.csv:2: error pattern-constraint [sha256]: 'xyz' does not match the pattern [0-9a-f]{64}" in lines
    )
    assert "invalid: 1 error, 3 warnings" in lines  # the swapped rows are not canonical: a warning
    assert "would reformat data/actor_aliases.csv" in lines


# --- the GitHub Action -------------------------------------------------------------


def action_steps() -> dict:
    import yaml

    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    return {step.get("name", step.get("uses")): step for step in action["runs"]["steps"]}


def github_expr(text: str, inputs: dict, action_path: Path, context: dict | None = None) -> str:
    """``text`` with the expressions GitHub would substitute: ``inputs.*`` (defaults from
    action.yml), ``github.action_path`` and those ``context`` gives (``runner.temp``,
    the setup-python step's outputs); any other expression fails the test."""
    import yaml

    declared = yaml.safe_load((ROOT / "action.yml").read_text())["inputs"]
    assert set(inputs) <= set(declared), set(inputs) - set(declared)
    context = {"steps.setup-python.outputs.python-path": sys.executable, **(context or {})}

    def value(m: re.Match) -> str:
        expr = m.group(1)
        if expr == "github.action_path":
            return str(action_path)
        if expr in context:
            return context[expr]
        name = expr.removeprefix("inputs.")
        assert name in declared, f"unknown expression {expr}"
        return inputs.get(name, declared[name].get("default", ""))

    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", value, str(text))


def run_step(
    step: dict,
    inputs: dict,
    workspace: Path,
    action_path: Path = ROOT,
    env: dict | None = None,
    bin_dir: Path = Path(sys.executable).parent,
    context: dict | None = None,
) -> subprocess.CompletedProcess:
    """Run a `run:` step of the action as a GitHub runner would: bash in the workspace,
    its env with expressions substituted, natodata on PATH, and $GITHUB_OUTPUT and
    $GITHUB_PATH files (in ``context["runner.temp"]``, if given)."""
    assert step["shell"] == "bash"
    env = dict(
        clean_env() if env is None else env, GITHUB_WORKSPACE=str(workspace), GITHUB_ACTION_PATH=str(action_path)
    )
    if context and "runner.temp" in context:
        env.update(GITHUB_OUTPUT=f"{context['runner.temp']}/output", GITHUB_PATH=f"{context['runner.temp']}/path")
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env.update({k: github_expr(v, inputs, action_path, context) for k, v in step.get("env", {}).items()})
    return subprocess.run(
        ["bash", "-e", "-c", github_expr(step["run"], inputs, action_path, context)],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_action_sets_up_its_own_python_and_caches_pip():
    steps = action_steps()
    assert list(steps) == [
        "actions/setup-python@v5",
        "Key of pip's cache",
        "actions/cache@v4",
        "Install natodata at the action's ref",
        "natodata validate",
    ]
    python = steps["actions/setup-python@v5"]
    assert ("if" not in python, python["with"]) == (
        True,
        {"python-version": "${{ inputs.python-version || '3.12' }}", "update-environment": False},
    )
    assert steps["actions/cache@v4"]["with"]["path"] == "${{ steps.pip-key.outputs.dir }}"
    install = steps["Install natodata at the action's ref"]
    assert install["env"]["PYTHON"] == "${{ steps.setup-python.outputs.python-path }}"
    assert install["run"].splitlines() == [
        '"$PYTHON" -m venv "$VENV"',
        '"$VENV/bin/python" -m pip install --disable-pip-version-check --quiet "${{ github.action_path }}"',
        'echo "$VENV/bin" >> "$GITHUB_PATH"',
    ]


def test_action_keys_pips_cache_on_its_dependencies(tmp_path):
    (tmp_path / "runner").mkdir()
    context = {"runner.temp": str(tmp_path / "runner")}
    result = run_step(action_steps()["Key of pip's cache"], {}, tmp_path, context=context)
    assert result.returncode == 0, result.stderr
    out = dict(line.split("=", 1) for line in (tmp_path / "runner" / "output").read_text().splitlines())
    import hashlib

    assert out == {
        "dir": subprocess.run(
            [sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True, check=True
        ).stdout.strip(),
        "key": hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16],
    }


@pytest.mark.slow
def test_action_validates_the_shipped_package(shipped, corpus):
    step = action_steps()["natodata validate"]
    result = run_step(step, {"corpus": str(corpus), "args": "--strict  --ignore claim-disagreement"}, shipped)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        f"natodata validate . --format github --corpus {corpus} --strict --ignore claim-disagreement\n"
        "valid: 0 errors, 0 warnings, 2 ignored (strict: warnings fail)\n"
    )


@pytest.mark.slow  # a natodata process: seconds
def test_action_annotates_a_package_in_a_subfolder(tmp_path):
    pkg = Pkg(copy_package(tmp_path / "sub"))
    pkg.set("sources", 2, "sha256", "xyz")
    result = run_step(action_steps()["natodata validate"], {"package": "sub", "args": "--ignore rules"}, tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "natodata validate sub --format github --ignore rules",
        "::error file=sub/data/sources.csv,line=2,title=pattern-constraint::sha256: 'xyz' does not match the pattern [0-9a-f]{64}",
        "invalid: 1 error, 0 warnings, 2 ignored",
    ]
    assert result.stderr == "note: provenance checks skipped: give --corpus DIR to check rows against their articles\n"


@pytest.mark.slow
def test_action_installs_natodata_from_its_own_ref(tmp_path):
    """The install step, then the validate step with what it installed: a fresh venv,
    natodata built from a copy of this checkout (the action's ref), offline."""
    checkout = checkout_copy(tmp_path / "action")
    (tmp_path / "runner").mkdir()
    context = {"runner.temp": str(tmp_path / "runner")}
    venv = tmp_path / "runner" / "natodata-venv"
    env = offline_install_env(tmp_path)
    steps = action_steps()
    install = run_step(steps["Install natodata at the action's ref"], {}, tmp_path, checkout, env, context=context)
    assert install.returncode == 0, install.stdout + install.stderr
    assert (tmp_path / "runner" / "path").read_text() == f"{venv / 'bin'}\n"  # on PATH for the next steps
    copy_package(tmp_path / "pkg")
    result = run_step(steps["natodata validate"], {"package": "pkg"}, tmp_path, checkout, env, venv / "bin")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "valid: 0 errors, 2 warnings"
    shown = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import natodata; print(natodata.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert shown.startswith(str(venv)), shown  # the action's own natodata, not this environment's


# --- docs/ci.md: every example parses, and its commands run ---------------------------

CI_DOC = ROOT / "docs" / "ci.md"
PIN = 'pip install "natodata @ git+https://github.com/${NATODATA_REPOSITORY}@${NATODATA_REF}"'


def doc_blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", CI_DOC.read_text(), flags=re.S | re.M)


def doc_examples() -> dict[str, list]:
    """The YAML examples, parsed, by kind: GitHub workflows, GitLab jobs, pre-commit configs."""
    import yaml

    kinds = {"github": [], "gitlab": [], "pre-commit": []}
    for block in doc_blocks("yaml"):
        doc = yaml.safe_load(block)
        kinds["github" if "jobs" in doc else "pre-commit" if "repos" in doc else "gitlab"].append(doc)
    return kinds


def doc_commands() -> list[tuple[str, object]]:
    """Every command of the examples, as (kind, command): shell lines, and the action's
    inputs for a step that uses it."""
    from pre_commit.clientlib import load_manifest

    entries = {h["id"]: h["entry"] for h in load_manifest(str(HOOKS))}
    examples = doc_examples()
    out = []
    for workflow in examples["github"]:
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if step.get("uses") == "./.natodata":  # the action, from the checkout of NATODATA_REF
                    out.append(("action", {k: str(v) for k, v in step.get("with", {}).items()}))
                elif "run" in step:
                    out.append(("shell", step["run"]))
    for jobs in examples["gitlab"]:
        out += [("shell", line) for job in jobs.values() for line in job["script"]]
    for config in examples["pre-commit"]:
        for hook in config["repos"][0]["hooks"]:
            out.append(("shell", " ".join([entries[hook["id"]], *hook.get("args", [])])))
    return out


def test_ci_doc_examples_parse_and_pin_this_version(tmp_path):
    import tomllib

    import yaml
    from packaging.requirements import Requirement
    from pre_commit.clientlib import load_config

    from natodata import __version__
    from natodata.selection import read_config

    examples = doc_examples()
    assert {k: len(v) for k, v in examples.items()} == {"github": 2, "gitlab": 2, "pre-commit": 1}
    tag = f"v{__version__}"
    for config in examples["pre-commit"]:
        (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
        load_config(str(tmp_path / ".pre-commit-config.yaml"))  # pre-commit's own schema check
        assert config["repos"][0]["rev"] == tag
    steps = [s for w in examples["github"] for j in w["jobs"].values() for s in j["steps"]]
    checkout = next(s for s in steps if s.get("with", {}).get("path") == ".natodata")
    assert (checkout["uses"], checkout["with"]) == (
        "actions/checkout@v4",
        {"repository": "${{ vars.NATODATA_REPOSITORY }}", "ref": "${{ vars.NATODATA_REF }}", "path": ".natodata"},
    )
    assert "./.natodata" in [s.get("uses") for s in steps]
    pins = [c for kind, c in doc_commands() if kind == "shell" and c.startswith("pip ")] + doc_blocks("sh")
    assert [p.strip() for p in pins] == [PIN] * 4
    for repository, ref in (
        ("your-org/natodata", tag),
        ("your-org/natodata", "0123456789abcdef0123456789abcdef01234567"),
    ):
        line = PIN.replace("${NATODATA_REPOSITORY}", repository).replace("${NATODATA_REF}", ref)
        req = Requirement(line.removeprefix("pip install ").strip('"'))
        assert (req.name, req.url) == ("natodata", f"git+https://github.com/{repository}@{ref}")
    by_hand = next(s for s in steps if s.get("run", "").startswith("pip "))
    assert by_hand["env"] == {
        "NATODATA_REPOSITORY": "${{ vars.NATODATA_REPOSITORY }}",
        "NATODATA_REF": "${{ vars.NATODATA_REF }}",
    }
    for text in (CI_DOC, ROOT / "README.md", ROOT / "action.yml", HOOKS):
        assert "OWNER" not in text.read_text(), text
    [pin] = doc_blocks("sh")
    assert f"```sh\n{pin}```" in (ROOT / "README.md").read_text()  # the README pins the same way
    [toml] = doc_blocks("toml")
    (tmp_path / "pyproject.toml").write_text(toml)
    assert read_config(tmp_path / "pyproject.toml").types()  # the settings name real finding types
    assert tomllib.loads(toml)["tool"]["natodata"] == {"ignore": ["claim-disagreement"], "strict": True}


@pytest.mark.slow
def test_ci_doc_commands_run(tmp_path, shipped, corpus):
    """Each command of docs/ci.md in a repository holding the shipped package, the
    corpus in corpus/ and the documented [tool.natodata] settings: all pass, and the
    report files they write are what GitLab reads."""
    import jsonschema
    from junitparser import JUnitXml

    from tests.test_report import gitlab_schema

    workspace = copy_package(tmp_path / "repo", shipped)
    (workspace / "corpus").symlink_to(corpus)
    [toml] = doc_blocks("toml")
    (workspace / "pyproject.toml").write_text(toml)
    ran = 0
    for kind, command in doc_commands():
        if kind == "action":
            result = run_step(action_steps()["natodata validate"], command, workspace)
        elif command.startswith("pip "):
            continue  # needs the network; the pinned requirement is checked above
        else:
            env = dict(clean_env(), PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
            result = subprocess.run(
                ["bash", "-e", "-c", command], cwd=workspace, env=env, capture_output=True, text=True
            )
        assert result.returncode == 0, (command, result.stdout, result.stderr)
        ran += 1
    assert ran == 6
    jsonschema.validate(json.loads((workspace / "gl-code-quality-report.json").read_text()), gitlab_schema())
    suites = JUnitXml.fromfile(str(workspace / "natodata-junit.xml"))
    assert (suites.tests, suites.failures) == (2, 0)  # a passing package, and the configuration it used
    assert [s.name for s in suites] == ["natodata validate", "natodata-configuration"]
