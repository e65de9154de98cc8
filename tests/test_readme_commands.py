"""The README's commands run as printed after its Quick start, and the files the
documented commands write stay out of git."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT


def quick_start() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, flags=re.S).group(1).splitlines()


def test_the_quick_start_puts_natodata_on_path():
    assert quick_start() == [
        'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/natodata validate --corpus ../shared/corpus',
        ". .venv/bin/activate   # puts natodata on PATH: the commands below run as printed",
    ]
    venv = Path(sys.prefix)
    if not (venv / "bin" / "activate").is_file():
        pytest.skip("the tests do not run in a venv")
    from natodata import __version__

    # The activate line, run in the venv the tests use: a bare `natodata` is then found.
    line = quick_start()[1].replace(".venv", str(venv))
    result = subprocess.run(
        ["bash", "-c", f"{line}\nnatodata --version"], env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True
    )
    from natodata.layout import published_versions, shipped_package

    latest = published_versions(shipped_package())[-1]
    assert (result.returncode, result.stdout) == (0, f"natodata {__version__}\ndata release {latest}\n")


def test_the_default_export_outputs_are_ignored_by_git():
    outputs = ["natodata.db", "metadata.json", "parquet/events.parquet"]
    try:
        result = subprocess.run(["git", "check-ignore", *outputs], cwd=ROOT, capture_output=True, text=True)
    except OSError:
        pytest.skip("git is not installed")
    if result.returncode == 128:
        pytest.skip("the project is not a git checkout")
    assert result.stdout.splitlines() == outputs
    listed = subprocess.run(
        ["git", "check-ignore", "data/events.csv", "docs/metadata.json"], cwd=ROOT, capture_output=True, text=True
    )
    assert listed.stdout == ""  # only the outputs at the root, not the package's own files
