"""Reading ahead on a worker thread: while the caller checks one piece of a table, the
next piece is read, parsed and typed (pyarrow's parser, numpy and most of pandas'
kernels release the GIL, so the two overlap on a second CPU)."""

from __future__ import annotations

import os
import queue
import threading
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")
_DONE = object()


def cpu_count() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def read_ahead(items: Iterable[T], ahead: int = 1) -> Iterator[T]:
    """Iterate ``items`` on a worker thread, at most ``ahead`` items ahead of the caller.
    An exception in the worker is raised in the caller. With one CPU, or ``ahead`` 0,
    ``items`` are iterated in the caller's thread."""
    if ahead < 1 or cpu_count() < 2:
        yield from items
        return
    q: queue.Queue = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def put(entry) -> bool:
        while not stop.is_set():
            try:
                q.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not put((item, None)):
                    return
            put((_DONE, None))
        except BaseException as exc:  # handed to the caller, who raises it
            put((_DONE, exc))

    worker = threading.Thread(target=work, name="natodata-read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            item, exc = q.get()
            if item is _DONE:
                if exc is not None:
                    raise exc
                return
            yield item
    finally:
        stop.set()
        worker.join()
