"""Reading ahead on a worker thread: while the caller checks one piece of a table, the
next piece is read, parsed and typed (pyarrow's parser, numpy and most of pandas'
kernels release the GIL, so the two overlap on a second CPU)."""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

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


def balanced(items: list[T], n: int, weight: Callable[[T], int], pinned: int = 0) -> list[list[T]]:
    """``items`` in up to ``n`` shares of about equal weight: the heaviest first, each to
    the lightest share so far; the first ``pinned`` items go to the first share. Each share
    keeps the items' order; empty shares are left out."""
    if n < 2 or len(items) < 2:
        return [list(items)]
    shares: list[list[int]] = [[] for _ in range(min(n, len(items)))]
    load = [0] * len(shares)
    weights = [weight(x) for x in items]
    for i in range(pinned):
        shares[0].append(i)
        load[0] += weights[i]
    for i in sorted(range(pinned, len(items)), key=lambda i: -weights[i]):
        lightest = load.index(min(load))
        shares[lightest].append(i)
        load[lightest] += weights[i]
    return [[items[i] for i in sorted(s)] for s in shares if s]


class ChildFailed(RuntimeError):
    """A child process ended without handing back its results."""


class Child:
    """``target(*args, inbox, outbox)`` in a fresh Python process: the child receives with
    ``inbox.get()`` what the caller :meth:`send`\\ s, and each ``outbox.put(item)`` is one
    item of :meth:`results`, in order. An exception in the child is raised in the caller
    by :meth:`results`; a child that ends without a word raises :class:`ChildFailed`;
    :meth:`close` (leaving the ``with`` block, on an error or a KeyboardInterrupt too)
    ends the child, and a child whose caller is gone ends itself (its pipes close).

    The child is ``python -c``, not multiprocessing's spawn: that would run the caller's
    main script again in the child, and fork is unsafe in a process running threads
    (pyarrow's, reading ahead). ``target`` must be a module's top-level function, and
    ``args`` and the items picklable. The caller receives on a thread of its own, so the
    child never waits for the caller to be ready."""

    def __init__(self, target, *args):
        here = str(Path(__file__).resolve().parent.parent)  # where natodata is imported from
        code = f"import sys; sys.path.insert(0, {here!r}); from natodata.workers import _child_main; _child_main()"
        self._process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._received: queue.Queue = queue.Queue()
        self._reader = threading.Thread(target=self._receive, name="natodata-worker-results", daemon=True)
        self._reader.start()
        self.send((target, args))

    def send(self, item) -> None:
        assert self._process.stdin is not None
        pickle.dump(item, self._process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self._process.stdin.flush()

    def _receive(self) -> None:
        assert self._process.stdout is not None
        try:
            while True:
                kind, item = pickle.load(self._process.stdout)
                self._received.put((kind, item))
                if kind != "item":
                    return
        except (EOFError, OSError):
            self._received.put(("gone", None))
        except Exception as exc:  # what does not unpickle must not leave the caller waiting
            self._received.put(
                ("error", ChildFailed(f"a worker's result could not be read: {type(exc).__name__}: {exc}"))
            )

    def results(self) -> Iterator:
        """The child's items in the order it put them, until it returns."""
        while True:
            kind, item = self._received.get()
            if kind == "item":
                yield item
            elif kind == "error":
                raise item
            elif kind == "done":
                return
            else:
                code = self._process.wait()
                raise ChildFailed(f"a worker process ended without its results (exit code {code})")

    def close(self) -> None:
        p = self._process
        if p.poll() is None:
            p.kill()
        for pipe in (p.stdin, p.stdout):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:  # a broken pipe to a child already gone
                pass
        p.wait()
        self._reader.join()

    def __enter__(self) -> "Child":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _child_main() -> None:
    """The child's side: the target and its arguments from stdin, results to stdout (the
    child's own prints go to stderr)."""
    inbox, outbox = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr

    class Inbox:
        @staticmethod
        def get():
            return pickle.load(inbox)

    class Outbox:
        @staticmethod
        def put(item) -> None:
            pickle.dump(("item", item), outbox, protocol=pickle.HIGHEST_PROTOCOL)
            outbox.flush()

    target, args = Inbox.get()
    try:
        target(*args, Inbox, Outbox)
    except BaseException as exc:  # handed to the caller, who raises it
        try:
            message = pickle.dumps(("error", exc), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an exception that does not pickle goes as its text
            message = pickle.dumps(("error", ChildFailed(f"{type(exc).__name__}: {exc}")))
    else:
        message = pickle.dumps(("done", None))
    try:
        outbox.write(message)
        outbox.flush()
    except OSError:  # the caller is gone (ended by an error or Ctrl-C): nobody to tell
        pass
