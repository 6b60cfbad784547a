"""Messaging writes: compose, send (plan → persist → queue), cancel; conversation replies live in conversations."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.backends.immediate import ImmediateBackend

from homeroom.core import scoping
from homeroom.messaging import policy
from homeroom.messaging.audiences import AudienceError, audience_students
from homeroom.messaging.conversations import (
    conversation_for_delivery,
    conversation_mark_read,
    conversation_record_inbound,
    conversation_reply,
)
from homeroom.messaging.models import Delivery, DeliveryState, Message, MessageContent
from homeroom.messaging.planning import Plan, Row, plan_message
from homeroom.messaging.probes import providers_probe_due
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
    "message_create",
    "message_dispatch",
    "message_prefill_translation",
    "message_send",
    "message_set_content",
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
    if message.audience.get("kind") in policy.WIDE_AUDIENCES:
        missing = [code for code in policy.REQUIRED_WIDE_LANGUAGES if code not in languages]
        if missing:
            raise MessageError(_("Messages to a whole school need English and Spanish text."))
    if message.contents.filter(machine_translated=True).exists():
        raise MessageError(_("Review the machine translation and save it before sending."))


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
    from homeroom.languages.access import check_and_record

    try:
        check_and_record(message, user=user, acknowledged=acknowledged)
    except ValueError as exc:
        raise LanguageAccessRefused(str(exc)) from exc
    if message.scheduled_for and message.scheduled_for > now:
        message.status = Message.Status.SCHEDULED
        message.save(update_fields=["status"])
        from homeroom.messaging.tasks import message_dispatch_task

        if message_dispatch_task.get_backend().supports_defer:
            message_id, run_after = message.pk, message.scheduled_for
            transaction.on_commit(
                lambda: message_dispatch_task.using(run_after=run_after).enqueue(message_id)  # type: ignore[arg-type]
            )
        return message
    message_dispatch(message_id=message.pk, now=now)
    message.refresh_from_db()
    return message


@transaction.atomic
def message_dispatch(*, message_id: int, now: dt.datetime | None = None) -> int:
    """Plan and persist every delivery in bulk, then queue one task per batch. Safe to call twice.

    The message row is locked and `planned_at` set in the same transaction as the rows, so a second call
    (a retried task, the sweep) finds it planned and writes nothing.
    """
    now = now or timezone.now()
    message = Message.objects.select_for_update().select_related("district").get(pk=message_id)
    if message.planned_at is not None or message.status == Message.Status.CANCELLED:
        return 0
    if message.scheduled_for is not None:  # families who joined since it was scheduled (homeroom.languages)
        from homeroom.languages.access import ensure_machine_contents

        ensure_machine_contents(message, user=message.created_by)
    # Sendable rows are written as queued directly: the batch tasks only run after this commits.
    plan = plan_message(
        message,
        user=message.created_by,
        now=now,
        batch_size=settings.MESSAGING_BATCH_SIZE,
        sendable_state=DeliveryState.QUEUED,
    )
    _insert_deliveries(message.pk, plan.rows, now=now)
    message.planned_at = now
    message.status = Message.Status.SENDING
    message.save(update_fields=["planned_at", "status"])
    from homeroom.messaging.dispatch import message_finish_if_done
    from homeroom.messaging.tasks import deliver_batch_task

    message_finish_if_done(message.pk)
    batches = range(plan.batches)

    def enqueue_all() -> None:
        # The database task backend writes a row per batch: one commit for them all, not one each. The
        # immediate backend runs each batch on the spot, and a batch must commit its own claims as it goes.
        immediate = isinstance(deliver_batch_task.get_backend(), ImmediateBackend)
        with contextlib.nullcontext() if immediate else transaction.atomic():
            for batch in batches:
                deliver_batch_task.enqueue(message_id, batch)

    transaction.on_commit(enqueue_all)
    return len(plan.rows)


# A planned row (planning.Row) holds these columns, in this order; the rest are the same for every row.
PLANNED_COLUMNS = ("guardian_id", "channel", "address", "language", "content_language", "student_ids", "state",
                   "reason", "idempotency_key", "batch", "not_before")
INSERT_COLUMNS = ("message_id", *PLANNED_COLUMNS, "provider_id", "error", "attempts", "created_at")
_NOT_BEFORE = PLANNED_COLUMNS.index("not_before")


def _insert_deliveries(message_id: int, rows: list[Row], *, now: dt.datetime) -> None:
    """Write planned rows in bulk: COPY on PostgreSQL, one executemany elsewhere (no model instances).

    A re-run inserts nothing twice: the idempotency key is unique and conflicting rows are skipped.
    """
    from django.db import connection

    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy_deliveries(message_id, rows, now=now)
        return
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    sql = (
        f"INSERT INTO {Delivery._meta.db_table} ({', '.join(INSERT_COLUMNS)}) "  # noqa: S608 - constant names
        f"VALUES ({int(message_id)}, {', '.join(['%s'] * (len(INSERT_COLUMNS) - 5))}, '', '', 0, %s) "
        "ON CONFLICT (idempotency_key) DO NOTHING"
    )
    held: Any = next((row[_NOT_BEFORE] for row in rows if row[_NOT_BEFORE] is not None), None)
    params: list[tuple[Any, ...]]
    if held is None:
        params = [(*row, stamp) for row in rows]
    else:  # quiet hours: every held row waits for the same moment, in the form the driver takes
        until = ops.adapt_datetimefield_value(held)
        params = [(*row[:_NOT_BEFORE], None if row[_NOT_BEFORE] is None else until, stamp) for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _copy_deliveries(message_id: int, rows: list[Row], *, now: dt.datetime) -> None:
    """COPY into a transaction-scoped staging table, then one INSERT … SELECT that skips existing keys."""
    from django.db import connection

    table = Delivery._meta.db_table
    planned = PLANNED_COLUMNS
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE delivery_staging ON COMMIT DROP AS "  # noqa: S608 - constant names
            f"SELECT {', '.join(planned)} FROM {table} WITH NO DATA"
        )
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no COPY
        with raw.copy(f"COPY delivery_staging ({', '.join(planned)}) FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write(row)
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(INSERT_COLUMNS)}) "  # noqa: S608 - constant names
            f"SELECT %s, {', '.join(planned)}, '', '', 0, %s FROM delivery_staging "
            "ON CONFLICT (idempotency_key) DO NOTHING",
            [message_id, now],
        )
        # Dropped now, not only at commit: one transaction may plan several messages (the sweep, tests).
        cursor.execute("DROP TABLE delivery_staging")


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


def messages_sweep(*, now: dt.datetime | None = None) -> int:
    """Dispatch due scheduled messages and re-queue batches left owing (crash, rate limit, quiet hours); probe
    paused providers, which queue what waited for them once they work again."""
    from homeroom.messaging.dispatch import batches_due
    from homeroom.messaging.tasks import deliver_batch_task

    now = now or timezone.now()
    count = providers_probe_due(now=now)
    for message_id in Message.objects.filter(status=Message.Status.SCHEDULED, scheduled_for__lte=now).values_list(
        "pk", flat=True
    ):
        message_dispatch(message_id=message_id, now=now)
        count += 1
    for message_id, batch in batches_due(now=now):
        deliver_batch_task.enqueue(message_id, batch)
        count += 1
    return count


def message_prefill_translation(*, message: Message, source: str, target: str) -> MessageContent:
    """A machine draft in `target`, flagged so the message cannot go out until staff review and save it."""
    from homeroom.languages.cache import translate
    from homeroom.languages.providers import TranslationError, get_translator

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
