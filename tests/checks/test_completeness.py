"""Completeness: every quotation and number in content is coded, marked uncoded, or furniture."""

import json
import random
import re

from typer.testing import CliRunner

from natodata.checks import completeness
from natodata.checks.completeness import NUMBER, numbers, quotations
from natodata.checks.validate import validate
from natodata.cli import app

from tests.helpers import added

runner = CliRunner()


def drop(pkg, table, row_id):
    rows = pkg.rows(table)
    pkg.write_rows(table, [r for r in rows if r[0] != row_id])
    assert len(pkg.rows(table)) == len(rows) - 1


def test_quotation_pairs_on_a_line():
    article = 'He said “one thing” and "another".\n“Open to the end\nclosed” here'
    assert [(q.start, q.end, q.text) for q in quotations(article)] == [
        (8, 19, "“one thing”"),
        (24, 33, '"another"'),
        (35, 51, "“Open to the end"),
        (52, 59, "closed”"),
    ]


def test_numbers_words_vague_phrases_and_dates():
    article = "About 5,200 troops, a couple of hundred trainers and three bases on Feb. 12, 2020 at 04:57; often, 2nd."
    assert [(n.text, n.date) for n in numbers(article)] == [
        ("5,200", False),
        ("a couple of hundred", False),
        ("three", False),
        ("12", True),
        ("2020", True),
        ("04:57", True),
    ]


def test_the_fast_number_search_finds_what_the_number_pattern_finds():
    rng = random.Random(0)
    pieces = [
        "one",
        "Two",
        "SEVEN",
        "seventeen",
        "a few",
        "a couple of",
        " hundred",
        "several",
        "5",
        "12",
        ",",
        ".",
        ":",
        "-",
        "/",
        " ",
        "\n",
        "_",
        "x",
        "é",
        "\u0130",
        "\u0131",
        "\u017f",
        "\u212a",
        "ſeven",
        "\u0661",
        "Feb. ",
    ]
    for _ in range(5_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert completeness.number_spans(text) == [m.span() for m in NUMBER.finditer(text)], text


def test_lowercasing_keeps_what_the_fast_number_search_relies_on():
    """Outside completeness.FOLDS, lowercasing a character gives one character that is
    a word character (or a . or ,) exactly when the original is, and an ASCII letter
    exactly when (?i) matches the original to that letter."""
    chars = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000 and chr(i) not in completeness.FOLDS)
    lowered = chars.lower()
    assert len(lowered) == len(chars)
    for pattern in (r"\w", r"[.,]", *sorted(set(completeness.WORDS) - {"|"})):
        assert [m.start() for m in re.finditer(pattern, lowered)] == [
            m.start() for m in re.finditer("(?i)" + pattern if pattern.isalpha() else pattern, chars)
        ], pattern


def line_at(corpus, file: str, offset: int) -> int:
    """The line (1-based) of the synthetic article ``file`` that holds ``offset``: the
    synthetic articles break lines where the rows' contexts say (tests.helpers.corpus)."""
    return (corpus / file).read_text(encoding="utf-8")[:offset].count("\n") + 1


def test_an_uncoded_quotation_is_reported_with_its_line_and_offset(pkg, corpus):
    drop(pkg, "uncoded", "u-000-nato-brand")
    report = validate(pkg.root, corpus)
    assert added(report, corpus) == [("uncoded-quotation", "sources", 2, "corpus_file")]
    line = line_at(corpus, "000_64f44dd9a7ae3e37.txt", 1593)
    assert (corpus / "000_64f44dd9a7ae3e37.txt").read_text(encoding="utf-8")[1593:1605] == "“NATO brand”"
    assert [f.message for f in report.findings if f.type == "uncoded-quotation"] == [
        f"quotation '“NATO brand”' at src-000 line {line}, offset 1593..1605 is not coded: add a quotes row, or an "
        "uncoded row with its reason (scare quotes, docs/CODING.md 6.1), or mark its span as furniture"
    ]


def test_an_uncoded_number_is_reported_with_its_line_and_offset(pkg, corpus):
    drop(pkg, "figures", "f-003-us-soldiers")
    report = validate(pkg.root, corpus)
    # (a claim-disagreement warning moves up a line with the rows after the dropped one)
    assert [f for f in added(report, corpus) if f[0] != "claim-disagreement"] == [
        ("uncoded-number", "sources", 5, "corpus_file")
    ]
    line = line_at(corpus, "003_e0fa047ff47e3db9.txt", 2156)
    assert [f.message for f in report.findings if f.type == "uncoded-number"] == [
        f"number '5,200' at src-003 line {line}, offset 2156..2161 is not coded: add a figures row, or an uncoded row "
        "with its reason (a date, ordinal or name, docs/CODING.md 7.1), or mark its span as furniture"
    ]


def test_furniture_extent_covers_the_rest_of_the_article(pkg, corpus):
    drop(pkg, "furniture", "fu-004-related-stories")
    report = validate(pkg.root, corpus)
    found = [f.value for f in report.findings if f.type == "uncoded-number"]
    # the related stories' dates, times and counts (tests.helpers.corpus.TRAILER): all in the
    # span the row marked, from its opening to the end of the article
    assert found == ["Five", "29", "2020", "02/04/2020", "04:57", "Three"]
    assert [f.value for f in report.findings if f.type == "uncoded-quotation"] == ["“Allies weigh next steps”"]


def test_stats_reports_coverage_per_source(shipped, corpus):
    result = runner.invoke(app, ["stats", str(shipped), "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[-4:] == ["quotations", "numbers", "uncovered", "covered_pct"]
    assert lines[-1].split()[-4:] == ["24", "28", "0", "100.0"]
    doc = json.loads(runner.invoke(app, ["stats", str(shipped), "--corpus", str(corpus), "--format", "json"]).output)
    assert {k: doc["src-000"][k] for k in ("quotations", "numbers", "uncovered", "covered_pct")} == {
        "quotations": 3,
        "numbers": 4,
        "uncovered": 0,
        "covered_pct": 100.0,
    }
