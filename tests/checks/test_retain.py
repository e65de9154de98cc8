"""The kept columns: what the whole-table checks read, gathered piece by piece, the same
values whichever way they are stored."""

from __future__ import annotations

import pandas as pd
import pytest

from natodata.checks import retain
from natodata.checks.retain import Kept, retained_fields
from natodata.model.descriptor import load_package
from natodata.tables.canonical import comparable

from tests.helpers import ROOT


def _piece(lines, **cols):
    index = pd.Index(lines, dtype="int64", name="line")
    return pd.DataFrame({k: pd.Series(v, dtype="str" if k != "n" else "Int64", index=index) for k, v in cols.items()})


@pytest.mark.parametrize("encode_rows", [0, 10**9])
def test_pieces_gathered_are_the_rows_read(monkeypatch, encode_rows):
    monkeypatch.setattr(retain, "ENCODE_ROWS", encode_rows)
    monkeypatch.setattr(retain, "ENCODE_RATIO", 2)
    pieces = [
        _piece([2, 3, 4, 5], src=["b", "a", "b", None], key=["k1", "k2", "k3", "k4"], n=[1, None, 3, 4]),
        _piece([6, 7], src=["c", "a"], key=["k5", "k6"], n=[5, 6]),
    ]
    kept = Kept(["src", "key", "n"])
    for p in pieces:
        kept.add(p)
    got = kept.frame(["src", "key", "n"])
    want = pd.concat(pieces)
    assert list(got.index) == list(want.index)
    for col in ("src", "key", "n"):
        assert (
            got[col].astype(object).where(got[col].notna(), None).tolist()
            == want[col].astype(object).where(want[col].notna(), None).tolist()
        )
    if encode_rows == 0:
        assert isinstance(got["src"].dtype, pd.CategoricalDtype)
        assert list(got["src"].cat.categories) == ["a", "b", "c"]  # sorted: codes compare as the values do
        codes = comparable(got["src"].dropna())
        values = got["src"].dropna().astype(str).to_numpy()
        assert ((codes[:-1] < codes[1:]) == (values[:-1] < values[1:])).all()
    else:
        assert got["src"].dtype == "str"


def test_only_what_the_whole_table_checks_read_is_kept():
    pkg = load_package(ROOT)
    schemas = {r.name: r.schema for r in pkg.resources}
    without, with_corpus = retained_fields(schemas, corpus=False), retained_fields(schemas, corpus=True)
    assert without["quotes"] == ["id", "statement_id", "source_id", "speaker_id", "occasion_id"]
    assert with_corpus["quotes"] == ["id", "statement_id", "source_id", "speaker_id", "start", "end", "occasion_id"]
    assert with_corpus["sources"] == schemas["sources"].field_names  # the articles' table, whole
    assert "text" not in with_corpus["quotes"] and "alias" in without["actor_aliases"]


def test_an_empty_or_blank_column_is_kept(monkeypatch):
    monkeypatch.setattr(retain, "ENCODE_ROWS", 0)
    kept = Kept(["src"])
    kept.add(_piece([2, 3], src=[None, None]))
    assert kept.frame(["src"])["src"].isna().all()
    assert len(Kept(["src"]).frame(["src"])) == 0


def _keyed(lines, key, alias, src):
    index = pd.Index(lines, dtype="int64", name="line")
    return pd.DataFrame(
        {
            "key": pd.Series(key, dtype="str", index=index),
            "alias": pd.Series(alias, dtype="str", index=index),
            "src": pd.Series(src, dtype="str", index=index),
        }
    )


def _kept(*pieces) -> Kept:
    kept = Kept(["key", "alias", "src"], coded=["src"], primary_key=["key", "alias"], droppable=["alias"])
    for p in pieces:
        kept.add(p)
    return kept


def test_fields_only_the_key_reads_are_let_go_when_the_pieces_prove_the_key(monkeypatch):
    monkeypatch.setattr(retain, "ENCODE_ROWS", 0)
    kept = _kept(
        _keyed([2, 3], ["a", "a"], ["x", "y"], ["s1", "s2"]), _keyed([4, 5], ["a", "b"], ["z", "a"], ["s1", None])
    )
    assert kept.in_order and not kept.reread
    frame = kept.frame(["key", "alias", "src"])
    assert list(frame.columns) == ["key", "src"]
    assert isinstance(frame.index, pd.RangeIndex) and list(frame.index) == [2, 3, 4, 5]
    assert isinstance(frame["src"].dtype, pd.CategoricalDtype)  # a foreign key: codes, whatever its first piece
    assert frame["src"].astype(object).where(frame["src"].notna(), None).tolist() == ["s1", "s2", "s1", None]


@pytest.mark.parametrize(
    "pieces",
    [
        [_keyed([2, 3], ["b", "a"], ["x", "y"], ["s", "s"])],  # out of order within a piece
        [_keyed([2], ["b"], ["x"], ["s"]), _keyed([3], ["a"], ["y"], ["s"])],  # across pieces
        [_keyed([2], ["a"], ["x"], ["s"]), _keyed([3], ["a"], ["x"], ["s"])],  # a key repeated across pieces
        [_keyed([2, 3], ["a", "a"], ["x", None], ["s", "s"])],  # a blank key field
    ],
)
def test_a_key_not_proved_in_order_asks_for_a_second_pass(pieces):
    kept = _kept(*pieces)
    assert kept.reread and not kept.in_order


def test_lines_that_do_not_follow_each_other_stay_an_index():
    kept = Kept(["key"])
    kept.add(_keyed([2, 4], ["a", "b"], ["x", "y"], ["s", "s"]))
    assert list(kept.frame(["key"]).index) == [2, 4]


def test_codes_agree_however_often_the_pieces_are_merged(monkeypatch):
    monkeypatch.setattr(retain, "ENCODE_ROWS", 0)
    values = [f"v{i % 7}" if i % 5 else None for i in range(60)]
    want = None
    for merge in (1, 3, 1 << 16):
        monkeypatch.setattr(retain, "MERGE_VALUES", merge)
        kept = Kept(["src"], coded=["src"])
        for lo in range(0, 60, 4):
            lines = pd.RangeIndex(lo + 2, lo + 6, name="line")
            kept.add(pd.DataFrame({"src": pd.Series(values[lo : lo + 4], dtype="str", index=lines)}))
        got = kept.frame(["src"])["src"]
        assert got.astype(object).where(got.notna(), None).tolist() == values
        assert list(got.cat.categories) == sorted({v for v in values if v})
        want = want or got.cat.codes.tolist()
        assert got.cat.codes.tolist() == want
