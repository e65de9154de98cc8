"""The shipped package passes the external reference validator, frictionless."""

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_frictionless_validate_accepts_the_shipped_package():
    exe = Path(sys.executable).parent / "frictionless"
    cmd = [str(exe)] if exe.exists() else [shutil.which("frictionless")]
    proc = subprocess.run([*cmd, "validate", "datapackage.json"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
