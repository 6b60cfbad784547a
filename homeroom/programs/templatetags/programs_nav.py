"""Navigation items for the programs pages: one in the staff header, two in the family portal's menu."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def programs_staff_link(context: template.Context) -> SafeString:
    scope = context.get("scope")
    if scope is None or not getattr(scope, "is_staff_member", False):
        return mark_safe("")
    return mark_safe(render_to_string("programs/_staff_link.html"))


@register.simple_tag
def programs_family_links() -> SafeString:
    return mark_safe(render_to_string("programs/family/_links.html"))
