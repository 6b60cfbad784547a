"""Template filters for messaging pages."""

from __future__ import annotations

from django import template

from homeroom.messaging.conversations.attachments import attachment_label as _label

register = template.Library()


@register.filter
def attachment_label(name: str) -> str:
    return _label(str(name))
