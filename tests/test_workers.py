"""Reading ahead on a worker thread: the same items in the same order, the worker's
errors raised in the caller, and the worker stopped when the caller stops early."""

from __future__ import annotations

import threading

import pytest

from natodata import workers
from natodata.workers import read_ahead


@pytest.fixture(autouse=True)
def two_cpus(monkeypatch):
    monkeypatch.setattr(workers, "cpu_count", lambda: 2)


def test_items_come_in_order_from_another_thread():
    seen = []

    def items():
        for i in range(50):
            seen.append(threading.current_thread().name)
            yield i

    assert list(read_ahead(items())) == list(range(50))
    assert set(seen) == {"natodata-read-ahead"}


def test_without_read_ahead_the_caller_iterates():
    seen = []

    def items():
        seen.append(threading.current_thread().name)
        yield 1

    assert list(read_ahead(items(), ahead=0)) == [1]
    assert seen == [threading.current_thread().name]


def test_an_error_in_the_worker_is_raised_in_the_caller():
    def items():
        yield 1
        raise OSError("disk gone")

    got = []
    with pytest.raises(OSError, match="disk gone"):
        for x in read_ahead(items()):
            got.append(x)
    assert got == [1]


def test_stopping_early_stops_the_worker():
    produced = []

    def items():
        for i in range(1000):
            produced.append(i)
            yield i

    gen = read_ahead(items(), ahead=1)
    assert next(gen) == 0
    gen.close()  # joins the worker
    assert not any(t.name == "natodata-read-ahead" for t in threading.enumerate())
    assert len(produced) <= 3


# --- a child process ------------------------------------------------------------


def echo_twice(prefix, inbox, outbox):
    """A child's target: two items from what it is sent."""
    got = inbox.get()
    outbox.put(f"{prefix}{got}")
    outbox.put(f"{prefix}{got}{got}")


def fail_after_one(inbox, outbox):
    outbox.put(1)
    raise OSError("disk gone in the child")


def die_without_a_word(inbox, outbox):
    import os

    os._exit(3)


def wait_forever(inbox, outbox):
    outbox.put("started")
    inbox.get()  # never sent


@pytest.mark.slow
def test_a_child_hands_back_its_items_in_order():
    with workers.Child(echo_twice, "x") as child:
        child.send("y")
        assert list(child.results()) == ["xy", "xyy"]


@pytest.mark.slow
def test_an_error_in_a_child_is_raised_in_the_caller():
    got = []
    with workers.Child(fail_after_one) as child, pytest.raises(OSError, match="disk gone in the child"):
        for x in child.results():
            got.append(x)
    assert got == [1]


@pytest.mark.slow
def test_a_child_that_dies_is_never_silent():
    with workers.Child(die_without_a_word) as child, pytest.raises(workers.ChildFailed, match="exit code 3"):
        list(child.results())


@pytest.mark.slow
def test_leaving_early_ends_the_child():
    with pytest.raises(KeyboardInterrupt):
        with workers.Child(wait_forever) as child:
            assert next(child.results()) == "started"
            raise KeyboardInterrupt
    assert child._process.poll() is not None  # ended, not left running
