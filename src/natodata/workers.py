"""How many worker threads this process may use: the CPUs it is allowed to run on, at most four."""

from __future__ import annotations

import os


def worker_count(limit: int = 4) -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(limit, cpus))
