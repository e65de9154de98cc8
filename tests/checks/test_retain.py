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
    pieces = [_piece([2, 3, 4, 5], src=["b", "a", "b", None], key=["k1", "k2", "k3", "k4"], n=[1, None, 3, 4]),
              _piece([6, 7], src=["c", "a"], key=["k5", "k6"], n=[5, 6])]
    kept = Kept(["src", "key", "n"])
    for p in pieces:
        kept.add(p)
    got = kept.frame(["src", "key", "n"])
    want = pd.concat(pieces)
    assert list(got.index) == list(want.index)
    for col in ("src", "key", "n"):
        assert got[col].astype(object).where(got[col].notna(), None).tolist() == \
            want[col].astype(object).where(want[col].notna(), None).tolist()
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
