"""Server-drawn bar charts: geometry computed here, drawn as accessible SVG by `core/_bar_chart.html`, always
beside a table of the same figures. Used by attendance's dashboards and the reach page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
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
    unit: str = "%"  # after each value; "" for counts (count_chart)


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


def count_chart(title: str, rows: list[tuple[str, int]]) -> Chart:
    """Horizontal bars of counts (contacts per week, families…), scaled to the largest."""
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    top = max([1, *(value for _label, value in rows)])
    bars = []
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        bars.append(Bar(label, value, y, max(1, round(plot * value / top)) if value else 0, y + BAR_HEIGHT - 6))
    return Chart(title, bars, GAP + len(rows) * (BAR_HEIGHT + GAP) + GAP, None, "", unit="")


def render_svg(chart: Chart, chart_id: str) -> SafeString:
    """The chart as an accessible SVG figure (the `bar_chart` template tag; one string, built in Python because a
    page may carry a dozen charts and the template engine costs more than the drawing)."""
    label_x = chart.label_width - 8
    bars = []
    for bar in chart.bars:
        label = format_html('<text x="{}" y="{}" text-anchor="end" font-size="13" fill="currentColor">{}</text>',
                            label_x, bar.text_y, bar.label)
        if bar.value is None:
            value = format_html('<text x="{}" y="{}" font-size="13" fill="currentColor">{}</text>',
                                chart.label_width, bar.text_y, chart.suppressed_label)
        else:
            value = format_html('<rect x="{}" y="{}" width="{}" height="22" fill="#1f5f8b"></rect>'
                                '<text x="{}" y="{}" font-size="13" fill="currentColor">{}{}</text>',
                                chart.label_width, bar.y, bar.width, chart.label_width + bar.width + 6, bar.text_y,
                                bar.value, chart.unit)
        bars.append((label, value))
    line = format_html('<line x1="{0}" x2="{0}" y1="0" y2="{1}" stroke="#b3261e" stroke-width="2" '
                       'stroke-dasharray="4 3"></line>', chart.line_x, chart.height) if chart.line_x else ""
    caption = format_html("{} — {}", chart.title, chart.line_label) if chart.line_x else chart.title
    return format_html(
        '<figure class="chart"><svg role="img" aria-labelledby="{0}-title {0}-desc" viewBox="0 0 {1} {2}" '
        'width="100%" xmlns="http://www.w3.org/2000/svg"><title id="{0}-title">{3}</title>'
        '<desc id="{0}-desc">{4}</desc>{5}{6}</svg><figcaption>{7}</figcaption></figure>',
        chart_id, chart.width, chart.height, chart.title, gettext("The same figures are in the table below the chart."),
        format_html_join("", "{}{}", bars), line, caption)
