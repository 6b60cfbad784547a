"""`{% load language_access %}`: a family's words translated for the staff member reading them."""

from __future__ import annotations

from typing import Any

from django import template

from homeroom.languages.staff import entry_language, for_staff

register = template.Library()


@register.simple_tag
def machine_translation(text: str, source: str) -> str:
    """`text` (written in `source`) in the reader's language, or "" when none is needed or available."""
    return for_staff(str(text or ""), str(source or ""))


@register.simple_tag
def entry_translation(entry: Any) -> str:
    """A family's conversation entry in the reader's language (translated as it arrived, else now)."""
    if not entry.from_guardian:
        return ""
    return for_staff(entry.body, entry_language(entry))


@register.inclusion_tag("languages/_translation.html")
def show_translation(text: str, source: str) -> dict[str, Any]:
    """The machine translation, marked as one, to show under the original (which stays on the page)."""
    from django.utils.translation import get_language

    return {"translated": for_staff(str(text or ""), str(source or "")), "reader": get_language() or "en"}
