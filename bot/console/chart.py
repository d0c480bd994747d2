"""The weekly handoffs chart, drawn server-side to SVG so the console needs no charting script.

matplotlib is imported only when a chart is drawn (it is slow to import and most requests never
need it), with the Agg backend and the object API, which is safe to run in a worker thread.
"""
from __future__ import annotations

import io
from datetime import date


def weekly_svg(weekly: list[tuple[date, int]]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 3.0), dpi=100)
    axes = figure.add_subplot()
    labels = [week.strftime("%d %b") for week, _ in weekly]
    counts = [count for _, count in weekly]
    bars = axes.bar(labels, counts, color="#1d4e89")
    axes.bar_label(bars, padding=2, fontsize=8)
    axes.set_title("Handoffs per week (week starting Monday)", fontsize=10)
    axes.set_ylabel("handoffs")
    axes.set_ylim(0, max([*counts, 1]) * 1.2)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.tick_params(axis="x", labelsize=8)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()
