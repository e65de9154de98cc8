from natodata.checks.validate import validate

from tests.helpers import ROOT


def test_shipped_package_is_valid_without_corpus():
    report = validate(ROOT)
    assert report.errors == []


def test_shipped_package_is_valid_with_corpus(shipped, corpus):
    report = validate(shipped, corpus)
    assert report.errors == []
