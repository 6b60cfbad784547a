"""Template helpers for contact pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def title_in(item: Any, language: str) -> str:
    """A checklist item's title in the reader's language, falling back to the default text."""
    return item.title_for(language or "en")


@register.filter
def lookup(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, "")
