"""natodata anchor: offsets and context from the verbatim text, refusing ambiguity."""

import pytest

from natodata.checks.validate import validate
from natodata.tools.anchor import anchor_package, context
from natodata.errors import AnchorError


def test_anchor_fills_blank_offsets_exactly_as_shipped(pkg, corpus):
    fields = ("start", "end", "prefix", "suffix")
    original = {f: pkg.get("quotes", 2, f) for f in fields}
    for f in fields:
        pkg.set("quotes", 2, f, "")
    result = anchor_package(pkg.root, corpus)
    assert result.changed_files == ["data/quotes.csv"]
    assert result.changed_rows == 1
    assert {f: pkg.get("quotes", 2, f) for f in fields} == original


def test_anchor_is_idempotent_on_shipped_data(pkg, corpus):
    result = anchor_package(pkg.root, corpus)
    assert (result.changed_rows, result.changed_files) == (0, [])


def test_anchor_refuses_ambiguous_text_and_writes_nothing(pkg, corpus):
    rows = pkg.rows("figures")
    header = rows[0]
    first = dict(zip(header, rows[1]))
    # "NATO" occurs many times in any article of the corpus.
    pkg.append(
        "figures", {**first, "id": "f-ambiguous", "wording": "NATO", "start": "", "end": "", "prefix": "", "suffix": ""}
    )
    before = {t: pkg.csv(t).read_bytes() for t in ("figures", "quotes", "event_evidence")}
    with pytest.raises(AnchorError, match=r"wording 'NATO' occurs \d+ times \(at \d+, \d+"):
        anchor_package(pkg.root, corpus)
    assert {t: pkg.csv(t).read_bytes() for t in before} == before


def test_prefix_picks_an_occurrence(pkg, corpus):
    rows = pkg.rows("figures")
    # a figure from src-003, whose article has "NATO mission, while" once
    first = next(dict(zip(rows[0], r)) for r in rows[1:] if r[rows[0].index("source_id")] == "src-003")
    pkg.append(
        "figures",
        {
            **first,
            "id": "f-picked",
            "wording": "NATO",
            "start": "",
            "end": "",
            "prefix": "",
            "suffix": " mission, while",
        },
    )
    anchor_package(pkg.root, corpus)
    rows = pkg.rows("figures")
    picked = next(dict(zip(rows[0], r)) for r in rows[1:] if r[0] == "f-picked")
    assert picked["suffix"].startswith(" mission, while")
    start, end = int(picked["start"]), int(picked["end"])
    article = (
        corpus / next(r for r in pkg.rows("sources") if r[0] == "src-003")[pkg.rows("sources")[0].index("corpus_file")]
    ).read_text(encoding="utf-8")
    assert article[start:end] == "NATO" and article[end:].startswith(" mission, while")
    assert article.count("NATO") > 1  # the suffix, not uniqueness, picked this occurrence


def test_context_is_the_articles_characters_up_to_a_line_break():
    article = "first line\n-- dash then words TEXT after\nnext"
    s = article.index("TEXT")
    assert context(article, s, s + 4) == ("-- dash then words ", " after")
    article = "x=+@TEXT"
    assert context(article, 4, 8) == ("x=+@", "")
    article = "=@TEXT-tail\ttab"
    assert context(article, 2, 6) == ("=@", "-tail")
    article = "a 500-strong mission"
    assert context(article, 2, 5) == ("a ", "-strong mission")


def test_a_suffix_starting_with_a_dash_validates(pkg, corpus):
    """The documented workflow: anchor, fmt, validate. "500-strong" once lost its "-"."""
    from natodata.checks.validate import validate
    from natodata.tools.fmt import format_package

    rows = pkg.rows("figures")
    first = next(dict(zip(rows[0], r)) for r in rows[1:] if r[rows[0].index("source_id")] == "src-003")
    pkg.append(
        "figures",
        {**first, "id": "f-dash", "wording": "runs a 500", "start": "", "end": "", "prefix": "", "suffix": ""},
    )
    anchor_package(pkg.root, corpus)
    format_package(pkg.root)
    assert validate(pkg.root, corpus).errors == []
    rows = pkg.rows("figures")
    assert next(dict(zip(rows[0], r)) for r in rows[1:] if r[0] == "f-dash")["suffix"] == "-strong mission to t"


def test_the_context_is_as_long_as_the_schema_allows(pkg, corpus):
    """anchor reads how long a prefix and a suffix may be from the schema (maxLength)."""

    def limit(d):
        for f in d["fields"]:
            if f["name"] in ("prefix", "suffix"):
                f["constraints"] = {"maxLength": 5}

    pkg.edit_schema("figures", limit)
    anchor_package(pkg.root, corpus)
    rows = pkg.rows("figures")
    h = rows[0]
    contexts = [(r[h.index("prefix")], r[h.index("suffix")]) for r in rows[1:]]
    assert all(len(p) <= 5 and len(s) <= 5 for p, s in contexts)
    assert max(len(p) for p, _ in contexts) == max(len(s) for _, s in contexts) == 5
    assert validate(pkg.root, corpus).errors == []
