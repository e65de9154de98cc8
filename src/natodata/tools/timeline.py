"""``timeline``: the events drawn on a time axis, as SVG or PNG.

A date known to the day is a point; a date known only to the month or year, or
bounded by evidence, is a bar from ``date_earliest`` to ``date_latest``, so no
imprecise date looks precise. Planned, announced and proposed events are hollow and
orange, apart from those that occurred (filled, blue). The densest run of events gets
a panel of its own, beside the years before it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import UsageError

DONE = {"occurred", "ongoing"}
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


def _when(row) -> str:
    fmt = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}[row.date_precision]
    return row.date_first_day.strftime(fmt)


def draw(events: pd.DataFrame, output: Path | str, title: str = "NATO's training mission in Iraq in the news") -> Path:
    """Draw ``events`` (a frame as returned by natodata.load()) to ``output`` (.svg or .png)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    output = Path(output)
    if output.suffix.lower() not in (".svg", ".png"):
        raise UsageError(f"timeline output must end in .svg or .png, not {output.name!r}")
    plt.rcParams.update({"svg.hashsalt": "natodata", "svg.fonttype": "none", "font.size": 9})
    ev = events.sort_values(["date_earliest", "date_latest", "id"]).reset_index(drop=True)
    spans = windows(ev)
    widths = [1.0] * len(spans)
    fig, axes = plt.subplots(1, len(spans), sharey=True, figsize=(12, 0.32 * len(ev) + 1.6),
                             gridspec_kw={"width_ratios": widths, "wspace": 0.06}, squeeze=False)
    axes = axes[0]
    one_day = pd.Timedelta(days=1)
    for ax, (lo, hi) in zip(axes, spans):
        for y, row in ev.iterrows():
            if row.date_latest + one_day <= lo or row.date_earliest >= hi:
                continue  # drawn in the other panel
            done = row.status in DONE
            color = "#1f4e79" if done else "#d9822b"
            point = row.date_precision == "day" and row.date_earliest == row.date_latest
            if point:
                ax.plot([row.date_earliest + one_day / 2], [y], marker="o", ms=6, color=color,
                        markerfacecolor=color if done else "white", markeredgewidth=1.5)
            else:
                ax.barh(y, row.date_latest + one_day - row.date_earliest, left=row.date_earliest, height=0.5,
                        color=color if done else "white", alpha=0.55 if done else 1, edgecolor=color,
                        linestyle="-" if done else "--", linewidth=1.2)
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
    legend = [
        Line2D([], [], marker="o", color="#1f4e79", ls="", label="occurred, exact day"),
        Patch(facecolor="#1f4e79", alpha=0.55, edgecolor="#1f4e79", label="occurred, date known only within this span"),
        Line2D([], [], marker="o", color="#d9822b", markerfacecolor="white", ls="", label="planned or announced, exact day"),
        Patch(facecolor="white", edgecolor="#d9822b", linestyle="--", label="planned or announced, within this span"),
    ]
    fig.legend(handles=legend, loc="lower center", ncol=2, frameon=False, bbox_to_anchor=(0.5, 0))
    fig.suptitle(title, x=0.5, y=0.995, fontsize=11)
    fig.subplots_adjust(left=0.36, right=0.98, top=1 - 0.45 / fig.get_figheight(), bottom=0.9 / fig.get_figheight())
    output.parent.mkdir(parents=True, exist_ok=True)
    metadata = {"Date": None, "Creator": "natodata timeline"} if output.suffix.lower() == ".svg" else {"Software": "natodata timeline"}
    fig.savefig(output, metadata=metadata, dpi=150)
    plt.close(fig)
    return output
