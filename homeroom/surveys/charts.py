"""Server-drawn SVG bar charts: a stacked bar per rating item, a bar per choice; the page also shows the table."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from homeroom.surveys.results import ItemResult

WIDTH, HEIGHT = 600, 36
# Lowest to highest; each with the text colour that keeps 4.5:1 contrast on it.
PALETTE = [("#8c2d04", "#ffffff"), ("#cc4c02", "#ffffff"), ("#fdae6b", "#000000"), ("#fee6ce", "#000000"),
           ("#f0f0f0", "#000000"), ("#deebf7", "#000000"), ("#9ecae1", "#000000"), ("#4292c6", "#000000"),
           ("#2171b5", "#ffffff"), ("#08306b", "#ffffff")]


def _colours(count: int) -> list[tuple[str, str]]:
    if count == 1:
        return [PALETTE[-1]]
    step = (len(PALETTE) - 1) / (count - 1)
    return [PALETTE[round(n * step)] for n in range(count)]


def _describe(result: ItemResult) -> str:
    parts = [_("%(label)s: %(percent)s%% (%(count)d)") % {"label": b.label, "percent": b.percent, "count": b.count}
             for b in result.bars]
    return "; ".join(parts)


def item_chart(result: ItemResult, chart_id: str) -> SafeString:
    """A stacked bar (rating) or one bar per option (choice), labelled for screen readers by title and desc."""
    if result.item.type == "rating":
        return _stacked(result, chart_id)
    return _choice_bars(result, chart_id)


def _stacked(result: ItemResult, chart_id: str) -> SafeString:
    x = 0.0
    parts = []
    for bar, (fill, ink) in zip(result.bars, _colours(len(result.bars)), strict=True):
        width = WIDTH * bar.percent / 100
        parts.append(format_html('<rect x="{}" y="0" width="{}" height="{}" fill="{}"/>', round(x, 2),
                                 round(width, 2), HEIGHT, fill))
        if bar.percent >= 8:
            parts.append(format_html('<text x="{}" y="{}" fill="{}" font-size="14" text-anchor="middle">{}%</text>',
                                     round(x + width / 2, 2), HEIGHT / 2 + 5, ink, round(bar.percent)))
        x += width
    legend = format_html_join(
        "", '<li><svg width="12" height="12" aria-hidden="true" focusable="false"><rect width="12" height="12" '
        'fill="{}" stroke="#1b1b1f" stroke-width="1"/></svg> {}</li>',
        ((fill, bar.label) for bar, (fill, _ink) in zip(result.bars, _colours(len(result.bars)), strict=True)))
    return format_html(
        '<svg class="chart-svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-t {id}-d">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>{body}</svg>'
        '<ul class="chart-legend" aria-hidden="true">{legend}</ul>',
        w=WIDTH, h=HEIGHT, id=chart_id, title=result.text, desc=_describe(result),
        body=SafeString("".join(parts)), legend=legend)


def _choice_bars(result: ItemResult, chart_id: str) -> SafeString:
    row = 28
    height = row * len(result.bars)
    parts = []
    for n, bar in enumerate(result.bars):
        y = n * row
        parts.append(format_html(
            '<text x="0" y="{}" font-size="13" fill="#1b1b1f">{}</text>'
            '<rect x="200" y="{}" width="{}" height="18" fill="#2171b5"/>'
            '<text x="{}" y="{}" font-size="13" fill="#1b1b1f">{}%</text>',
            y + 18, bar.label[:32], y + 4, round(3 * bar.percent, 2), round(206 + 3 * bar.percent, 2), y + 18,
            round(bar.percent)))
    return format_html(
        '<svg class="chart-svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-t {id}-d">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>{body}</svg>',
        w=WIDTH, h=height, id=chart_id, title=result.text, desc=_describe(result), body=SafeString("".join(parts)))
