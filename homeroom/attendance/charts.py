"""Server-drawn bar charts: geometry computed here, drawn as SVG by a template, always beside a table."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 600
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 190
VALUE_WIDTH = 60


@dataclass
class Bar:
    label: str
    value: float | None  # None: suppressed (too few students to show)
    y: int
    width: int
    text_y: int


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    height: int
    line_x: int | None  # a reference line (the review-team threshold), in pixels
    line_label: str
    width: int = WIDTH
    label_width: int = LABEL_WIDTH


def bar_chart(title: str, rows: list[tuple[str, float | None]], *, line: float | None = None,
              line_label: str = "") -> Chart:
    """Horizontal bars of percentages (0–100); a suppressed value draws no bar."""
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    top = max([100.0 if line is None else line * 1.5, *(v for _label, v in rows if v is not None)])
    top = min(100.0, max(top, 1.0))
    bars = []
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = 0 if value is None else max(1, round(plot * value / top)) if value else 0
        bars.append(Bar(label, value, y, width, y + BAR_HEIGHT - 6))
    line_x = None if line is None else LABEL_WIDTH + round(plot * min(line, top) / top)
    return Chart(title, bars, GAP + len(rows) * (BAR_HEIGHT + GAP) + GAP, line_x, line_label)
