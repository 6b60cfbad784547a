"""`{% load charts %}{% bar_chart chart "chart-grade" %}`: a server-drawn SVG bar chart (core.charts)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from homeroom.core.charts import Chart, render_svg

register = template.Library()


@register.simple_tag
def bar_chart(chart: Chart, chart_id: str) -> SafeString:
    return render_svg(chart, chart_id)
