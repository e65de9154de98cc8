"""The fast provenance and completeness checks against the code they replaced
(tests/helpers/provenance_reference.py): on a generated package with its articles and on the
shipped one, under random corruptions of rows and articles, the findings (type, message,
line, field, value, order), the spans and the coverage must be the very same."""

from __future__ import annotations

import dataclasses
import importlib.util
import random

import numpy as np
import pandas as pd
import pytest

from tests.helpers import provenance_reference as ref
from tests.helpers import ROOT
from tests.helpers.corpus import synthetic
from natodata.checks import completeness as comp
from natodata.checks import frames
from natodata.checks import provenance as prov
from natodata.checks.validate import validate
from natodata.tables.read import read_tables

# Whole-package validations, seconds in all: run by CI's `pytest -m slow` to keep the default suite under 30 s.
pytestmark = pytest.mark.slow


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    base = tmp_path_factory.mktemp("gen")
    _generator().write_package(200, base / "pkg", seed=3, n_src=5, corpus=base / "corpus")
    return base / "pkg", base / "corpus"


def test_a_generated_package_with_its_articles_is_valid(generated):
    pkg, corpus = generated
    report = validate(pkg, corpus)
    assert [(f.type, f.message) for f in report.findings] == []


# --- corruptions ---------------------------------------------------------------------

NOISE = ['"', "\u201c", "\u201d", "\n", "7", "1,200", " twelve ", "-", "_", "a", "A", " ", "\xa0", "May 3", "2019-04"]


def _corrupt_article(rng: random.Random, article: str) -> str:
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(article) + 1)
        kind = rng.random()
        if kind < 0.5:
            article = article[:at] + rng.choice(NOISE) + article[at:]
        elif kind < 0.8:
            article = article[:at] + article[at + rng.randint(1, 5) :]
        else:  # a stretch in another case: near misses
            article = article[:at] + article[at : at + 12].swapcase() + article[at + 12 :]
    return article


def _corrupt_cell(rng: random.Random, frame: pd.DataFrame, col: str, articles: dict[str, str]):
    label = rng.choice(frame.index.tolist())
    value = frame.at[label, col]
    if str(frame[col].dtype) == "Int64":
        frame.at[label, col] = (
            pd.NA
            if rng.random() < 0.15
            else (0 if pd.isna(value) else int(value)) + rng.choice([-40, -3, -1, 1, 2, 25])
        )
        return
    if rng.random() < 0.15 or pd.isna(value):
        frame.at[label, col] = np.nan
        return
    article = rng.choice(list(articles.values()))
    at = rng.randrange(max(1, len(article) - 30))
    frame.at[label, col] = rng.choice(
        [
            value[:-1],
            value[1:],
            value + "x",
            value.upper(),
            value.lower(),
            "x" + value,
            value.replace(" ", "\xa0"),
            article[at : at + rng.randint(1, 25)],
            "Nobody wrote this",
            "",
            "src-unknown",
            value.replace('"', "\u201c"),
            "missing.txt",
            "../" + value,
            "0" * 64,
        ]
    )


def _corrupt_articles(rng: random.Random, articles: dict[str, str]) -> dict[str, str]:
    articles = dict(articles)
    for sid in rng.sample(sorted(articles), min(len(articles), rng.randint(0, 2))):
        if rng.random() < 0.15:
            del articles[sid]  # as when its hash does not match
        else:
            articles[sid] = _corrupt_article(rng, articles[sid])
    return articles


def _corrupt(rng: random.Random, tables: dict, articles: dict[str, str]) -> dict:
    out = dict(tables)
    for name in rng.sample(sorted(tables), rng.randint(1, 4)):
        t = tables[name]
        if len(t.typed) == 0:
            continue
        frame = t.typed.copy()
        s = t.schema
        cols = [
            c
            for c in [
                *(s.anchor.fields if s.anchor else ()),
                s.source_field,
                "extent",
                *(f.name for f in s.fields if f.as_written),
                *((s.corpus.file, s.corpus.sha256) if s.corpus and rng.random() < 0.3 else ()),
            ]
            if c and c in frame.columns
        ]
        for _ in range(rng.randint(1, 6)):
            if cols:
                _corrupt_cell(rng, frame, rng.choice(cols), articles)
        out[name] = dataclasses.replace(t, typed=frame)
    return out


def _same(tables: dict, corpus, rng: random.Random | None = None) -> int:
    """Compare every check; return how many findings the reference made."""
    src = next(t for t in tables.values() if t.schema.corpus is not None)
    loaded = prov.load_articles(src.typed, src.schema, src.name, corpus, src.path)
    assert loaded == ref.load_articles(src.typed, src.schema, src.name, corpus, src.path)
    articles, found = loaded
    if rng is not None:
        articles = _corrupt_articles(rng, articles)
    for t in tables.values():
        args = (t.typed, t.schema, t.name, t.path, articles)
        assert prov.anchor_findings(*args) == ref.anchor_findings(*args), t.name
        assert prov.mention_findings(*args) == ref.mention_findings(*args), t.name
    assert {sid: (x.furniture, x.cover) for sid, x in comp.spans(tables, articles).items()} == {
        sid: (x.furniture, x.cover) for sid, x in ref.spans(tables, articles).items()
    }
    assert comp.coverage(tables, articles) == ref.coverage(tables, articles)
    findings = ref.completeness_findings(tables, articles, src)
    assert comp.completeness_findings(tables, articles, src) == findings
    return (
        len(found)
        + len(findings)
        + sum(len(ref.anchor_findings(t.typed, t.schema, t.name, t.path, articles)) for t in tables.values())
    )


def _differential(pkg, corpus, seed: int, rounds: int) -> int:
    tables = read_tables(pkg).tables
    assert _same(tables, corpus) == 0
    rng = random.Random(seed)
    src = next(t for t in tables.values() if t.schema.corpus is not None)
    articles, _ = ref.load_articles(src.typed, src.schema, src.name, corpus, src.path)
    return sum(_same(_corrupt(rng, tables, articles), corpus, rng) for _ in range(rounds))


@pytest.mark.slow
def test_same_findings_as_before_on_a_corrupted_generated_package(generated, monkeypatch):
    monkeypatch.setattr(frames, "CHUNK_ROWS", 7)  # many chunks of rows, so their seams are crossed
    assert _differential(*generated, seed=1, rounds=15) > 15  # the corruptions are seen


def test_same_findings_as_before_on_the_corrupted_shipped_package():
    assert _differential(synthetic().package, synthetic().corpus, seed=2, rounds=20) > 20


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(5))
def test_same_findings_as_before_many_rounds(generated, seed):
    _differential(*generated, seed=10 + seed, rounds=150)


@pytest.mark.parametrize("prefix", ["keep", "blank"])
def test_a_negative_start_that_still_slices_the_text_as_before(generated, prefix):
    """Python slices from the end for a negative start: the text can still match there."""
    pkg, corpus = generated
    tables = read_tables(pkg).tables
    src = next(t for t in tables.values() if t.schema.corpus is not None)
    articles, _ = prov.load_articles(src.typed, src.schema, src.name, corpus, src.path)
    t = tables["quotes"]
    frame = t.typed.copy()
    label = frame.index[0]
    frame.at[label, "start"] = frame.at[label, "start"] - len(articles[frame.at[label, "source_id"]])
    if prefix == "blank":
        frame.at[label, "prefix"] = np.nan
    args = (frame, t.schema, t.name, t.path, articles)
    assert [f.type for f in ref.anchor_findings(*args)] == ["anchor-prefix-mismatch"]
    assert prov.anchor_findings(*args) == ref.anchor_findings(*args)


def test_mentioned_as_before_on_random_texts():
    """Whole mentions, including occurrences that overlap (only those a search without
    overlap finds count) and hyphens before lowercase values."""
    rng = random.Random(0)
    alphabet = "aab_-\u2010.. A"
    for _ in range(20_000):
        article = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        if article and rng.random() < 0.7:
            i = rng.randrange(len(article))
            value = article[i : i + rng.randint(0, 5)]
        else:
            value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3)))
        assert prov.mentioned(value, article) is ref.mentioned(value, article), (value, article)


def test_quotations_as_before_on_random_texts():
    rng = random.Random(0)
    for _ in range(5_000):
        article = "".join(rng.choice('ab "\u201c\u201d\n') for _ in range(rng.randint(0, 20)))
        assert comp.quotations(article) == ref.quotations(article), article
