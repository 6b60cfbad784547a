"""Template helpers of the conference booking page."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def booking_for(bookings: list[Any], offer: dict[str, Any]) -> Any:
    """The family's booking with this offer's teacher for this child, if any (its free times then move it)."""
    return next((b for b in bookings if b.slot.teacher_id == offer["teacher"].pk
                 and b.student_id == offer["student"].pk), None)
