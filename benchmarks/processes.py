#!/usr/bin/env python3
"""Compare ways of running ``natodata validate`` on one package, alternately, in one run.

    python benchmarks/processes.py PKG --repeats 3 -- "--workers 1" "--workers 2"
    python benchmarks/processes.py PKG -- "src=/work/main" ""      # another checkout against this one

Each variant is ``benchmarks/driver.py PKG <its options>`` (a variant's options as one
string); a variant starting ``src=DIR`` runs DIR's driver.py and DIR/src's natodata
instead (another commit's checkout). For every run: wall time, CPU time (user + sys of the process and the worker
processes it waited for, from ``os.wait4``) and the peak of the summed RSS of the process
and its descendants, sampled every 20 ms from /proc (``ru_maxrss`` is one process's peak:
it does not add a worker's memory to its parent's). Prints each run, then the medians and
the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from treerss import TreePeak  # noqa: E402

DRIVER = Path(__file__).with_name("driver.py")


def run_once(cmd: list[str], env: dict | None = None) -> dict:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    with TreePeak(proc.pid) as peak:
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    out = proc.stdout.read().strip() if proc.stdout else ""
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "tree_mib": peak.kib / 1024,
        "maxrss_mib": usage.ru_maxrss / 1024,
        "out": out,
        "status": status,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("package")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("variants", nargs="+", help="driver.py options of each variant, one string each")
    args = ap.parse_args()
    print(f"load before: {os.getloadavg()}")
    runs: dict[str, list[dict]] = {v: [] for v in args.variants}
    for i in range(args.repeats):
        for v in args.variants:
            opts, env, driver = shlex.split(v), None, DRIVER
            if opts and opts[0].startswith("src="):
                root = Path(opts.pop(0)[4:])
                driver, env = root / "benchmarks" / "driver.py", {**os.environ, "PYTHONPATH": str(root / "src")}
            r = run_once([sys.executable, str(driver), args.package, *opts], env)
            runs[v].append(r)
            print(
                f"{i + 1} {v!r}: wall {r['wall']:.2f} s, cpu {r['cpu']:.2f} s, tree peak {r['tree_mib']:.0f} MiB, "
                f"ru_maxrss {r['maxrss_mib']:.0f} MiB, load {os.getloadavg()[0]:.2f}: {r['out']}",
                flush=True,
            )
    print(f"load after: {os.getloadavg()}")
    for v, rs in runs.items():
        med = {k: statistics.median(r[k] for r in rs) for k in ("wall", "cpu", "tree_mib", "maxrss_mib")}
        print(
            f"median {v!r}: wall {med['wall']:.2f} s, cpu {med['cpu']:.2f} s, tree peak {med['tree_mib']:.0f} MiB, "
            f"ru_maxrss {med['maxrss_mib']:.0f} MiB"
        )


if __name__ == "__main__":
    main()
