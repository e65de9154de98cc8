"""Error messages that tell a coder what to do: did you mean, near misses, no cascades."""

import shutil

from typer.testing import CliRunner

from natodata.checks.hints import did_you_mean, near_miss
from natodata.checks.validate import validate
from natodata.cli import app

from tests.helpers import added
import pytest

# Whole-package validations, seconds in all: run by CI's `pytest -m slow` to keep the default suite under 30 s.
pytestmark = pytest.mark.slow

runner = CliRunner()


def test_did_you_mean_names_the_closest_key_or_nothing():
    keys = ["jens-stoltenberg", "mark-esper", "nato"]
    assert did_you_mean("jens-stoltenbrg", keys) == "; did you mean 'jens-stoltenberg'?"
    assert did_you_mean("completely-else", keys) == ""


def test_near_miss_names_each_difference():
    article = "He said \u201cthe NATO\u2019s\xa0mission is  big\u201d today."
    assert near_miss(article, "the NATO\u2019s\xa0mission is  big") is None  # an exact match is no miss
    assert near_miss(article, "The NATO\u2019s\xa0mission").differences == ("case",)
    assert near_miss(article, "the NATO's\xa0mission").differences == ("quotation-mark style (straight vs curly)",)
    assert near_miss(article, "the NATO\u2019s mission").differences == ("NBSP vs space",)
    assert near_miss(article, "mission is big").differences == ("whitespace",)
    assert near_miss(article, "the NATO\u2019s\xa0mission is  small") is None


def test_foreign_key_hint(pkg):
    line = 2
    pkg.set("quotes", line, "speaker_id", "jens-stoltenbrg")
    report = validate(pkg.root)
    assert [f.message for f in report.findings if f.type == "foreign-key"] == [
        "(speaker_id) = (jens-stoltenbrg) has no match in actors(id); did you mean 'jens-stoltenberg'?"
    ]


def test_anchor_text_mismatch_names_quote_style(pkg, corpus):
    # a quotation typed with a straight apostrophe where the article prints a curly one
    rows = pkg.rows("quotes")
    h = rows[0]
    line = next(i for i, r in enumerate(rows[1:], start=2) if "\u2019" in r[h.index("text")])
    text = pkg.get("quotes", line, "text")
    start = int(pkg.get("quotes", line, "start"))
    pkg.set("quotes", line, "text", text.replace("\u2019", "'"))
    report = validate(pkg.root, corpus)
    assert added(report, corpus) == [("anchor-text-mismatch", "quotes", line, "text")]
    message = next(f.message for f in report.findings if f.type == "anchor-text-mismatch")
    assert message.endswith(
        f"it does not occur in the article; the article has {text!r} at {start}..{start + len(text)}, "
        "which differs only in quotation-mark style (straight vs curly) (run natodata anchor)"
    )


def test_wrong_corpus_gives_one_finding_per_source(pkg, corpus, tmp_path):
    # the right file names with the wrong articles in them: one finding per source, no cascade
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    names = sorted(p.name for p in corpus.iterdir())
    for name, other in zip(names, names[1:] + names[:1]):
        shutil.copy(corpus / other, wrong / name)
    report = validate(pkg.root, wrong)
    new = added(report, corpus)
    assert new == [("corpus-hash-mismatch", "sources", line, "sha256") for line in range(2, 7)]
    assert next(f.message for f in report.findings if f.type == "corpus-hash-mismatch").endswith(
        ": the article changed or --corpus names another corpus; the rows of src-000 are not checked against it"
    )


def test_a_corpus_without_the_articles_gives_one_finding_per_source(pkg, corpus, tmp_path):
    report = validate(pkg.root, tmp_path)
    assert added(report, corpus) == [("corpus-file-missing", "sources", line, "corpus_file") for line in range(2, 7)]
    assert next(f.message for f in report.findings if f.type == "corpus-file-missing") == (
        f"article file '000_64f44dd9a7ae3e37.txt' is not in the corpus {tmp_path}"
    )


def test_anchor_refuses_an_unreadable_table(pkg, corpus):
    with pkg.csv("quotes").open("ab") as f:
        f.write(b"\xff\n")
    before = {t: pkg.csv(t).read_bytes() for t in ("figures", "quotes", "event_evidence")}
    result = runner.invoke(app, ["anchor", str(pkg.root), "--corpus", str(corpus)])
    assert result.exit_code == 1
    line = len(pkg.csv("quotes").read_bytes().split(b"\n")) - 1
    assert result.output == (
        "Error: nothing written; these rows cannot be anchored:\n"
        f"  data/quotes.csv:{line}: encoding-error: file is not valid UTF-8: byte 0xff at line {line} cannot be decoded\n"
    )
    assert {t: pkg.csv(t).read_bytes() for t in before} == before


def test_anchor_names_a_near_miss(pkg, corpus):
    text = pkg.get("quotes", 2, "text")
    for f in ("start", "end", "prefix", "suffix"):
        pkg.set("quotes", 2, f, "")
    pkg.set("quotes", 2, "text", text.upper())
    result = runner.invoke(app, ["anchor", str(pkg.root), "--corpus", str(corpus)])
    assert result.exit_code == 1
    assert result.output == (
        "Error: nothing written; these rows cannot be anchored:\n"
        f"  data/quotes.csv:2: text {text.upper()!r} does not occur in the article src-000; "
        f"the article has {text!r} at 647..750, which differs only in case\n"
    )


def test_a_near_miss_is_found_by_folding_exactly_as_the_pattern_would():
    from natodata.checks.hints import near_miss

    article = "He said \u201cHello  World\u201d today, and \u201chello world\u201d again"
    m = near_miss(article, '"hello world"', 5)
    assert (m.start, m.end, m.found, m.differences) == (
        8,
        22,
        "\u201cHello  World\u201d",
        ("case", "quotation-mark style (straight vs curly)", "whitespace"),
    )
    assert near_miss(article, '"hello world"', 40).start == 34
    assert near_miss("\u212a", "k") is None  # the Kelvin sign is not a case of k for the pattern either
    m = near_miss(" " * 5000 + "X  ", " x ")
    assert (m.start, m.end) == (0, 5003) and m.describe() == (
        "the article has '" + " " * 59 + "\u2026' at 0..5003, which differs only in case and whitespace"
    )
