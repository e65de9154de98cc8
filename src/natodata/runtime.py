"""Setting up the ``natodata`` process for a validation run, before the heavy imports.

* pandera imports hypothesis, its optional data-generation extra, whenever it is
  installed (as it is in a development environment): 0.25 s of a CLI run that never
  generates data. :func:`prepare` imports pandera with hypothesis hidden, so pandera
  treats the extra as absent; hypothesis itself stays importable afterwards. In a process
  that has already imported pandera (a notebook, the test suite) nothing changes.
* pyarrow's default allocator (mimalloc) keeps freed memory for reuse. For a run over
  hundreds of megabytes of CSV, jemalloc handing freed memory back after a second keeps
  the peak about 100 MB lower at a million rows, and costs less time than handing it
  back at once, which makes every piece fault its pages in again (docs/benchmarks.md).
* glibc's malloc (numpy's arrays: kept codes, the whole-table checks' temporaries) raises
  its mmap threshold as large blocks are freed, up to 32 MB, and then serves them from
  heaps it cannot hand back while a small block lives above them. A fixed threshold of
  :data:`MMAP_BYTES` keeps blocks from that size on mapped on its own and returned when
  freed. At a million rows (2026-12-02, idle): 128 KiB kept the peak lowest but cost 2 to 3 s
  of system time in page faults (8.9 to 10.9 s against 7.0 to 7.5 s without); 32 MiB costs
  nothing measurable (6.3 to 6.6 s) and keeps 650 to 670 MiB (docs/benchmarks.md).

Only the CLI calls :func:`prepare`; the library leaves the process as it finds it.
"""

from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder


#: How long jemalloc keeps freed memory before handing it back to the system.
DECAY_MS = 1000
#: glibc malloc: blocks from this size on are mapped on their own, and a heap's free top
#: from this size on is handed back.
MMAP_BYTES = 32 * 1024 * 1024
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (malloc.h)


class _Hide(MetaPathFinder):
    def __init__(self, name: str):
        self.name = name

    def find_spec(self, fullname, path=None, target=None):
        if fullname == self.name or fullname.startswith(self.name + "."):
            raise ImportError(f"{fullname} is not needed by natodata")
        return None


def prepare() -> None:
    if "pandera" not in sys.modules and "hypothesis" not in sys.modules:
        hide = _Hide("hypothesis")
        sys.meta_path.insert(0, hide)
        try:
            import pandera.pandas  # noqa: F401

            # pandera imports its strategies (and so hypothesis) lazily, with the builtin
            # checks of the first validation: import them now, while hypothesis is hidden.
            import pandera.strategies.pandas_strategies  # noqa: F401
        finally:
            sys.meta_path.remove(hide)
    _fixed_malloc_thresholds()
    import pyarrow as pa

    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
        pa.jemalloc_set_decay_ms(DECAY_MS)
    except (NotImplementedError, AttributeError):  # a pyarrow built without jemalloc
        pass


def _fixed_malloc_thresholds() -> None:
    import ctypes
    import platform

    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, MMAP_BYTES)
        libc.mallopt(_M_TRIM_THRESHOLD, MMAP_BYTES)
    except (OSError, AttributeError):
        pass
