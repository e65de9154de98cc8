#!/usr/bin/env python3
"""Time ``natodata validate`` against the pyarrow floor and ``frictionless validate``.

    .venv/bin/python benchmarks/run.py [--sizes 10k,100k,1M,3M,10M] [--repeats 3]
                                       [--frictionless-up-to 1M] [--fl-repeats-big 1]
                                       [--huge-repeats 1] [--floor-up-to 10M] [--packages DIR]

For each size N it (re)generates ``PACKAGES/nN`` (``--packages``, default ``benchmarks/out``)
with ``generate.py`` when the copy is missing or its schemas differ from the repository's
(the generator writes a table at a time, in bounded memory: 10M rows took 2.0 GiB),
then runs, as subprocesses, ``--repeats`` times each (``--huge-repeats`` from 10M rows on):

* the floor: ``floor.py``, pyarrow reading every CSV into memory, up to ``--floor-up-to``
  rows (it holds every table: about 11 GB at 10M);
* ``natodata validate PKG`` (must print ``valid: 0 errors, 0 warnings``);
* ``frictionless validate PKG/datapackage.json`` (must exit 0), up to
  ``--frictionless-up-to`` rows (``--fl-repeats-big`` runs from 1M rows on: minutes each);

and once each, from 100k rows on:

* the non-canonical path: a copy whose large tables each have one needlessly quoted
  cell (must print ``valid: 0 errors, 5 warnings``, the five ``not-canonical``);
* the ablation: ``driver.py --no-read-ahead``, natodata without reading ahead.

Then the shipped package, in its folder: ``natodata validate --corpus`` cold (as on a fresh
CI runner: no cache) and warm against ``frictionless validate datapackage.json``,
alternately ``--shipped-repeats`` times each, with the medians, the ratios and the load
average (``--sizes ''`` runs this part alone); and ``natodata --help``. Wall time and the peak RSS of each run (from ``os.wait4``'s rusage
of that very child) go to ``benchmarks/results.json`` and ``benchmarks/results.md``.
A run that does not end as it must fails the benchmark.
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
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from generate import parse_n  # noqa: E402
from treerss import TreePeak  # noqa: E402

#: The tables that have N rows, each given one needlessly quoted cell on the non-canonical path.
LARGE = ("actor_aliases", "event_participants", "event_evidence", "quotes", "figures")
#: From this many rows on, each tool runs ``--huge-repeats`` times (a run takes minutes).
HUGE = 10_000_000


def tool(name: str) -> str:
    """The console script from the interpreter's own environment, else from PATH."""
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"run.py: {name} not found next to {sys.executable} or on PATH")
    return found


def run_once(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> dict:
    """Run ``cmd`` (with ``env`` added to the environment); return wall seconds, CPU
    seconds, peak RSS (MiB), exit code and the output's last line."""
    with open(os.devnull, "wb") as devnull:
        out = HERE / "out" / ".last-stdout"
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "wb") as fh:
            t0 = time.perf_counter()
            proc = subprocess.Popen(
                cmd,
                stdout=fh,
                stderr=subprocess.STDOUT,
                stdin=devnull,
                cwd=cwd,
                env={**os.environ, **env} if env else None,
            )
            with TreePeak(proc.pid) as tree:
                _, status, usage = os.wait4(proc.pid, 0)
                wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    lines = out.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    # Peak RSS: the larger of the process's own ru_maxrss and the summed RSS of it and its
    # children, sampled every 20 ms (a worker process's memory is not in its parent's ru_maxrss).
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "max_rss_mib": max(usage.ru_maxrss, tree.kib) / 1024,
        "exit": proc.returncode,
        "last_line": lines[-1] if lines else "",
    }


def ensure_package(n: int, outdir: Path) -> Path:
    """Generate the package unless an up-to-date copy (same descriptor and schemas) exists."""
    fresh = (outdir / "datapackage.json").exists() and filecmp.cmp(
        ROOT / "datapackage.json", outdir / "datapackage.json", shallow=False
    )
    if fresh:
        cmp = filecmp.dircmp(ROOT / "schemas", outdir / "schemas")
        fresh = not (cmp.left_only or cmp.right_only or cmp.diff_files or cmp.funny_files)
        fresh = fresh and all(
            (outdir / "data" / f"{r['name']}.csv").exists()
            for r in json.loads((ROOT / "datapackage.json").read_text())["resources"]
        )
    if not fresh:
        print(f"generating {outdir} (N={n}) ...", file=sys.stderr, flush=True)
        if outdir.exists():
            shutil.rmtree(outdir)
        # In a child: on Linux a child's ru_maxrss starts at its parent's peak, so
        # generating here would inflate every later run's peak RSS.
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(outdir)], check=True)
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
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {
        "commit": commit,
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu,
        "ram": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
    }


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def runs(cmd: list[str], n: int, expect, label: str, env: dict | None = None) -> tuple[list[dict], bool]:
    out, ok = [], True
    for i in range(n):
        r = run_once(cmd, env)
        out.append(r)
        good = expect(r)
        ok = ok and good
        print(
            f"{label} run {i + 1}: {r['wall_s']:.2f} s, {r['max_rss_mib']:.0f} MiB, exit {r['exit']}: {r['last_line']}"
            + ("" if good else "  <-- UNEXPECTED"),
            file=sys.stderr,
            flush=True,
        )
    return out, ok


def alternately(variants: list[tuple[str, list[str], object]], n: int, label: str) -> tuple[dict, bool]:
    """Run each ``(name, cmd, expect)`` in turn, ``n`` rounds, so that a change in the
    machine's load falls on every variant alike; the summary of each by name."""
    out: dict[str, list[dict]] = {name: [] for name, _, _ in variants}
    ok = True
    for _ in range(n):
        for name, cmd, expect in variants:
            rs, good = runs(cmd, 1, expect, f"{label} {name}")
            out[name] += rs
            ok = ok and good
    return {name: summary(rs) for name, rs in out.items()}, ok


def summary(rs: list[dict]) -> dict:
    return (
        {
            "runs": rs,
            "median_s": median(rs, "wall_s"),
            "median_cpu_s": median(rs, "cpu_s"),
            "max_rss_mib": max(r["max_rss_mib"] for r in rs),
        }
        if rs
        else {}
    )


def non_canonical_copy(pkg: Path, out: Path) -> Path:
    """A copy of ``pkg`` whose large tables each quote the first cell of their first row."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(pkg, out, ignore=shutil.ignore_patterns(*(f"{t}.csv" for t in LARGE)))
    for t in LARGE:
        with open(pkg / "data" / f"{t}.csv", "rb") as src, open(out / "data" / f"{t}.csv", "wb") as dst:
            dst.write(src.readline())
            first = src.readline()
            cell, rest = first.split(b",", 1)
            dst.write(b'"' + cell + b'",' + rest)
            shutil.copyfileobj(src, dst, 16 << 20)
    return out


def shipped_package(args, natodata: str, frictionless: str) -> dict:
    """The shipped package, run in its own folder as CI runs it: ``natodata validate
    --corpus`` cold (a fresh CI runner: ``NATODATA_NO_CACHE=1`` and empty cache folders, for
    builds that still had a verdict cache) and warm (the default environment, after earlier
    runs), and ``frictionless validate datapackage.json``, alternately ``--shipped-repeats``
    times each; medians, the ratios to frictionless, and the load average around them."""
    corpus = ROOT.parent / "shared" / "corpus"
    nd_cmd = [natodata, "validate"] + (["--corpus", str(corpus)] if corpus.is_dir() else [])
    fl_cmd = [frictionless, "validate", "datapackage.json"]
    valid = lambda r: r["exit"] == 0 and r["last_line"].startswith("valid: 0 errors")  # noqa: E731
    keys = ["cold", "warm", "frictionless"] + (["before_cold", "before_warm"] if args.baseline else [])
    out: dict = {"with_corpus": corpus.is_dir(), "loadavg_start": os.getloadavg(), **{k: [] for k in keys}}
    ok = True
    with tempfile.TemporaryDirectory() as empty:
        cold_env = {"NATODATA_NO_CACHE": "1", "NATODATA_CACHE_DIR": empty, "XDG_CACHE_HOME": empty}
        variants = [
            ("cold", nd_cmd, cold_env, valid, ROOT),
            ("warm", nd_cmd, None, valid, ROOT),
            ("frictionless", fl_cmd, None, lambda r: r["exit"] == 0, ROOT),
        ]
        if args.baseline:  # the other checkout, on its own copy of the package
            before = [str(args.baseline / ".venv" / "bin" / "natodata")] + nd_cmd[1:]
            variants += [
                ("before_cold", before, cold_env, valid, args.baseline),
                ("before_warm", before, None, valid, args.baseline),
            ]
        for _ in range(args.shipped_repeats):
            for key, cmd, env, expect, cwd in variants:
                r = run_once(cmd, env, cwd=cwd)
                out[key].append(r)
                good = expect(r)
                ok = ok and good
                print(
                    f"shipped {key}: {r['wall_s']:.2f} s, {r['max_rss_mib']:.0f} MiB, exit {r['exit']}: {r['last_line']}"
                    + ("" if good else "  <-- UNEXPECTED"),
                    file=sys.stderr,
                    flush=True,
                )
    out["loadavg_end"] = os.getloadavg()
    for key in keys:
        out[key] = summary(out[key])
    for key in [k for k in keys if k != "frictionless"]:
        out[f"{key}_ratio"] = out[key]["median_s"] / out["frictionless"]["median_s"]
        out[f"{key}_cpu_ratio"] = out[key]["median_cpu_s"] / out["frictionless"]["median_cpu_s"]
    out["all_valid"] = ok
    return out


def bench(args) -> dict:
    natodata, frictionless = tool("natodata"), tool("frictionless")
    baseline = str(args.baseline / ".venv" / "bin" / "natodata") if args.baseline else None
    py = sys.executable
    clean = lambda r: r["exit"] == 0 and r["last_line"] == "valid: 0 errors, 0 warnings"  # noqa: E731
    results = {
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "loadavg_start": os.getloadavg(),
        "sizes": [],
    }
    ok = True
    for n in args.sizes:
        pkg = ensure_package(n, args.packages / f"n{n}")
        entry = {"n": n, "csv_mb": sum(p.stat().st_size for p in (pkg / "data").glob("*.csv")) / 1e6}
        repeats = args.huge_repeats if n >= HUGE else args.repeats
        variants = [("natodata", [natodata, "validate", str(pkg)], clean)]
        if args.baseline:
            variants.insert(0, ("before", [baseline, "validate", str(pkg)], clean))
        if n <= args.floor_up_to:
            variants.insert(0, ("floor", [py, str(HERE / "floor.py"), str(pkg)], lambda r: r["exit"] == 0))
        measured, good = alternately(variants, repeats, f"N={n}")
        entry.update(measured)
        ok = ok and good
        if not args.skip_frictionless and n <= args.frictionless_up_to:
            reps = args.fl_repeats_big if n >= 1_000_000 else args.repeats
            rs, good = runs(
                [frictionless, "validate", str(pkg / "datapackage.json")],
                reps,
                lambda r: r["exit"] == 0,
                f"N={n} frictionless",
            )
            entry["frictionless"], ok = summary(rs), ok and good
        if n >= 100_000:
            bent = non_canonical_copy(pkg, args.packages / f"n{n}-noncanonical")
            rs, good = runs(
                [natodata, "validate", str(bent)],
                1,
                lambda r: r["exit"] == 0 and r["last_line"] == f"valid: 0 errors, {len(LARGE)} warnings",
                f"N={n} natodata, non-canonical",
            )
            entry["non_canonical"], ok = summary(rs), ok and good
            shutil.rmtree(bent)
            rs, good = runs(
                [py, str(HERE / "driver.py"), str(pkg), "--no-read-ahead"],
                1,
                clean,
                f"N={n} natodata without read-ahead",
            )
            entry["no_read_ahead"], ok = summary(rs), ok and good
        results["sizes"].append(entry)
    results["shipped"] = shipped_package(args, natodata, frictionless)
    ok = ok and results["shipped"]["all_valid"]
    helps = [run_once([natodata, "--help"]) for _ in range(args.help_repeats)]
    results["help"] = {
        "runs": helps,
        "median_s": median(helps, "wall_s"),
        "max_rss_mib": max(h["max_rss_mib"] for h in helps),
    }
    results["loadavg_end"] = os.getloadavg()
    results["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    results["all_valid"] = ok and all(h["exit"] == 0 for h in helps)
    return results


def scaling(sizes: list[dict], tool_name: str) -> list[str]:
    """Between consecutive sizes: the exponent k in time ~ N^k (1.00 = linear; fixed start-up
    costs pull it below 1) and the marginal cost in seconds per 100,000 extra rows."""
    out = []
    for a, b in zip(sizes, sizes[1:]):
        ta, tb = (a.get(tool_name) or {}).get("median_s"), (b.get(tool_name) or {}).get("median_s")
        if ta and tb:
            k = math.log(tb / ta) / math.log(b["n"] / a["n"])
            marginal = (tb - ta) / (b["n"] - a["n"]) * 100_000
            out.append(f"{a['n']:,}→{b['n']:,}: k = {k:.2f}, {marginal:.2f} s per 100k rows")
    return out


def rss_growth(sizes: list[dict]) -> list[str]:
    """Between consecutive sizes: how much natodata's peak RSS grows per million rows of N."""
    return [
        f"{a['n']:,}→{b['n']:,}: {(b['natodata']['max_rss_mib'] - a['natodata']['max_rss_mib']) / (b['n'] - a['n']) * 1e6:.0f} MiB "
        "per 1M rows"
        for a, b in zip(sizes, sizes[1:])
    ]


def _cell(d: dict | None, what: str = "s") -> str:
    if not d:
        return "—"
    return f"{d['median_s']:.2f}" if what == "s" else f"{d['max_rss_mib']:.0f}"


def markdown(res: dict) -> str:
    m = res["machine"]
    v = m["versions"]
    lines = [
        "| rows in large tables | CSV (MB) | floor (s) | floor RSS (MiB) | natodata (s) | natodata RSS (MiB) | × floor "
        "| frictionless (s) | frictionless RSS (MiB) | frictionless ÷ natodata | non-canonical (s) | non-canonical RSS (MiB) "
        "| no read-ahead (s) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for e in res["sizes"]:
        nd, fl, fo = e["natodata"], e.get("frictionless"), e.get("floor")
        fl_note = (
            f" ({len(fl['runs'])} run{'s' * (len(fl['runs']) != 1)})"
            if fl and len(fl["runs"]) != len(nd["runs"])
            else ""
        )
        lines.append(
            f"| {e['n']:,} | {e['csv_mb']:.0f} | {_cell(fo)} | {_cell(fo, 'rss')} | {_cell(nd)} | {_cell(nd, 'rss')} | "
            + (f"{nd['median_s'] / fo['median_s']:.1f}×" if fo else "—")
            + f" | {_cell(fl)}{fl_note} | {_cell(fl, 'rss')} | "
            + (f"{fl['median_s'] / nd['median_s']:.1f}×" if fl else "—")
            + f" | {_cell(e.get('non_canonical'))} | {_cell(e.get('non_canonical'), 'rss')} | {_cell(e.get('no_read_ahead'))} |"
        )
    if any(e.get("before") for e in res["sizes"]):
        lines += [
            "",
            "Before (`--baseline`) and after, alternately in the same run (medians; × floor is each one's wall"
            " time over the floor's):",
            "",
            "| rows | floor (s) | before (s) | before CPU (s) | before RSS (MiB) | before × floor "
            "| after (s) | after CPU (s) | after RSS (MiB) | after × floor |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for e in res["sizes"]:
            fo, b, a = e.get("floor"), e.get("before") or {}, e["natodata"]
            times = lambda d: (
                (
                    f"{d['median_s']:.2f} | {d['median_cpu_s']:.2f} | {d['max_rss_mib']:.0f} | "  # noqa: E731
                    + (f"{d['median_s'] / fo['median_s']:.1f}×" if fo else "—")
                )
                if d
                else "— | — | — | —"
            )
            lines.append(f"| {e['n']:,} | {_cell(fo)} | {times(b)} | {times(a)} |")
    sh = res["shipped"]
    h = res["help"]
    lines += [
        "",
        f"Shipped package{' with --corpus' if sh.get('with_corpus') else ''}, alternately "
        f"{len(sh['frictionless']['runs'])} times each (medians; wall, then CPU): natodata cold "
        f"{sh['cold']['median_s']:.2f} s / {sh['cold']['median_cpu_s']:.2f} s, warm {sh['warm']['median_s']:.2f} s / "
        f"{sh['warm']['median_cpu_s']:.2f} s (peak {max(sh['cold']['max_rss_mib'], sh['warm']['max_rss_mib']):.0f} MiB); "
        f"frictionless {sh['frictionless']['median_s']:.2f} s / {sh['frictionless']['median_cpu_s']:.2f} s "
        f"({sh['frictionless']['max_rss_mib']:.0f} MiB): cold {sh['cold_ratio']:.2f}× frictionless "
        f"(CPU {sh['cold_cpu_ratio']:.2f}×), warm {sh['warm_ratio']:.2f}× (CPU {sh['warm_cpu_ratio']:.2f}×); load average "
        f"{', '.join(f'{x:.2f}' for x in sh['loadavg_start'])} before, {', '.join(f'{x:.2f}' for x in sh['loadavg_end'])} after.",
        *(
            [
                f"Before (`--baseline`), in its own checkout, alternately with the above: cold {sh['before_cold']['median_s']:.2f} s"
                f" / {sh['before_cold']['median_cpu_s']:.2f} s CPU ({sh['before_cold_ratio']:.2f}× frictionless, CPU "
                f"{sh['before_cold_cpu_ratio']:.2f}×), warm {sh['before_warm']['median_s']:.2f} s / "
                f"{sh['before_warm']['median_cpu_s']:.2f} s CPU ({sh['before_warm_ratio']:.2f}×, CPU {sh['before_warm_cpu_ratio']:.2f}×)."
            ]
            if "before_cold" in sh
            else []
        ),
        f"`natodata --help`: median {h['median_s']:.3f} s over {len(h['runs'])} runs.",
        "",
        "Growth of the median times (k: exponent in time ~ N^k; the marginal cost per 100k rows is"
        " the linearity check, since fixed start-up time pulls k below 1) and of peak memory:",
        "",
        "- floor: " + ("; ".join(scaling(res["sizes"], "floor")) or "—"),
        "- natodata: " + ("; ".join(scaling(res["sizes"], "natodata")) or "—"),
        "- frictionless: " + ("; ".join(scaling(res["sizes"], "frictionless")) or "—"),
        "- natodata peak RSS: "
        + ", ".join(f"{e['n']:,}: {e['natodata']['max_rss_mib']:.0f} MiB" for e in res["sizes"]),
        "- natodata peak RSS growth: " + ("; ".join(rss_growth(res["sizes"])) or "—"),
        "",
        f"natodata at commit {m.get('commit') or 'unknown'}. "
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram']} RAM, {m['os']}; Python {m['python']}; "
        + ", ".join(f"{k} {val}" for k, val in v.items() if val)
        + ".",
        f"Load average at start {', '.join(f'{x:.2f}' for x in res['loadavg_start'])}, at end "
        f"{', '.join(f'{x:.2f}' for x in res['loadavg_end'])}; run {res['started']} to {res['finished']}.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes",
        default="10k,100k,1M,3M",
        help="comma-separated row counts (default: 10k,100k,1M,3M; add 10M for the memory target, about 5.7 GB of CSV)",
    )
    ap.add_argument("--repeats", type=int, default=3, help="runs per tool and size; the median is reported (default 3)")
    ap.add_argument("--frictionless-up-to", default="1M", help="largest size frictionless runs at (default 1M)")
    ap.add_argument("--fl-repeats-big", type=int, default=1, help="frictionless runs from 1M rows on (default 1)")
    ap.add_argument("--huge-repeats", type=int, default=1, help=f"runs of each tool from {HUGE:,} rows on (default 1)")
    ap.add_argument(
        "--baseline",
        type=Path,
        metavar="CHECKOUT",
        help="another checkout of natodata, with its own .venv: its `natodata validate` runs as 'before', "
        "alternately with this one's (and the floor), at every size",
    )
    ap.add_argument("--floor-up-to", default="10M", help="largest size the floor runs at (default 10M)")
    ap.add_argument(
        "--packages", type=Path, default=HERE / "out", help="where the generated packages go (default benchmarks/out)"
    )
    ap.add_argument("--shipped-repeats", type=int, default=10)
    ap.add_argument("--help-repeats", type=int, default=10)
    ap.add_argument("--skip-frictionless", action="store_true")
    ap.add_argument("--results", type=Path, default=HERE / "results", help="output stem: writes STEM.json and STEM.md")
    ap.add_argument(
        "--render", type=Path, metavar="JSON", help="only re-render the markdown of an earlier results JSON"
    )
    args = ap.parse_args(argv)
    if args.render:
        md = markdown(json.loads(args.render.read_text(encoding="utf-8")))
        args.render.with_suffix(".md").write_text(md, encoding="utf-8")
        print(md)
        return 0
    args.sizes = [parse_n(x) for x in args.sizes.split(",") if x.strip()]
    args.frictionless_up_to = parse_n(args.frictionless_up_to)
    args.floor_up_to = parse_n(args.floor_up_to)
    res = bench(args)
    args.results.with_suffix(".json").write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    md = markdown(res)
    args.results.with_suffix(".md").write_text(md, encoding="utf-8")
    print(md)
    if not res["all_valid"]:
        print("run.py: some run did not end as it must; see the JSON", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
