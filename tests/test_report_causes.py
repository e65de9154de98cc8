"""Causes first: a finding that follows from a table that could not be read is folded into
that table's problem, a table's own problems come before those of the tables that refer
to it, and no message shows pandas' NaT, nan or <NA>, or Python's None."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.helpers import added
from natodata.checks.validate import validate
from natodata.cli import app
from natodata.findings import Finding, Report, display_value

# Whole-package validations, seconds in all: run by CI's `pytest -m slow` to keep the default suite under 30 s.
pytestmark = pytest.mark.slow

runner = CliRunner()

FIGURES_TYPO = (
    "schemas/figures.json#/fields/9/type: error schema-error: type 'numbr' is not a Table Schema type (string, "
    "number, integer, boolean, object, array, list, date, time, datetime, year, yearmonth, duration, geopoint, "
    "geojson, any)"
)
ACTORS_LATIN1 = (
    "data/actors.csv:3: error encoding-error: file is not valid UTF-8: byte 0xe9 at line 3 cannot be decoded; "
    "so table 'actors' could not be read, which stopped 5 checks that depend on it (foreign-key): fix this first"
)


def latin1(pkg, line: int = 3) -> None:
    rows = pkg.csv("actors").read_bytes().split(b"\n")
    rows[line - 1] = rows[line - 1].replace(b"e", b"\xe9", 1)
    pkg.csv("actors").write_bytes(b"\n".join(rows))


def test_an_unreadable_table_is_one_line_that_counts_what_it_stopped(pkg):
    latin1(pkg)
    result = runner.invoke(app, ["validate", str(pkg.root), "--ignore", "claim-disagreement"])
    assert (result.exit_code, result.stdout) == (1, ACTORS_LATIN1 + "\ninvalid: 1 error, 0 warnings, 2 ignored\n")
    doc = json.loads(
        runner.invoke(app, ["validate", str(pkg.root), "-f", "json", "--ignore", "claim-disagreement"]).stdout
    )
    assert [(f["type"], f["stopped"]) for f in doc["findings"]] == [("encoding-error", 5)]


@pytest.mark.slow  # validate --corpus on the whole package
def test_a_schema_typo_stops_the_completeness_checks_it_causes(pkg, corpus):
    pkg.edit_schema("figures", lambda d: d["fields"][9].update(type="numbr"))
    result = runner.invoke(app, ["validate", str(pkg.root), "--corpus", str(corpus)])
    assert (result.exit_code, result.stdout) == (
        1,
        FIGURES_TYPO + "; so table 'figures' could not be read, which stopped "
        "18 checks that depend on it (uncoded-number): fix this first\n"
        "invalid: 1 error, 0 warnings\n",
    )


def test_a_schema_typo_alone_is_one_line(pkg):
    pkg.edit_schema("figures", lambda d: d["fields"][9].update(type="numbr"))
    result = runner.invoke(app, ["validate", str(pkg.root)])
    assert (result.exit_code, result.stdout) == (1, FIGURES_TYPO + "\ninvalid: 1 error, 0 warnings\n")


def test_a_table_comes_before_the_tables_that_refer_to_it(pkg):
    latin1(pkg)
    pkg.set("actor_aliases", 2, "alias", "")
    result = runner.invoke(app, ["validate", str(pkg.root), "--ignore", "claim-disagreement"])
    assert result.stdout.splitlines() == [
        ACTORS_LATIN1,  # data/actors.csv, before data/actor_aliases.csv, which refers to it
        "data/actor_aliases.csv:2: error required-constraint [alias]: alias is required but blank",
        "invalid: 2 errors, 0 warnings, 2 ignored",
    ]


def test_a_finding_whose_cause_is_not_reported_stays():
    orphan = Finding("foreign-key", "refers to t(id), which could not be read", table="u", depends_on="t")
    assert Report([orphan]).fold().findings == [orphan]


@pytest.mark.slow  # two whole-package validations (added() keeps a baseline)
def test_no_nat_nan_or_none_in_messages(pkg):
    pkg.set("events", 2, "date_earliest", "")  # blank: required, and no bound compared
    pkg.set("events", 3, "date_latest", "2020-13-01")  # not a date: a type error, and no bound compared
    pkg.set("figures", 2, "value_best", "nan")  # NaN is a value, as Table Schema writes it
    report = validate(pkg.root)
    assert added(report) == [
        ("required-constraint", "events", 2, "date_earliest"),
        ("type-error", "events", 3, "date_latest"),
        ("value-order", "figures", 2, "value_best"),
    ]
    message = next(f.message for f in report.findings if f.type == "value-order")
    assert message == (
        f"value_low ≤ value_best ≤ value_high does not hold: {pkg.get('figures', 2, 'value_low')}, NaN, "
        f"{pkg.get('figures', 2, 'value_high')}"
    )
    for f in report.findings:
        for word in ("NaT", "nan", "<NA>", "None"):
            assert word not in f.message.replace("NaN", ""), f


def test_display_value_of_missing_and_special_values():
    import numpy as np
    import pandas as pd

    assert [
        display_value(v)
        for v in (
            None,
            pd.NA,
            pd.NaT,
            np.datetime64("NaT"),
            float("nan"),
            np.float64("nan"),
            float("inf"),
            float("-inf"),
            2.0,
            pd.Timestamp("2020-02-01"),
        )
    ] == ["(blank)", "(blank)", "(blank)", "(blank)", "NaN", "NaN", "INF", "-INF", "2", "2020-02-01"]


def test_the_provenance_note_only_where_a_schema_asks_for_provenance(pkg, tmp_path):
    from tests.test_cli_paths import tiny_package

    result = runner.invoke(app, ["validate", str(pkg.root), "--ignore", "claim-disagreement"])
    assert result.stderr == "note: provenance checks skipped: give --corpus DIR to check rows against their articles\n"
    result = runner.invoke(app, ["validate", str(tiny_package(tmp_path / "tiny"))])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "valid: 0 errors, 0 warnings\n", "")


def test_stats_counts_what_any_package_declares(tmp_path):
    root = tmp_path / "pkg"
    (root / "data").mkdir(parents=True)
    (root / "data" / "mentions.csv").write_text(
        "id,article,statement_id,who\nm1,a.txt,s1,x\nm2,a.txt,s1,x\nm3,b.txt,s2,y\n", encoding="utf-8"
    )
    (root / "data" / "links.csv").write_text("article,mention\na.txt,m1\nb.txt,m1\nb.txt,m3\n", encoding="utf-8")
    mentions = {
        "x-source": "article",
        "primaryKey": ["id"],
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "article", "type": "string"},
            {"name": "statement_id", "type": "string"},
            {"name": "who", "type": "string"},
        ],
        "x-checks": [{"rule": "statement-speaker-conflict", "group": "statement_id", "field": "who"}],
    }
    links = {
        "x-source": "article",
        "primaryKey": ["article", "mention"],
        "fields": [{"name": "article", "type": "string"}, {"name": "mention", "type": "string"}],
        "foreignKeys": [{"fields": ["mention"], "reference": {"resource": "mentions", "fields": ["id"]}}],
    }
    (root / "datapackage.json").write_text(
        json.dumps(
            {
                "name": "p",
                "resources": [
                    {"name": "mentions", "path": "data/mentions.csv", "schema": mentions},
                    {"name": "links", "path": "data/links.csv", "schema": links},
                ],
            }
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["stats", str(root)])
    assert (result.exit_code, result.stdout) == (
        0,
        "source  mentions  statements  links\n"
        "a.txt          2           1      1\n"
        "b.txt          1           1      2\n"
        "total          3           2      2\n",
    )


#: What a table that could not be read stopped: the references of four tables into it.
ACTORS_STOPPED = (
    "; so table 'actors' could not be read, which stopped 5 checks that depend on it (foreign-key): fix this first"
)


def set_dialect(pkg, dialect: dict) -> None:
    d = json.loads((pkg.root / "datapackage.json").read_text())
    next(r for r in d["resources"] if r["name"] == "actors")["dialect"] = dialect
    (pkg.root / "datapackage.json").write_text(json.dumps(d))


@pytest.mark.parametrize(
    "name, edit, expected",
    [
        (
            "latin-1",
            lambda pkg, b: b.replace(b"Stoltenberg", b"Stolt\xe9nberg", 1),
            (
                "encoding-error",
                None,
                "file is not valid UTF-8: byte 0xe9 at line 18 cannot be decoded" + ACTORS_STOPPED,
            ),
        ),
        (
            "cesu-8 surrogate",
            lambda pkg, b: b.replace(b"Stoltenberg", b"Stolt\xed\xa0\x80nberg", 1),
            (
                "encoding-error",
                None,
                "file is not valid UTF-8: byte 0xed at line 18 cannot be decoded" + ACTORS_STOPPED,
            ),
        ),
        (
            "overlong NUL",
            lambda pkg, b: b.replace(b"Stoltenberg", b"Stolt\xc0\x80nberg", 1),
            (
                "encoding-error",
                None,
                "file is not valid UTF-8: byte 0xc0 at line 18 cannot be decoded" + ACTORS_STOPPED,
            ),
        ),
        (
            "CR only",
            lambda pkg, b: b.replace(b"\n", b"\r"),
            ("line-ending", None, "file has CR or CRLF line endings; use LF only"),
        ),
        (
            "NUL byte",
            lambda pkg, b: b.replace(b"Stoltenberg", b"Stolt\x00nberg", 1),
            ("csv-error", None, "file contains a NUL character" + ACTORS_STOPPED),
        ),
        (
            "lineTerminator",
            lambda pkg, b: set_dialect(pkg, {"lineTerminator": ";"}) or b,
            (
                "unsupported-feature",
                "/resources/1/dialect/lineTerminator",
                "lineTerminator ';' is not supported (records end with \\n, \\r\\n or \\r)" + ACTORS_STOPPED,
            ),
        ),
    ],
)
def test_a_table_that_cannot_be_read_is_named_with_what_it_stopped_and_exit_1(pkg, name, edit, expected):
    """What tests/tables/test_csvfile.py and test_read.py find in one file, through the
    whole run: the one finding about the table, folding in the checks it stopped."""
    f = pkg.csv("actors")
    f.write_bytes(edit(pkg, f.read_bytes()))
    result = runner.invoke(app, ["validate", str(pkg.root), "--format", "json"])
    assert result.exit_code == 1
    found = [
        (d["type"], d["pointer"], d["message"]) for d in json.loads(result.stdout)["findings"] if d["table"] == "actors"
    ]
    assert found == [expected]
