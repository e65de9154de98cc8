"""The shipped package passes the external reference validator, frictionless."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def test_frictionless_validate_accepts_the_shipped_package():
    exe = Path(sys.executable).parent / "frictionless"
    found = str(exe) if exe.exists() else shutil.which("frictionless")
    if found is None:
        pytest.skip("the frictionless command is not installed")
    cmd = [found]
    proc = subprocess.run([*cmd, "validate", "datapackage.json"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
