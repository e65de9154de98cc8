"""Provenance against the corpus: article files, hashes, anchors, names as written."""

import pytest

from natodata.errors import UnreadableInput
from natodata.checks.validate import validate

from tests.helpers import added


def test_hash_mismatch(pkg, corpus):
    pkg.set("sources", 2, "sha256", "0" * 64)
    assert added(validate(pkg.root, corpus), corpus) == [("corpus-hash-mismatch", "sources", 2, "sha256")]


def test_missing_article(pkg, corpus):
    pkg.set("sources", 2, "corpus_file", "missing.txt")
    assert added(validate(pkg.root, corpus), corpus) == [("corpus-file-missing", "sources", 2, "corpus_file")]


def test_missing_corpus_directory(pkg, tmp_path):
    with pytest.raises(UnreadableInput, match="corpus directory not found"):
        validate(pkg.root, tmp_path / "nope")


def shift(pkg, by):
    start, end = int(pkg.get("quotes", 2, "start")), int(pkg.get("quotes", 2, "end"))
    pkg.set("quotes", 2, "start", str(start + by))
    pkg.set("quotes", 2, "end", str(end + by))
    return start, end


def test_text_mismatch_shows_expected_found_and_nearest(pkg, corpus):
    start, end = shift(pkg, 3)
    report = validate(pkg.root, corpus)
    assert added(report, corpus) == [("anchor-text-mismatch", "quotes", 2, "text")]
    f = next(f for f in report.findings if f.type == "anchor-text-mismatch")
    assert f"at {start + 3}..{end + 3} of " in f.message
    assert ", found '" in f.message
    assert f"it occurs at {start}..{end}" in f.message


def test_text_not_in_article(pkg, corpus):
    pkg.set("quotes", 2, "text", "Words nobody wrote")
    pkg.set("quotes", 2, "end", str(int(pkg.get("quotes", 2, "start")) + len("Words nobody wrote")))
    report = validate(pkg.root, corpus)
    assert added(report, corpus) == [("anchor-text-mismatch", "quotes", 2, "text")]
    assert "it does not occur in the article" in next(
        f.message for f in report.findings if f.type == "anchor-text-mismatch"
    )


def test_prefix_and_suffix_mismatch(pkg, corpus):
    pkg.set("figures", 2, "prefix", "not the prefix")
    pkg.set("figures", 2, "suffix", "not the suffix")
    assert added(validate(pkg.root, corpus), corpus) == [
        ("anchor-prefix-mismatch", "figures", 2, "prefix"),
        ("anchor-suffix-mismatch", "figures", 2, "suffix"),
    ]


def test_alias_not_in_source(pkg, corpus):
    pkg.set("actor_aliases", 2, "alias", "Nobody Atall")
    assert ("not-in-source", "actor_aliases", 2, "alias") in added(validate(pkg.root, corpus), corpus)


@pytest.mark.parametrize(
    "value, article, expected",
    [
        ("Trump administration", "for the Trump administration.", True),
        ("Trump administratio", "for the Trump administration.", False),
        ("led multinational coalition", "the US-led multinational coalition", False),
        ("US-led multinational coalition", "the US-led multinational coalition", True),
        ("IS", "NATO Agrees to Expand Anti-IS Training Mission", True),
        ("IS", "the defeat of ISIS", False),
        ("Donald Trump", "President Donald Trump's demand", True),
        ("Iran", "killed Iran’s top general", True),
        ("NATO", "NATO-led", True),
    ],
)
def test_mentions_are_whole_words(value, article, expected):
    from natodata.checks.provenance import mentioned

    assert mentioned(value, article) is expected


def test_a_cut_alias_is_not_in_source(pkg, corpus):
    rows = pkg.rows("actor_aliases")
    line = next(i for i, r in enumerate(rows) if r[1] == "Donald Trump") + 1
    pkg.set("actor_aliases", line, "alias", "Donald Trum")
    report = validate(pkg.root, corpus)
    assert [(f.type, f.line, f.message) for f in report.findings if f.type == "not-in-source"] == [
        (
            "not-in-source",
            line,
            "'Donald Trum' does not occur in the article of src-000 (only inside a longer word or name)",
        )
    ]
