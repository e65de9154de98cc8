"""The CLI's process set-up: pandera without its hypothesis extra, hypothesis still
importable afterwards, and jemalloc as pyarrow's pool; in a fresh interpreter, as the CLI
runs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from natodata.runtime import prepare
prepare()
import pyarrow as pa
before = "hypothesis" in sys.modules
from natodata.checks import validate  # the checks import pandera's registration machinery
after_checks = "hypothesis" in sys.modules
import pandera.strategies.base_strategies as bs
import hypothesis  # still importable for whoever wants it
print(json.dumps({"before": before, "after_checks": after_checks, "pandera_strategies": bs.HAS_HYPOTHESIS,
                  "pool": pa.default_memory_pool().backend_name}))
"""


@pytest.mark.slow  # a fresh interpreter each
def test_prepare_leaves_hypothesis_alone_and_picks_jemalloc():
    pytest.importorskip("hypothesis")
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    got = json.loads(out)
    assert got["before"] is False and got["after_checks"] is False and got["pandera_strategies"] is False
    import pyarrow as pa

    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        pytest.skip("pyarrow built without jemalloc")
    assert got["pool"] == "jemalloc"


@pytest.mark.slow
def test_the_console_script_exits_with_the_verdict_and_all_its_output(tmp_path):
    """``main`` leaves with os._exit: the report must still be complete and the code right."""
    from tests.helpers import copy_package

    pkg = copy_package(tmp_path / "pkg")
    ok = subprocess.run(
        [sys.executable, "-m", "natodata", "validate", str(pkg), "--format", "json"], capture_output=True, text=True
    )
    assert ok.returncode == 0
    report = json.loads(ok.stdout)  # the whole document reached the pipe
    assert report["valid"] is True and report["warnings"] == len(report["findings"])
    bad = subprocess.run(
        [sys.executable, "-m", "natodata", "validate", str(tmp_path / "missing")], capture_output=True, text=True
    )
    assert bad.returncode == 2 and bad.stderr.startswith("Error: ")
