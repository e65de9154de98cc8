"""The fast CSV path must never change what read_csv returns: whenever it accepts a
file, the exact (slow) reading gives the same frame and no findings."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natodata.tables import csvfile, fastcsv

HEADER = ["id", "text", "n"]
CELL = st.text(alphabet=["a", "b", "é", "“", ",", '"', "\n", " ", "-", "0"], max_size=6)
ROWS = st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=8)


def canonical(rows: list[list[str]], header=HEADER) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def both(tmp_path, data: bytes, monkeypatch):
    f = tmp_path / "t.csv"
    f.write_bytes(data)
    fast = csvfile.read_csv(f, "t", "t.csv", HEADER)
    with monkeypatch.context() as m:
        m.setattr(csvfile, "read_verbatim", lambda *a, **k: None)  # the name read_csv calls
        slow = csvfile.read_csv(f, "t", "t.csv", HEADER)
    assert not slow.verbatim  # the exact path really ran
    return fast, slow


def assert_consistent(fast, slow):
    if fast.verbatim:
        assert slow.findings == [] and fast.findings == []
        pd.testing.assert_frame_equal(fast.frame, slow.frame, check_exact=True)
        assert fast.header == slow.header
    else:  # not accepted: read_csv fell through to the exact path
        assert fast.findings == slow.findings
        assert (fast.frame is None) == (slow.frame is None)
        if fast.frame is not None:
            pd.testing.assert_frame_equal(fast.frame, slow.frame, check_exact=True)


def canonical_files_take_the_fast_path(tmp_path, monkeypatch, rows):
    fast, slow = both(tmp_path, canonical(rows), monkeypatch)
    assert_consistent(fast, slow)
    if not any(all(c == "" for c in r) for r in rows):
        assert fast.verbatim  # blank rows are the slow path's to report


def corrupted_files_read_the_same_either_way(tmp_path, monkeypatch, rows, pos, edit, cut):
    data = canonical(rows)
    pos %= len(data) + 1
    data = data[:pos] + edit.encode() + data[pos + cut:]
    assert_consistent(*both(tmp_path, data, monkeypatch))


CANONICAL = given(rows=ROWS)
CORRUPTED = given(rows=ROWS, pos=st.integers(min_value=0),
                  edit=st.sampled_from(["", '"', ",", "\n", "\r", "x", "\x00", '""', "\n\n"]),
                  cut=st.integers(min_value=0, max_value=2))


def examples(n: int):
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# The properties run on 1,000 files each, in the slow run (CI); the examples below keep
# the default run covering both paths.
test_canonical_files_take_the_fast_path_thoroughly = pytest.mark.slow(
    examples(1000)(CANONICAL(canonical_files_take_the_fast_path)))
test_corrupted_files_read_the_same_either_way_thoroughly = pytest.mark.slow(
    examples(1000)(CORRUPTED(corrupted_files_read_the_same_either_way)))


def test_non_minimal_quoting_is_refused(tmp_path, monkeypatch):
    fast, slow = both(tmp_path, b'id,text,n\n"a",b,1\n', monkeypatch)
    assert not fast.verbatim
    assert_consistent(fast, slow)


def test_line_numbers_count_embedded_newlines(tmp_path, monkeypatch):
    fast, slow = both(tmp_path, canonical([["a", "x\ny", "1"], ["b", "z", "2"], ["c", "\n\n", "3"], ["d", "", "4"]]),
                      monkeypatch)
    assert fast.verbatim
    assert list(fast.frame.index) == [2, 4, 5, 8]
    assert_consistent(fast, slow)


def test_cell_limit_is_left_to_the_exact_path(tmp_path, monkeypatch):
    big = "é" * (csvfile.MAX_CELL_CHARS // 2 + 1)  # fewer characters than the limit, more bytes
    fast, _ = both(tmp_path, canonical([["a", big, "1"]]), monkeypatch)
    assert fast.verbatim
    fast, slow = both(tmp_path, canonical([["a", "x" * (csvfile.MAX_CELL_CHARS + 1), "1"]]), monkeypatch)
    assert not fast.verbatim and [f.type for f in slow.findings] == ["cell-too-large"]


@pytest.mark.slow
def test_checking_tables_on_threads_gives_the_same_findings(pkg, monkeypatch):
    """Big packages are checked on worker threads; force that on a small, broken one."""
    from natodata.checks import validate as v

    pkg.set("quotes", 2, "speaker_id", "no-such-actor")
    pkg.set("figures", 2, "value_low", "999999")
    pkg.set("actors", 2, "iso3", "XXX")
    pkg.set("events", 2, "date_precision", "year")
    pkg.set("sources", 2, "published", "1999-02-30")
    sequential = v.validate(pkg.root).findings
    monkeypatch.setattr(v, "PARALLEL_ROWS", 0)
    monkeypatch.setattr(v, "worker_count", lambda: 2)  # take the threaded path on one CPU too
    assert len(sequential) >= 5
    for _ in range(3):
        assert v.validate(pkg.root).findings == sequential
