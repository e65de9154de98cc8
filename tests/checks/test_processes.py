"""Tables checked in several processes give the very same report as one process: the same
findings in the same order, the same notes and report order, with or without a corpus."""

from __future__ import annotations

import pytest

from tests.checks.test_pieces import _broken
from tests.helpers.corpus import synthetic

from natodata.checks import validate as v
from natodata.checks.validate import validate

pytestmark = pytest.mark.slow  # whole-package validations, a child process each


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    from tests.helpers import Pkg, copy_package

    return _broken(Pkg(copy_package(tmp_path_factory.mktemp("processes") / "pkg", synthetic().package)))


@pytest.fixture(autouse=True)
def any_size_three_cpus(monkeypatch):
    """The test packages are small, and the machine may have two CPUs: use the processes anyway."""
    monkeypatch.setattr(v, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(v, "cpu_count", lambda: 3)


def _same(a, b) -> None:
    assert a.findings == b.findings
    assert (a.order, a.notes) == (b.order, b.notes)


@pytest.mark.parametrize("corpus", [True, False], ids=["corpus", "no-corpus"])
def test_two_and_three_processes_report_as_one(broken, corpus):
    where = synthetic().corpus if corpus else None
    one = validate(broken.root, where, chunk_bytes=4096, workers=1)
    assert len(one.findings) >= 20
    for n in (2, 3):
        _same(validate(broken.root, where, chunk_bytes=4096, workers=n), one)


def test_the_shipped_package_reports_as_one(broken):
    from tests.helpers import ROOT

    _same(validate(ROOT, synthetic().corpus, workers=2), validate(ROOT, synthetic().corpus, workers=1))


def test_shares_keep_every_table_once_in_reading_order(broken):
    from natodata.model.descriptor import load_package

    pkg = load_package(broken.root)
    tables = v._corpus_first([r for r in pkg.resources if r.schema is not None], lambda r: r.schema)
    shares = v._share(tables, 2)
    assert len(shares) == 2 and shares[0][0] is tables[0]  # the articles' table stays here
    assert sorted(r.name for s in shares for r in s) == sorted(r.name for r in tables)
    for s in shares:
        assert s == [r for r in tables if r in s]


@pytest.mark.parametrize("workers, size", [(1, 0), (2, 64 * 1024**2)])
def test_no_process_by_default_nor_for_a_small_package(broken, monkeypatch, workers, size):
    def refuse(*args):
        raise AssertionError("a process was started")

    monkeypatch.setattr(v, "Child", refuse)
    monkeypatch.setattr(v, "PARALLEL_BYTES", size)
    validate(broken.root, workers=workers)
