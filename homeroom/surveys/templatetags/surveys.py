"""Template helpers for surveys: charts, and an instrument text in the page's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from homeroom.surveys.charts import item_chart
from homeroom.surveys.definition import pick
from homeroom.surveys.results import ItemResult

register = template.Library()


@register.simple_tag
def chart(result: ItemResult, chart_id: str) -> SafeString:
    return item_chart(result, chart_id)


@register.filter
def in_language(text: dict[str, str] | None, language: str) -> str:
    return pick(text, language) if text else ""


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None
