"""The circle's progress as a picture: each common goal's progress, and each indicator against its target.

Drawn with matplotlib's Agg backend on a Figure of its own (no pyplot, no global state), so it is safe in the
web server's threads and needs no display.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

GREEN, GREY, DARK = "#2e6b4f", "#d9e3dd", "#1f2d27"
LABEL = 38  # characters of a name shown beside its bar


@dataclass(frozen=True)
class Bar:
    label: str
    share: float  # percent of the way, 0 to 100 (more is drawn as 100)
    note: str  # what is written after the bar: "45%", "12,5 t van 40 t"


@dataclass(frozen=True)
class Panel:
    title: str
    bars: list[Bar]


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= LABEL else flat[: LABEL - 1] + "…"


def png(title: str, panels: list[Panel], footer: str = "") -> bytes:
    """One figure, a panel per list that has bars; the bars show the share of the way to 100%."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    shown = [panel for panel in panels if panel.bars]
    heights = [max(1.6, 0.5 * len(panel.bars) + 0.9) for panel in shown]
    figure = Figure(figsize=(9, sum(heights) + 1.0), dpi=110)
    FigureCanvasAgg(figure)
    figure.suptitle(title, fontsize=14, fontweight="bold", color=DARK, x=0.02, ha="left")
    grid = figure.add_gridspec(len(shown), 1, height_ratios=heights, hspace=0.6)
    for index, panel in enumerate(shown):
        _panel(figure.add_subplot(grid[index]), panel)
    if footer:
        figure.text(0.02, 0.01, footer, fontsize=8, color="#5b6b63")
    figure.subplots_adjust(left=0.33, right=0.8, top=1 - 0.7 / (sum(heights) + 1.0), bottom=0.6 / (sum(heights) + 1.0))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _panel(axes, panel: Panel) -> None:
    labels = [_short(bar.label) for bar in panel.bars]
    positions = list(range(len(panel.bars)))[::-1]
    axes.barh(positions, [100] * len(positions), color=GREY, height=0.6)
    axes.barh(positions, [min(max(bar.share, 0), 100) for bar in panel.bars], color=GREEN, height=0.6)
    for position, bar in zip(positions, panel.bars, strict=True):
        axes.text(102, position, bar.note, va="center", fontsize=9, color=DARK, clip_on=False)
    axes.set_yticks(positions, labels, fontsize=9)
    axes.set_xlim(0, 100)
    axes.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"], fontsize=8)
    axes.set_title(panel.title, loc="left", fontsize=11, color=DARK)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
