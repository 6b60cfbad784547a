"""Template helpers for surveys: charts, and an instrument text in the page's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from homeroom.surveys.charts import item_chart
from homeroom.surveys.definition import pick
from homeroom.surveys.results import ItemResult
from homeroom.surveys.selectors import member_teams

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


@register.simple_tag(takes_context=True)
def my_teams_link(context: template.Context) -> SafeString:
    """A navigation item to the user's self-assessment teams, only for someone on a team."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not member_teams(user).exists():
        return SafeString("")
    return format_html('<li><a href="{}">{}</a></li>', reverse("surveys:teams"), _("My teams"))
