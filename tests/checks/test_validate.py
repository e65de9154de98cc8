from natodata.checks.validate import validate

from conftest import ROOT


def test_shipped_package_is_valid_without_corpus():
    report = validate(ROOT)
    assert report.errors == []


def test_shipped_package_is_valid_with_corpus(corpus):
    report = validate(ROOT, corpus)
    assert report.errors == []
