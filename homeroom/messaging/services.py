"""Messaging writes: compose, send (plan → persist → queue), cancel; conversation replies live in conversations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.languages.access import check_and_record
from homeroom.languages.cache import translate
from homeroom.languages.providers import TranslationError, get_translator
from homeroom.messaging import policy
from homeroom.messaging.compose.audiences import AudienceError, audience_kinds, audience_students
from homeroom.messaging.conversations.threads import (
    conversation_for_delivery,
    conversation_mark_read,
    conversation_record_inbound,
    conversation_reply,
)
from homeroom.messaging.engine import tasks
from homeroom.messaging.engine.planning import Plan, plan_message
from homeroom.messaging.engine.tasks import message_dispatch, messages_sweep
from homeroom.messaging.models import Delivery, DeliveryState, Message, MessageContent
from homeroom.roster.models import Staff

__all__ = [
    "ContentInput",
    "LanguageAccessRefused",
    "MessageError",
    "conversation_for_delivery",
    "conversation_mark_read",
    "conversation_record_inbound",
    "conversation_reply",
    "message_cancel",
    "message_check",
    "message_create",
    "message_dispatch",
    "message_prefill_translation",
    "message_send",
    "message_set_content",
    "message_update",
    "messages_sweep",
]


class MessageError(ValueError):
    """A message cannot be sent as it is; the text tells the sender what to fix."""


class LanguageAccessRefused(MessageError):
    """Families would get another language than their own and the sender has not agreed (homeroom.languages)."""


@dataclass(frozen=True)
class ContentInput:
    language: str
    subject: str
    body: str
    machine_translated: bool = False


def _check_contents(message: Message) -> None:
    # Texts staff wrote (a machine translation, homeroom.languages, does not count towards the required languages).
    languages = set(message.contents.filter(auto_translation__isnull=True).values_list("language", flat=True))
    if not languages:
        raise MessageError(_("Write the message in at least one language."))
    if audience_kinds(message.audience) & set(policy.WIDE_AUDIENCES):
        missing = [code for code in policy.REQUIRED_WIDE_LANGUAGES if code not in languages]
        if missing:
            raise MessageError(_("Messages to a whole school need English and Spanish text."))
    if message.contents.filter(machine_translated=True).exists():
        raise MessageError(_("Review the machine translation and save it before sending."))


def message_check(message: Message) -> None:
    """MessageError when the draft's texts cannot go out as they are (what the send itself would refuse)."""
    _check_contents(message)


@transaction.atomic
def message_create(
    *,
    user: Any,
    category: str,
    audience: dict[str, Any],
    audience_label: str,
    callback_name: str,
    callback_phone: str,
    contents: list[ContentInput],
    scheduled_for: dt.datetime | None = None,
) -> Message:
    scope = scoping.require_staff(user)
    try:
        audience_students(user, audience)
    except AudienceError as exc:
        raise MessageError(str(exc)) from exc
    sender = Staff.objects.get(pk=scope.staff_id or 0)
    school_ids = audience.get("schools") or []
    school_id = int(school_ids[0]) if len(school_ids) == 1 else (
        next(iter(scope.school_ids)) if len(scope.school_ids) == 1 else None
    )
    message = Message.objects.create(
        district_id=sender.district_id,
        school_id=school_id,
        sender=sender,
        created_by=user,
        category=category,
        audience=audience,
        audience_label=audience_label[:255],
        callback_name=callback_name.strip(),
        callback_phone=callback_phone.strip(),
        scheduled_for=scheduled_for,
    )
    for content in contents:
        message_set_content(message=message, content=content)
    return message


@transaction.atomic
def message_update(
    *,
    message: Message,
    user: Any,
    category: str,
    audience: dict[str, Any],
    audience_label: str,
    callback_name: str,
    callback_phone: str,
    contents: list[ContentInput],
    scheduled_for: dt.datetime | None = None,
) -> Message:
    """A draft edited after its preview: everything replaced, machine translations dropped (made again)."""
    scoping.require_staff(user)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status != Message.Status.DRAFT:
        raise MessageError(_("This message has already been sent or scheduled."))
    try:
        audience_students(user, audience)
    except AudienceError as exc:
        raise MessageError(str(exc)) from exc
    message.category, message.audience, message.audience_label = category, audience, audience_label[:255]
    message.callback_name, message.callback_phone = callback_name.strip(), callback_phone.strip()
    message.scheduled_for = scheduled_for
    message.save(update_fields=["category", "audience", "audience_label", "callback_name", "callback_phone",
                                "scheduled_for"])
    message.contents.exclude(language__in=[c.language for c in contents]).delete()
    message.contents.filter(auto_translation__isnull=False).delete()
    for content in contents:
        message_set_content(message=message, content=content)
    return message


def message_set_content(*, message: Message, content: ContentInput) -> MessageContent:
    row, _created = MessageContent.objects.update_or_create(
        message=message,
        language=content.language,
        defaults={
            "subject": content.subject.strip(),
            "body": content.body.strip(),
            "machine_translated": content.machine_translated,
        },
    )
    return row


def message_preview(*, message: Message, user: Any) -> Plan:
    """The plan without writing it: counts by language and channel, and who cannot be reached."""
    return plan_message(message, user=user, batch_size=settings.MESSAGING_BATCH_SIZE)


@transaction.atomic
def message_send(*, message: Message, user: Any, now: dt.datetime | None = None,
                 acknowledged: Collection[str] | None = None) -> Message:
    """Send now, or at `scheduled_for`; the audience is resolved when it goes out.

    `acknowledged`: the home languages whose families the sender agreed to send another language (the compose
    flow passes what was ticked; None for messages the system sends itself). See homeroom.languages.access.
    """
    now = now or timezone.now()
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status != Message.Status.DRAFT:
        raise MessageError(_("This message has already been sent or scheduled."))
    _check_contents(message)
    # Language access (homeroom.languages): machine-translate what is missing, refuse silent English.
    try:
        check_and_record(message, user=user, acknowledged=acknowledged)
    except ValueError as exc:
        raise LanguageAccessRefused(str(exc)) from exc
    if message.scheduled_for and message.scheduled_for > now:
        message.status = Message.Status.SCHEDULED
        message.save(update_fields=["status"])
        tasks.queue_dispatch(message.pk, due=message.scheduled_for)
        return message
    tasks.message_dispatch(message_id=message.pk, now=now)
    message.refresh_from_db()
    return message


@transaction.atomic
def message_cancel(*, message: Message) -> bool:
    """Stop a scheduled message, or whatever of a sending one has not gone out yet."""
    updated = Message.objects.filter(
        pk=message.pk, status__in=[Message.Status.DRAFT, Message.Status.SCHEDULED, Message.Status.SENDING]
    ).update(status=Message.Status.CANCELLED)
    Delivery.objects.filter(message=message, state__in=[DeliveryState.PLANNED, DeliveryState.QUEUED]).update(
        state=DeliveryState.SKIPPED, reason="cancelled"
    )
    return updated == 1


def message_prefill_translation(*, message: Message, source: str, target: str) -> MessageContent:
    """A machine draft in `target`, flagged so the message cannot go out until staff review and save it."""
    translator = get_translator()
    if translator is None:
        raise MessageError(_("Machine translation is not set up."))
    original = message.contents.get(language=source)
    try:
        subject = translate(original.subject, source=source, target=target, translator=translator)
        body = translate(original.body, source=source, target=target, translator=translator)
    except TranslationError as exc:
        raise MessageError(exc.explanation) from exc
    return message_set_content(
        message=message,
        content=ContentInput(language=target, subject=subject, body=body, machine_translated=True),
    )
