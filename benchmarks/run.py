#!/usr/bin/env python3
"""Time ``natodata validate`` against ``frictionless validate`` on synthetic packages.

    .venv/bin/python benchmarks/run.py [--sizes 10k,100k,1M] [--repeats 3] [--fl-repeats-1m 3]

For each size N it (re)generates ``benchmarks/out/nN`` with ``generate.py`` when the
copy is missing or its schemas differ from the repository's, then runs each validator
as a subprocess ``--repeats`` times and records the wall time and the peak RSS of each
run (from ``os.wait4``'s rusage of that very child). ``natodata --help`` is timed
``--help-repeats`` times. Results go to ``benchmarks/results.json`` and
``benchmarks/results.md``; the docs quote the markdown table.

Both validators must accept every package: natodata with ``valid: 0 errors, 0 warnings``
and frictionless with exit 0. A run that does not is reported and fails the benchmark.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from generate import parse_n, write_package  # noqa: E402


def tool(name: str) -> str:
    """The console script from the interpreter's own environment, else from PATH."""
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"run.py: {name} not found next to {sys.executable} or on PATH")
    return found


def run_once(cmd: list[str]) -> dict:
    """Run ``cmd``; return wall seconds, CPU seconds, peak RSS (MiB), exit code and the output's last line."""
    with open(os.devnull, "wb") as devnull:
        out = HERE / "out" / ".last-stdout"
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "wb") as fh:
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, stdin=devnull)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    lines = out.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "max_rss_mib": usage.ru_maxrss / 1024,
            "exit": proc.returncode, "last_line": lines[-1] if lines else ""}


def ensure_package(n: int, outdir: Path) -> Path:
    """Generate the package unless an up-to-date copy (same descriptor and schemas) exists."""
    fresh = (outdir / "datapackage.json").exists() and filecmp.cmp(ROOT / "datapackage.json", outdir / "datapackage.json", shallow=False)
    if fresh:
        cmp = filecmp.dircmp(ROOT / "schemas", outdir / "schemas")
        fresh = not (cmp.left_only or cmp.right_only or cmp.diff_files or cmp.funny_files)
        fresh = fresh and all((outdir / "data" / f"{r['name']}.csv").exists()
                              for r in json.loads((ROOT / "datapackage.json").read_text())["resources"])
    if not fresh:
        print(f"generating {outdir} (N={n}) ...", file=sys.stderr, flush=True)
        if outdir.exists():
            shutil.rmtree(outdir)
        write_package(n, outdir)
    return outdir


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024**2:.1f} GiB"
    except (OSError, StopIteration):
        pass
    versions = {}
    for pkg in ("natodata", "frictionless", "pandas", "pyarrow", "pandera", "numpy", "typer"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True,
                                text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {"commit": commit, "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "cpu": cpu, "ram": mem, "os": platform.platform(), "python": platform.python_version(),
            "versions": versions}


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def bench(sizes: list[int], repeats: int, fl_repeats_1m: int, help_repeats: int, skip_frictionless: bool) -> dict:
    natodata, frictionless = tool("natodata"), tool("frictionless")
    results = {"started": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
               "loadavg_start": os.getloadavg(), "sizes": []}
    ok = True
    for n in sizes:
        pkg = ensure_package(n, HERE / "out" / f"n{n}")
        data_bytes = sum(p.stat().st_size for p in (pkg / "data").glob("*.csv"))
        entry = {"n": n, "csv_mb": data_bytes / 1e6, "natodata": [], "frictionless": []}
        for i in range(repeats):
            r = run_once([natodata, "validate", str(pkg)])
            entry["natodata"].append(r)
            print(f"N={n} natodata run {i + 1}: {r['wall_s']:.2f} s, {r['max_rss_mib']:.0f} MiB, exit {r['exit']}: {r['last_line']}",
                  file=sys.stderr, flush=True)
            if r["exit"] != 0 or r["last_line"] != "valid: 0 errors, 0 warnings":
                ok = False
        fl_runs = 0 if skip_frictionless else (fl_repeats_1m if n >= 1_000_000 else repeats)
        for i in range(fl_runs):
            r = run_once([frictionless, "validate", str(pkg / "datapackage.json")])
            entry["frictionless"].append(r)
            print(f"N={n} frictionless run {i + 1}: {r['wall_s']:.2f} s, {r['max_rss_mib']:.0f} MiB, exit {r['exit']}",
                  file=sys.stderr, flush=True)
            if r["exit"] != 0:
                ok = False
        for tool_name in ("natodata", "frictionless"):
            runs = entry[tool_name]
            if runs:
                entry[f"{tool_name}_median_s"] = median(runs, "wall_s")
                entry[f"{tool_name}_median_cpu_s"] = median(runs, "cpu_s")
                entry[f"{tool_name}_max_rss_mib"] = max(r["max_rss_mib"] for r in runs)
        if entry["frictionless"]:
            entry["speedup"] = entry["frictionless_median_s"] / entry["natodata_median_s"]
        results["sizes"].append(entry)
    helps = [run_once([natodata, "--help"]) for _ in range(help_repeats)]
    results["help"] = {"runs": helps, "median_s": median(helps, "wall_s"), "max_rss_mib": max(h["max_rss_mib"] for h in helps)}
    results["loadavg_end"] = os.getloadavg()
    results["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    results["all_valid"] = ok and all(h["exit"] == 0 for h in helps)
    return results


def scaling(sizes: list[dict], key: str) -> list[str]:
    """Between consecutive sizes: the exponent k in time ~ N^k (1.00 = linear; fixed start-up
    costs pull it below 1) and the marginal cost in seconds per 100,000 extra rows."""
    out = []
    for a, b in zip(sizes, sizes[1:]):
        if a.get(key) and b.get(key):
            k = math.log(b[key] / a[key]) / math.log(b["n"] / a["n"])
            marginal = (b[key] - a[key]) / (b["n"] - a["n"]) * 100_000
            out.append(f"{a['n']:,}→{b['n']:,}: k = {k:.2f}, {marginal:.2f} s per 100k rows")
    return out


def markdown(res: dict) -> str:
    m = res["machine"]
    v = m["versions"]
    lines = [
        "| rows in large tables | CSV (MB) | natodata validate (s) | natodata peak RSS (MiB) | frictionless validate (s) | frictionless peak RSS (MiB) | speedup |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for e in res["sizes"]:
        fl_runs = len(e["frictionless"])
        fl = f"{e['frictionless_median_s']:.2f}" + (f" ({fl_runs} run{'s' * (fl_runs != 1)})" if fl_runs != len(e["natodata"]) else "") if fl_runs else "—"
        fl_rss = f"{e['frictionless_max_rss_mib']:.0f}" if fl_runs else "—"
        lines.append(f"| {e['n']:,} | {e['csv_mb']:.0f} | {e['natodata_median_s']:.2f} | {e['natodata_max_rss_mib']:.0f} | {fl} | "
                     f"{fl_rss} | " + (f"{e['speedup']:.1f}×" if "speedup" in e else "—") + " |")
    h = res["help"]
    lines += [
        "",
        f"`natodata --help`: median {h['median_s']:.3f} s over {len(h['runs'])} runs.",
        "",
        "Scaling of the median times (k: exponent in time ~ N^k; the marginal cost per 100k rows is"
        " the linearity check, since fixed start-up time pulls k below 1):",
        "",
        "- natodata: " + ("; ".join(scaling(res["sizes"], "natodata_median_s")) or "—"),
        "- frictionless: " + ("; ".join(scaling(res["sizes"], "frictionless_median_s")) or "—"),
        "",
        f"natodata at commit {m.get('commit') or 'unknown'}. "
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram']} RAM, {m['os']}; Python {m['python']}; "
        + ", ".join(f"{k} {val}" for k, val in v.items() if val) + ".",
        f"Load average at start {', '.join(f'{x:.2f}' for x in res['loadavg_start'])}, at end "
        f"{', '.join(f'{x:.2f}' for x in res['loadavg_end'])}; run {res['started']} to {res['finished']}.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10k,100k,1M", help="comma-separated row counts (default: 10k,100k,1M)")
    ap.add_argument("--repeats", type=int, default=3, help="runs per tool and size; the median is reported (default 3)")
    ap.add_argument("--fl-repeats-1m", type=int, default=3, help="frictionless runs at N >= 1M, which take minutes each (default 3)")
    ap.add_argument("--help-repeats", type=int, default=10)
    ap.add_argument("--skip-frictionless", action="store_true")
    ap.add_argument("--results", type=Path, default=HERE / "results", help="output stem: writes STEM.json and STEM.md")
    ap.add_argument("--render", type=Path, metavar="JSON", help="only re-render the markdown of an earlier results JSON")
    args = ap.parse_args(argv)
    if args.render:
        md = markdown(json.loads(args.render.read_text(encoding="utf-8")))
        args.render.with_suffix(".md").write_text(md, encoding="utf-8")
        print(md)
        return 0
    sizes = [parse_n(s) for s in args.sizes.split(",") if s.strip()]
    res = bench(sizes, args.repeats, args.fl_repeats_1m, args.help_repeats, args.skip_frictionless)
    args.results.with_suffix(".json").write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    md = markdown(res)
    args.results.with_suffix(".md").write_text(md, encoding="utf-8")
    print(md)
    if not res["all_valid"]:
        print("run.py: some run did not validate cleanly; see the JSON", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
