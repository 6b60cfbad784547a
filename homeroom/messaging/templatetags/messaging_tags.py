"""Template filters for messaging pages."""

from __future__ import annotations

from typing import Any

from django import template

from homeroom.messaging.compose.drafts import start_key
from homeroom.messaging.compose.picker import choice_for_key
from homeroom.messaging.conversations.attachments import attachment_label as _label
from homeroom.messaging.family_link import compose_token, students_of_guardian

register = template.Library()


@register.filter
def attachment_label(name: str) -> str:
    return _label(str(name))


@register.inclusion_tag("messaging/_message_family.html", takes_context=True)
def message_family(context: Any, students: Any = None, guardian: Any = None,
                   css: str = "button secondary") -> dict[str, Any]:
    """The "Message this family" button: a POST to compose with this family (a student, a household's
    students, or a guardian's children the viewer may see); nothing when there is no one to message."""
    if guardian is not None:
        ids = list(students_of_guardian(context["request"].user, guardian).values_list("pk", flat=True))
    elif students is None:
        ids = []
    elif hasattr(students, "pk"):
        ids = [students.pk]
    else:
        ids = [s.pk for s in students]
    return {"token": compose_token(ids), "css": css, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("messaging/_message_group.html", takes_context=True)
def message_group(context: Any, section: Any = None, caseload: bool = False,
                  css: str = "button secondary") -> dict[str, Any]:
    """"Message this class" (a section) or "Message my caseload": a POST to compose starting on that chip; nothing
    when the viewer may not message it."""
    key = f"section:{section.pk}" if section is not None else ("caseload" if caseload else "")
    usable = bool(key) and choice_for_key(context["request"].user, key) is not None
    return {"token": start_key(key) if usable else "", "caseload": caseload, "css": css,
            "csrf_token": context.get("csrf_token")}
