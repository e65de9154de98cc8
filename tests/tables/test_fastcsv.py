"""The fast CSV path and reading in pieces must never change what read_csv returns:
whenever the fast path accepts a piece, the exact (slow) reading of the whole file gives
the same frame and no findings; whatever the size of the pieces, the frame, the findings
and the first line that differs from the canonical form are those of the exact reading."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natodata.tables import csvfile

HEADER = ["id", "text", "n"]
CELL = st.text(alphabet=["a", "b", "é", "“", ",", '"', "\n", " ", "-", "0"], max_size=6)
ROWS = st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=8)


def canonical(rows: list[list[str]], header=HEADER) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def both(tmp_path, data: bytes, monkeypatch, chunk_bytes: int = csvfile.CHUNK_BYTES):
    f = tmp_path / "t.csv"
    f.write_bytes(data)
    with monkeypatch.context() as m:
        m.setattr(csvfile, "_SMALL_PIECE", 8)  # narrow a piece that is not canonical down to a record or two
        fast = csvfile.read_csv(f, "t", "t.csv", HEADER, chunk_bytes=chunk_bytes)
    with monkeypatch.context() as m:
        m.setattr(csvfile.CsvStream, "_fast_header", lambda self: None)  # the whole file the exact way
        slow = csvfile.read_csv(f, "t", "t.csv", HEADER)
    assert not slow.canonical_rendering  # the exact path really ran
    return fast, slow


def _key(f):
    return (f.type, f.line, f.message)


def assert_consistent(fast, slow):
    if fast.canonical_rendering:
        assert slow.findings == [] and fast.findings == []
        pd.testing.assert_frame_equal(fast.frame, slow.frame, check_exact=True)
        assert fast.header == slow.header
        assert fast.first_diff is None
    else:  # not accepted, or not everywhere: the exact path read what it refused
        assert sorted(map(_key, fast.findings)) == sorted(map(_key, slow.findings))
        assert (fast.frame is None) == (slow.frame is None)
        if fast.frame is not None:
            pd.testing.assert_frame_equal(fast.frame, slow.frame, check_exact=True)
        if not slow.findings:
            assert fast.first_diff == slow.first_diff


def canonical_files_take_the_fast_path(tmp_path, monkeypatch, rows):
    fast, slow = both(tmp_path, canonical(rows), monkeypatch)
    assert_consistent(fast, slow)
    if not any(all(c == "" for c in r) for r in rows):
        assert fast.canonical_rendering  # blank rows are the slow path's to report


def corrupted_files_read_the_same_either_way(tmp_path, monkeypatch, rows, pos, edit, cut, chunk):
    data = canonical(rows)
    pos %= len(data) + 1
    data = data[:pos] + (edit if isinstance(edit, bytes) else edit.encode()) + data[pos + cut :]
    assert_consistent(*both(tmp_path, data, monkeypatch, chunk_bytes=chunk))


CANONICAL = given(rows=ROWS)
CORRUPTED = given(
    rows=ROWS,
    pos=st.integers(min_value=0),
    edit=st.sampled_from(["", '"', ",", "\n", "\r", "x", "\x00", '""', "\n\n", b"\xff", "\r\n"]),
    cut=st.integers(min_value=0, max_value=2),
    chunk=st.sampled_from([1, 2, 5, 16, 64, csvfile.CHUNK_BYTES]),
)


def examples(n: int):
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# The properties run on 1,000 files each, in the slow run (CI); the examples below keep
# the default run covering both paths.
test_canonical_files_take_the_fast_path_thoroughly = pytest.mark.slow(
    examples(1000)(CANONICAL(canonical_files_take_the_fast_path))
)
test_corrupted_files_read_the_same_either_way_thoroughly = pytest.mark.slow(
    examples(1000)(CORRUPTED(corrupted_files_read_the_same_either_way))
)


def test_non_minimal_quoting_is_refused(tmp_path, monkeypatch):
    fast, slow = both(tmp_path, b'id,text,n\n"a",b,1\n', monkeypatch)
    assert not fast.canonical_rendering
    assert_consistent(fast, slow)


def test_line_numbers_count_embedded_newlines(tmp_path, monkeypatch):
    fast, slow = both(
        tmp_path, canonical([["a", "x\ny", "1"], ["b", "z", "2"], ["c", "\n\n", "3"], ["d", "", "4"]]), monkeypatch
    )
    assert fast.canonical_rendering
    assert list(fast.frame.index) == [2, 4, 5, 8]
    assert_consistent(fast, slow)


def test_cell_limit_is_left_to_the_exact_path(tmp_path, monkeypatch):
    big = "é" * (csvfile.MAX_CELL_CHARS // 2 + 1)  # fewer characters than the limit, more bytes
    fast, _ = both(tmp_path, canonical([["a", big, "1"]]), monkeypatch)
    assert fast.canonical_rendering
    fast, slow = both(tmp_path, canonical([["a", "x" * (csvfile.MAX_CELL_CHARS + 1), "1"]]), monkeypatch)
    assert not fast.canonical_rendering and [f.type for f in slow.findings] == ["cell-too-large"]


def test_pieces_of_any_size_give_the_same_rows_and_findings(tmp_path, monkeypatch):
    data = (
        canonical([["a", "x\ny", "1"], ["b", "z", "2"], ["c", "\n\n", "3"], ["d", "", "4"]])
        + b'"e",z,5\n,,\nf,"q""",6\n'
    )
    for chunk in (1, 3, 7, 20, 1000):
        fast, slow = both(tmp_path, data, monkeypatch, chunk_bytes=chunk)
        assert not fast.canonical_rendering and [f.type for f in fast.findings] == ["blank-row"]
        assert_consistent(fast, slow)
