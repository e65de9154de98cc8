"""Peak memory of a process *and its descendants*, sampled from /proc.

``ru_maxrss`` (``os.wait4``) is one process's own peak: it does not add a worker process's
memory to its parent's, so a run that checks tables in child processes would look smaller
than it is. :class:`TreePeak` samples the summed VmRSS of the tree every 20 ms.
"""

from __future__ import annotations

import os
import threading


def tree_rss(root: int) -> int:
    """Summed VmRSS (kB) of ``root`` and its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as fh:
                status = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(status["PPid"].strip()), []).append(pid)
        rss[pid] = int(status.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


class TreePeak:
    """``with TreePeak(pid) as peak: ...``; afterwards ``peak.kib`` is the largest summed RSS seen."""

    def __init__(self, pid: int, every: float = 0.02):
        self.pid, self.every, self.kib = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.kib = max(self.kib, tree_rss(self.pid))
            self._stop.wait(self.every)

    def __enter__(self) -> "TreePeak":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
