"""Whether a draft may be sent, decided on its preview: every refusal the send would give is shown there, and the
Send button is only enabled once there is none (never a refusal after the click)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from homeroom.languages.access import check_and_record
from homeroom.messaging import services
from homeroom.messaging.models import Message


class _DryRun(Exception):
    """Rolls back what the language check would record: the preview only asks."""


@dataclass
class Readiness:
    refusals: list[str] = field(default_factory=list)  # what the sender must change (audience, texts, review)
    language_refusal: str = ""  # families who would get another language, until the sender ticks them
    acknowledged: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.refusals and not self.language_refusal


def send_readiness(message: Message, *, user: Any, plan_problem: str, acknowledged: Collection[str]) -> Readiness:
    """The send's own checks, run without sending or recording anything."""
    readiness = Readiness(acknowledged=sorted(set(acknowledged)))
    if message.status != Message.Status.DRAFT:
        return readiness
    if plan_problem:
        readiness.refusals.append(plan_problem)
    try:
        services.message_check(message)
    except services.MessageError as exc:
        readiness.refusals.append(str(exc))
    try:
        with transaction.atomic():
            check_and_record(message, user=user, acknowledged=readiness.acknowledged)
            raise _DryRun
    except _DryRun:
        pass
    except ValueError as exc:
        readiness.language_refusal = str(exc)
    return readiness
