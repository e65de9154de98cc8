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

Only the CLI calls :func:`prepare`; the library leaves the process as it finds it.
"""

from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder


#: How long jemalloc keeps freed memory before handing it back to the system.
DECAY_MS = 1000


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
            import pandera.strategies.pandas_strategies  # noqa: F401 - imported by register_check_method
        finally:
            sys.meta_path.remove(hide)
    import pyarrow as pa

    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
        pa.jemalloc_set_decay_ms(DECAY_MS)
    except (NotImplementedError, AttributeError):  # a pyarrow built without jemalloc
        pass
