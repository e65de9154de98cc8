"""natodata timeline: spans for imprecise dates, planned events apart, every event labelled."""

import re

import pandas as pd
import pytest
from typer.testing import CliRunner

import natodata
from natodata.cli import app
from natodata.tools.timeline import HATCH, STATUSES, draw, status_labels, windows

from tests.helpers import ROOT


def events(rows):
    """A frame shaped like load()["events"]: the date as written, its first day, its bounds."""
    from natodata.tables.dates import partial_date_bounds

    cols = ["id", "label", "status", "date", "date_precision", "date_earliest", "date_latest"]
    df = pd.DataFrame(rows, columns=cols)
    df["date_first_day"], df["date_last_day"] = partial_date_bounds(df["date"])
    for c in ("date_earliest", "date_latest"):
        df[c] = pd.to_datetime(df[c])
    return df


SAMPLE = events(
    [
        ("a", "Request made", "occurred", "2016-05", "month", "2016-05-01", "2016-05-31"),
        ("b", "Mission launched", "occurred", "2018", "year", "2018-01-01", "2018-12-31"),
        ("c", "Strike", "occurred", "2020-01-03", "day", "2020-01-03", "2020-01-03"),
        ("d", "Ministers meet", "occurred", "2020-02-12", "day", "2020-02-12", "2020-02-12"),
        ("e", "Munich meeting", "planned", "2020-02-14", "day", "2020-02-14", "2020-02-14"),
    ]
)


def test_the_dense_run_gets_its_own_window():
    (lo1, hi1), (lo2, hi2) = windows(SAMPLE)
    assert lo1 < pd.Timestamp("2016-05-01") and hi1 == pd.Timestamp("2019-01-01")
    assert lo2 == pd.Timestamp("2020-01-01") and hi2 > pd.Timestamp("2020-02-14")


def test_one_window_when_nothing_comes_before():
    assert len(windows(SAMPLE.iloc[2:])) == 1


@pytest.mark.slow
def test_svg_labels_spans_points_and_planned(tmp_path):
    out = draw(SAMPLE, tmp_path / "t.svg")
    svg = out.read_text()
    for label in SAMPLE.label:
        assert label in svg
    assert "Mission launched  (2018)" in svg and "Strike  (03 Jan 2020)" in svg
    # the planned event is drawn hollow (white fill) with the planned colour
    assert re.search(r"fill: #ffffff; stroke: #e69f00", svg)
    assert draw(SAMPLE, tmp_path / "u.svg").read_text() == svg  # deterministic


@pytest.mark.slow
def test_png(tmp_path):
    assert (draw(SAMPLE, tmp_path / "t.png")).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_cli_draws_the_shipped_events(tmp_path):
    out = tmp_path / "timeline.svg"
    result = CliRunner().invoke(app, ["timeline", "--output", str(out)])
    n = len(natodata.load()["events"])
    assert (result.exit_code, result.output) == (0, f"wrote {out}: {n} events\n")


def test_cli_refuses_other_formats(tmp_path):
    result = CliRunner().invoke(app, ["timeline", "--output", str(tmp_path / "t.pdf")])
    assert (result.exit_code, result.output) == (2, "Error: timeline output must end in .svg or .png, not 't.pdf'\n")


@pytest.mark.slow
def test_the_legend_tells_every_status_and_precision_apart(tmp_path):
    rows = [(s, s.title(), s, "2020-02-12", "day", "2020-02-12", "2020-02-12") for s in STATUSES]
    rows += [
        ("m", "Month", "occurred", "2020-01", "month", "2020-01-03", "2020-01-31"),
        ("y", "Year", "proposed", "2020", "year", "2020-06-01", "2020-08-31"),
    ]
    labels = status_labels(ROOT)
    svg = draw(events(rows), tmp_path / "t.svg", labels=labels).read_text()
    styles = {(c, m, f, ls) for c, m, f, ls in STATUSES.values()}
    assert len(styles) == len({c for c, *_ in styles}) == len(STATUSES) == 5  # a colour of its own each
    assert list(labels) == list(STATUSES)  # every status of the vocabulary is drawn its own way
    for status, (color, *_) in STATUSES.items():
        assert f"{status}: {labels[status]}" in svg and color in svg  # the schema's words, not ours
    assert labels["ongoing"] == "It was under way when the source was published."
    assert labels["proposed"] == "It was proposed or considered, not decided."
    assert "occurred, exact day" not in svg  # the old legend called every filled point that
    for text in (
        "day known: a point",
        "month known: a bar over the days the evidence allows",
        "only the year known: a hatched bar over those days",
    ):
        assert text in svg
    assert HATCH["month"] != HATCH["year"] and svg.count('id="h') >= 1  # the year bars are hatched


def test_the_status_labels_are_the_vocabulary_of_the_events_schema(pkg):
    def relabel(d):
        status = next(f for f in d["fields"] if f["name"] == "status")
        status["categories"][0]["label"] = "Done."
        del status["categories"][1]["label"]

    pkg.edit_schema("events", relabel)
    labels = status_labels(pkg.root)
    assert (labels["occurred"], labels["ongoing"]) == ("Done.", "ongoing")
    assert labels["planned"] == "It is scheduled or intended for a later date."
