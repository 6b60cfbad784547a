"""Template filters for messaging pages."""

from __future__ import annotations

from typing import Any

from django import template

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
