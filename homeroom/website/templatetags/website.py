"""Template filters of the public pages: a district-edited text in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def description_in(place: Any, language: str) -> str:
    return str(place.description(language))
