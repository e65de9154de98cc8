"""Provenance on a corpus someone else controls (issue 20): only regular files directly in
the corpus directory are read, within a size bound, and nothing from a file that is not
known to be the article (its sha256 unchecked or wrong) reaches a message."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import shutil

import pytest
from typer.testing import CliRunner

from tests.helpers import ROOT, refuse_reading
from natodata.checks import provenance
from natodata.checks.validate import validate
from natodata.cli import app

# Whole-package validations, seconds in all: run by CI's `pytest -m slow` to keep the default suite under 30 s.
pytestmark = pytest.mark.slow

SECRET = "AKIA-SECRET-TOKEN-0123456789"


@pytest.fixture(scope="module")
def generated_template(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    base = tmp_path_factory.mktemp("gen")
    gen.write_package(6, base / "pkg", seed=3, n_src=2, corpus=base / "corpus")
    return base


@pytest.fixture
def gen(generated_template, tmp_path):
    """A private copy of a small generated package, its corpus and a secret beside them."""
    shutil.copytree(generated_template / "pkg", tmp_path / "pkg")
    shutil.copytree(generated_template / "corpus", tmp_path / "corpus")
    (tmp_path / "secret.txt").write_text((SECRET + " ") * 500, encoding="utf-8")
    return tmp_path


def _sources(root):
    return list(csv.reader(io.StringIO((root / "pkg" / "data" / "sources.csv").read_text(encoding="utf-8"))))


def _set_source(root, line: int, field: str, value: str) -> None:
    rows = _sources(root)
    rows[line - 1][rows[0].index(field)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (root / "pkg" / "data" / "sources.csv").write_text(buf.getvalue(), encoding="utf-8")


def _article(root, line: int):
    rows = _sources(root)
    return root / "corpus" / rows[line - 1][rows[0].index("corpus_file")]


def _cli(root):
    """Exit code, whole output and the error findings of ``natodata validate --corpus``."""
    result = CliRunner().invoke(app, ["validate", str(root / "pkg"), "--corpus", str(root / "corpus"), "-f", "json"])
    assert "Traceback" not in result.output and "unexpected" not in result.output, result.output
    doc = json.loads(result.stdout)
    errors = [f for f in doc["findings"] if f["severity"] == "error"]
    return result.exit_code, result.output, errors


def _errors(root):
    return sorted((f.type, f.table, f.line, f.field) for f in validate(root / "pkg", root / "corpus").errors)


@pytest.mark.slow
def test_the_generated_package_is_valid_with_its_corpus(gen):
    assert _cli(gen)[0] == 0


@pytest.mark.parametrize("blank_hash", [pytest.param(False, marks=pytest.mark.slow), True])
def test_a_symlinked_article_is_refused_and_never_read(gen, blank_hash):
    article = _article(gen, 2)
    article.unlink()
    article.symlink_to(gen / "secret.txt")
    if blank_hash:
        _set_source(gen, 2, "sha256", "")
    code, out, errors = _cli(gen)
    assert code == 1
    assert SECRET[:8] not in out
    assert {f["type"] for f in errors} <= {"corpus-file-unsafe", "required-constraint"}
    unsafe = [f for f in errors if f["type"] == "corpus-file-unsafe"]
    assert [(f["table"], f["line"], f["field"]) for f in unsafe] == [("sources", 2, "corpus_file")]
    assert unsafe[0]["message"] == (
        f"article file {article.name!r} is a symbolic link; natodata reads only regular files in the "
        "corpus directory, never what a symbolic link points to"
    )


def test_a_symlink_to_another_article_inside_the_corpus_is_refused_too(gen):
    article, other = _article(gen, 2), _article(gen, 3)
    article.unlink()
    article.symlink_to(other.name)
    assert ("corpus-file-unsafe", "sources", 2, "corpus_file") in _errors(gen)


def test_a_fifo_in_the_corpus_is_refused_without_blocking(gen):
    article = _article(gen, 2)
    article.unlink()
    os.mkfifo(article)
    assert _errors(gen) == [("corpus-file-unsafe", "sources", 2, "corpus_file")]


def test_an_article_over_the_size_limit_is_refused(gen, monkeypatch):
    monkeypatch.setattr(provenance, "MAX_ARTICLE_BYTES", 100)
    report = validate(gen / "pkg", gen / "corpus")
    assert sorted((f.type, f.line) for f in report.errors) == [("corpus-file-unsafe", 2), ("corpus-file-unsafe", 3)]
    size = _article(gen, 2).stat().st_size
    assert next(f.message for f in report.errors if f.line == 2).endswith(
        f"is {size} bytes; the limit is 100 for an article"
    )


def test_a_blank_sha256_means_the_article_is_not_read_and_nothing_quoted(gen):
    """Even a regular file in the corpus is not known to be the article without its hash:
    none of its text may reach a message (the rows of that source go unchecked)."""
    article = _article(gen, 2)
    article.write_text((SECRET + " ") * 500, encoding="utf-8")
    _set_source(gen, 2, "sha256", "")
    code, out, errors = _cli(gen)
    assert code == 1 and SECRET[:8] not in out
    assert [(f["type"], f["line"], f["field"]) for f in errors if f["type"].startswith("corpus")] == [
        ("corpus-hash-missing", 2, "sha256")
    ]


def test_a_hash_mismatch_quotes_nothing_from_the_file(gen):
    _article(gen, 2).write_text((SECRET + " ") * 500, encoding="utf-8")
    code, out, errors = _cli(gen)
    assert code == 1 and SECRET[:8] not in out
    assert [f["type"] for f in errors] == ["corpus-hash-mismatch"]


def test_an_unreadable_article_is_a_finding(gen, monkeypatch):
    article = _article(gen, 2)
    refuse_reading(monkeypatch, article)
    report = validate(gen / "pkg", gen / "corpus")
    assert [(f.type, f.line, f.message) for f in report.errors] == [
        ("file-unreadable", 2, f"article file {article.name!r} cannot be read: Permission denied")
    ]


def test_a_mismatch_quotes_no_more_than_the_rows_excerpt():
    assert provenance.shown_found("x" * 500, "abc") == "xxx…"
    assert provenance.shown_found("abd", "abc") == "abd"
    assert len(provenance.shown_found("y" * 500, "z" * 200)) == 60


@pytest.mark.parametrize("name", ["../secret.txt", "/etc/passwd", "a\0b", "..", ""])
def test_an_article_name_that_is_not_a_plain_file_name(tmp_path, name):
    assert provenance.read_article(tmp_path, name)[1][0] == "corpus-file-missing"


def test_a_descriptor_with_the_corpus_fields_survives_json(gen):
    # The generated package declares x-corpus: the fixture is the one the attack needs.
    schema = json.loads((gen / "pkg" / "schemas" / "sources.json").read_text(encoding="utf-8"))
    assert schema["x-corpus"]["sha256"] == "sha256"
