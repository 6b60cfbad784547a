"""Shared helpers for messaging tests: compose and send as an actor."""

from __future__ import annotations

from typing import Any

from homeroom.messaging import services
from homeroom.messaging.models import Message

EN = services.ContentInput(language="en", subject="School closed", body="School is closed tomorrow.")
ES = services.ContentInput(language="es", subject="Escuela cerrada", body="La escuela está cerrada mañana.")


def compose(world: Any, actor: str = "principal", *, category: str = "news", audience: dict[str, Any] | None = None,
            contents: list[services.ContentInput] | None = None, **extra: Any) -> Message:
    audience = audience or {"kind": "schools", "schools": [world.lincoln.pk]}
    return services.message_create(
        user=world.user(actor), category=category, audience=audience, audience_label="test",
        callback_name="Main office", callback_phone="+12035550100", contents=contents or [EN, ES], **extra,
    )


def send(world: Any, message: Message, capture: Any, actor: str = "principal") -> Message:
    """Send and run the queued batch tasks (ImmediateBackend) as the commit would."""
    with capture(execute=True):
        return services.message_send(message=message, user=world.user(actor))
