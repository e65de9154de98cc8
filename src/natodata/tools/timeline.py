"""``timeline``: the events drawn on a time axis, as SVG or PNG.

Each status has its own colour and marker (:data:`STATUSES`): what had happened or was
under way when the source was published is filled, what was planned, announced or
proposed is hollow. The legend says what each status means in the words of the
``events.status`` vocabulary (its categories' labels, :func:`status_labels`). The precision shows in the shape: a date known to the day is a
point; a date known to the month is a bar from ``date_earliest`` to ``date_latest`` (the
days the evidence allows), and one known only to the year a hatched bar, so no imprecise
date looks precise. The densest run of events gets a panel of its own, beside the years
before it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..atomic import Staged, not_a_directory
from ..errors import NothingToDraw, UsageError

#: How each status is drawn: (colour, marker, filled, bar line style). Okabe-Ito colours.
#: What a status means is the schema's (``events.status`` categories), not this table's.
STATUSES = {
    "occurred": ("#0072b2", "o", True, "-"),
    "ongoing": ("#009e73", "s", True, "-"),
    "planned": ("#e69f00", "D", False, "--"),
    "announced": ("#cc79a7", "^", False, "-."),
    "proposed": ("#d55e00", "v", False, ":"),
}
OTHER = ("#777777", "X", False, "-")
#: How each precision is drawn: hatching of the bar (None: a point).
HATCH = {"day": None, "month": "", "year": "////"}
GAP = pd.Timedelta(days=120)  # a quiet stretch longer than this starts a new panel
PAD = pd.Timedelta(days=12)


def windows(ev: pd.DataFrame) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """At most two time windows covering every event: the densest run of events (grouped
    by the middle of their spans; a gap longer than GAP between middles ends a run) with
    everything after it, and, if anything comes before it, the years before. The dense
    run then gets an axis of its own instead of being squeezed into a few pixels."""
    mid = (ev.date_earliest + (ev.date_latest - ev.date_earliest) / 2).sort_values()
    runs = (mid.diff() > GAP).cumsum()
    densest = runs.value_counts().sort_index().idxmax()
    late = ev.loc[mid.index[(runs >= densest).to_numpy()]]
    early = ev.drop(late.index)
    one_day = pd.Timedelta(days=1)
    start = late.date_earliest.min()
    out = []
    if len(early):
        out.append((early.date_earliest.min() - PAD, min(early.date_latest.max() + one_day, start)))
        start_pad = start - 2 * one_day
    else:
        start_pad = start - PAD
    out.append((start_pad, late.date_latest.max() + PAD + one_day))
    return out


def _fill(color: str, filled: bool) -> str:
    """A bar's face: the status colour, lightened, or white for a hollow status."""
    if not filled:
        return "white"
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(v + (255 - v) * 0.45) for v in (r, g, b)))


def status_labels(root: Path | str) -> dict[str, str]:
    """What each ``events.status`` value means: its category's label in the events schema
    of the package at ``root`` (the value itself where a category has no label)."""
    from ..model.descriptor import load_package

    res = load_package(root).resource("events")
    field = res.schema.field("status") if res is not None and res.schema is not None else None
    if field is None or field.vocabulary is None:
        return {}
    return {v: field.labels.get(v) or v for v in field.vocabulary}


def _when(row) -> str:
    fmt = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}[row.date_precision]
    return row.date_first_day.strftime(fmt)


def draw(
    events: pd.DataFrame,
    output: Path | str,
    title: str = "NATO's training mission in Iraq in the news",
    labels: dict[str, str] | None = None,
) -> Path:
    """Draw ``events`` (a frame as returned by natodata.load()) to ``output`` (.svg or .png).
    ``labels`` (:func:`status_labels`) say in the legend what each status means; without
    them the legend names the statuses."""
    labels = labels or {}
    output = Path(output)
    if output.suffix.lower() not in (".svg", ".png"):
        raise UsageError(f"timeline output must end in .svg or .png, not {output.name!r}")
    if not len(events):
        raise NothingToDraw(f"there are no events to draw; nothing written to {output}")
    not_a_directory(output)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    plt.rcParams.update({"svg.hashsalt": "natodata", "svg.fonttype": "none", "font.size": 9})
    ev = events.sort_values(["date_earliest", "date_latest", "id"]).reset_index(drop=True)
    spans = windows(ev)
    widths = [1.0] * len(spans)
    fig, axes = plt.subplots(
        1,
        len(spans),
        sharey=True,
        figsize=(12, 0.32 * len(ev) + 1.6),
        gridspec_kw={"width_ratios": widths, "wspace": 0.06},
        squeeze=False,
    )
    axes = axes[0]
    one_day = pd.Timedelta(days=1)
    for ax, (lo, hi) in zip(axes, spans):
        for y, row in ev.iterrows():
            if row.date_latest + one_day <= lo or row.date_earliest >= hi:
                continue  # drawn in the other panel
            color, marker, filled, style = STATUSES.get(row.status, OTHER)
            point = row.date_precision == "day" and row.date_earliest == row.date_latest
            if point:
                ax.plot(
                    [row.date_earliest + one_day / 2],
                    [y],
                    marker=marker,
                    ms=6,
                    color=color,
                    markerfacecolor=color if filled else "white",
                    markeredgewidth=1.5,
                )
            else:
                ax.barh(
                    y,
                    row.date_latest + one_day - row.date_earliest,
                    left=row.date_earliest,
                    height=0.5,
                    facecolor=_fill(color, filled),
                    edgecolor=color,
                    linestyle=style,
                    linewidth=1.2,
                    hatch=HATCH.get(row.date_precision) or None,
                )
        ax.set_xlim(lo, hi)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        if hi - lo > pd.Timedelta(days=730):
            ax.xaxis.set_major_locator(mdates.YearLocator())
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        else:
            locator = mdates.MonthLocator(bymonth=(2, 4, 6, 8, 10, 12))
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
    axes[0].set_yticks(range(len(ev)), [f"{r.label}  ({_when(r)})" for r in ev.itertuples()])
    axes[0].set_ylim(len(ev) - 0.5, -0.5)
    for ax in axes[1:]:
        ax.tick_params(axis="y", left=False)
        d = 0.012  # break marks between panels
        ax.plot((0, 0), (-d, d), transform=ax.transAxes, color="black", clip_on=False, lw=1)
    grey = "#555555"
    statuses = [
        Line2D(
            [],
            [],
            marker=m,
            color=c,
            markerfacecolor=c if f else "white",
            markeredgewidth=1.5,
            ls="",
            label=f"{status}: {labels[status]}" if labels.get(status) else status,
        )
        for status, (c, m, f, _) in STATUSES.items()
    ]
    precisions = [
        Line2D([], [], marker="o", color=grey, ls="", label="day known: a point"),
        Patch(
            facecolor=_fill(grey, True), edgecolor=grey, label="month known: a bar over the days the evidence allows"
        ),
        Patch(
            facecolor=_fill(grey, True),
            edgecolor=grey,
            hatch=HATCH["year"],
            label="only the year known: a hatched bar over those days",
        ),
    ]
    inch = 1 / fig.get_figheight()
    fig.add_artist(
        fig.legend(
            handles=statuses,
            loc="lower center",
            ncol=2 if labels else len(statuses),
            frameon=False,
            bbox_to_anchor=(0.5, 0.3 * inch),
        )
    )
    fig.legend(handles=precisions, loc="lower center", ncol=len(precisions), frameon=False, bbox_to_anchor=(0.5, 0))
    fig.suptitle(title, x=0.5, y=0.995, fontsize=11)
    fig.subplots_adjust(
        left=0.36,
        right=0.98,
        top=1 - 0.45 / fig.get_figheight(),
        bottom=(1.45 if labels else 0.9) / fig.get_figheight(),
    )
    kind = output.suffix.lower()[1:]
    metadata = {"Date": None, "Creator": "natodata timeline"} if kind == "svg" else {"Software": "natodata timeline"}
    try:
        with Staged(home=Path(output).parent) as staged:
            fig.savefig(staged.path(output), format=kind, metadata=metadata, dpi=150)
            staged.commit()
    finally:
        plt.close(fig)
    return output
