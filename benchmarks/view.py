#!/usr/bin/env python3
"""Time ``natodata view`` on the shipped package and the corpus beside the repository.

    .venv/bin/python benchmarks/view.py [--repeats 5] [--corpus ../shared/corpus]

Each run is a subprocess, ``natodata view --corpus CORPUS -o TMP ROOT``, writing into a
fresh temporary directory that is removed afterwards (the pages hold the articles' text).
It prints, per run, the wall time, the CPU time and peak RSS of that very child
(``os.wait4``) and the 1-minute load average before it, then the medians, as a Markdown
table for docs/benchmarks.md. The target (issue 25): an index and five article pages in
under 5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_once(corpus: Path) -> dict:
    natodata = Path(sys.executable).parent / "natodata"
    with tempfile.TemporaryDirectory(prefix="natodata-view-bench-") as tmp:
        load = os.getloadavg()[0]
        start = time.perf_counter()
        proc = subprocess.Popen(
            [str(natodata), "view", "--corpus", str(corpus), "-o", tmp, str(ROOT)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out, err = proc.stdout.read(), proc.stderr.read()
        proc.stdout.close(), proc.stderr.close()
        if os.waitstatus_to_exitcode(status) != 0 or "5 article pages" not in out:
            raise SystemExit(f"natodata view failed: {out}{err}")
        pages = sorted(p.name for p in Path(tmp).iterdir())
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "load": load,
        "files": len(pages),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = ap.parse_args(argv)
    runs = [run_once(args.corpus) for _ in range(args.repeats)]
    print("| run | wall s | CPU s | peak RSS MB | load (1 min) |\n| --- | --- | --- | --- | --- |")
    for i, r in enumerate(runs, 1):
        print(f"| {i} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['rss_mb']:.0f} | {r['load']:.1f} |")
    med = {k: statistics.median(r[k] for r in runs) for k in ("wall", "cpu", "rss_mb", "load")}
    print(f"| median | {med['wall']:.2f} | {med['cpu']:.2f} | {med['rss_mb']:.0f} | {med['load']:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
