"""Background work: sending an event's invitations, one message per family, outside the web request."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from homeroom.programs import events
from homeroom.programs.models import Event


@task()
def event_invite_task(event_id: int, user_id: int, grades: list[str] | None = None) -> int:
    """Invite the event's families as the staff member who asked; safe to run twice (see events.event_invite)."""
    event = Event.objects.filter(pk=event_id).select_related("school").first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if event is None or user is None or event.cancelled_at:
        return 0
    return events.event_invite(event=event, user=user, grades=grades)
