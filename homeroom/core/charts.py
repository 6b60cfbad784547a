"""Server-drawn bar charts: geometry computed here, drawn as accessible SVG by `core/_bar_chart.html`, always
beside a table of the same figures. Used by attendance's dashboards and the reach page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

WIDTH = 600
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 190
VALUE_WIDTH = 60


@dataclass
class Bar:
    label: str
    value: float | None  # None: suppressed (too few to show)
    y: int
    width: int
    text_y: int


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    height: int
    line_x: int | None  # a reference line (e.g. the review-team threshold), in pixels
    line_label: str
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    # What a suppressed bar says instead of a value ("fewer than 10 students", "fewer than 10 families").
    suppressed_label: Any = field(default_factory=lambda: _("fewer than 10 students"))


def bar_chart(title: str, rows: list[tuple[str, float | None]], *, line: float | None = None,
              line_label: str = "", suppressed_label: Any = None) -> Chart:
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
    chart = Chart(title, bars, GAP + len(rows) * (BAR_HEIGHT + GAP) + GAP, line_x, line_label)
    if suppressed_label is not None:
        chart.suppressed_label = suppressed_label
    return chart
