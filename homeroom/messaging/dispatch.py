"""Sending: claim each delivery once, call its channel, record the outcome; safe to run twice or after a crash."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from homeroom.messaging.channels import Transport, TransportError, transport_for
from homeroom.messaging.models import Delivery, DeliveryState, Message
from homeroom.messaging.ratelimit import rate_take
from homeroom.messaging.rendering import RenderCache

logger = logging.getLogger(__name__)
FALLBACK_BATCH = 1_000_000  # fallback deliveries are sent as their own batch
MAX_ATTEMPTS = 3
S = DeliveryState
TABLE = Delivery._meta.db_table


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0
    retry: int = 0
    deferred: int = 0  # held back by quiet hours or the rate limit
    skipped_claimed: int = 0
    channels: Counter[str] = field(default_factory=Counter)


def _claimable(now: dt.datetime) -> Q:
    stale = now - dt.timedelta(seconds=settings.MESSAGING_CLAIM_LEASE_SECONDS)
    return Q(state=S.QUEUED) | Q(state=S.SENDING, claimed_at__lt=stale)


def _db(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _claim(delivery_id: int, now: dt.datetime) -> bool:
    """Move one row to `sending` if nobody else holds it; the attempt is on record before the provider call."""
    if connection.vendor == "postgresql":
        rows = Delivery.objects.filter(_claimable(now), pk=delivery_id)
        with transaction.atomic():
            if not rows.select_for_update(skip_locked=True).exists():
                return False
            return Delivery.objects.filter(pk=delivery_id).update(state=S.SENDING, claimed_at=now) == 1
    # SQLite: one conditional UPDATE is atomic, and only one worker's can match. Raw SQL: this runs once
    # per delivery, and the ORM's query building cost more than the write itself.
    stale = now - dt.timedelta(seconds=settings.MESSAGING_CLAIM_LEASE_SECONDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET state = %s, claimed_at = %s WHERE id = %s"  # noqa: S608 - constant table name
            " AND (state = %s OR (state = %s AND claimed_at < %s))",
            [S.SENDING, _db(now), delivery_id, S.QUEUED, S.SENDING, _db(stale)],
        )
        return cursor.rowcount == 1


def _record_sent(delivery: Delivery, provider_id: str, now: dt.datetime, delivered: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET state = %s, provider_id = %s, sent_at = %s, finished_at = %s,"  # noqa: S608
            " attempts = %s, error = '' WHERE id = %s AND state = %s",
            [S.DELIVERED if delivered else S.SENT, provider_id, _db(now), _db(now) if delivered else None,
             delivery.attempts + 1, delivery.pk, S.SENDING],
        )


def _record_error(delivery: Delivery, error: TransportError, now: dt.datetime) -> bool:
    """True when the failure is final (permanent, or out of attempts)."""
    attempts = delivery.attempts + 1
    final = error.permanent or attempts >= MAX_ATTEMPTS
    Delivery.objects.filter(pk=delivery.pk, state=S.SENDING).update(
        state=S.FAILED if final else S.QUEUED,
        error=error.message[:255],
        attempts=attempts,
        claimed_at=None,
        finished_at=now if final else None,
    )
    return final


def deliver_batch(message_id: int, batch: int, *, now: dt.datetime | None = None) -> BatchResult:
    """Send every due, unclaimed delivery of one batch. Running it again sends only what is still owed."""
    from homeroom.messaging.status import delivery_failed_permanently

    now = now or timezone.now()
    result = BatchResult()
    message = Message.objects.select_related("district").get(pk=message_id)
    candidates = list(
        Delivery.objects.filter(_claimable(now), message_id=message_id, batch=batch)
        .exclude(not_before__gt=now)
        .order_by("id")
    )
    result.deferred = (
        Delivery.objects.filter(message_id=message_id, batch=batch, state=S.QUEUED, not_before__gt=now).count()
    )
    if not candidates:
        message_finish_if_done(message_id)
        return result
    renders = RenderCache(message)
    transports: dict[str, Transport] = {}
    wanted: Counter[str] = Counter()
    for delivery in candidates:
        if delivery.channel not in transports:
            transports[delivery.channel] = transport_for(delivery.channel)
        key = transports[delivery.channel].rate_key()
        if key:
            wanted[key] += 1
    allowance = {
        key: rate_take(
            key=key,
            wanted=count,
            rate_per_second=settings.MESSAGING_PHONE_RATE_PER_SECOND,
            burst=settings.MESSAGING_PHONE_RATE_BURST,
            now=now,
        )
        for key, count in wanted.items()
    }
    for transport in transports.values():
        transport.open()
    try:
        for delivery in candidates:
            transport = transports[delivery.channel]
            key = transport.rate_key()
            if key and allowance[key] <= 0:
                result.deferred += 1
                continue
            reclaimed = delivery.state == S.SENDING
            if not _claim(delivery.pk, now):
                result.skipped_claimed += 1
                continue
            if reclaimed and transport.already_sent(delivery):
                _record_sent(delivery, delivery.provider_id, now, transport.delivered_on_send)
                continue
            if key:
                allowance[key] -= 1
            rendered = renders.get(delivery.content_language, delivery.channel, delivery.language)
            try:
                provider_id = transport.send(delivery, rendered)
            except TransportError as error:
                if _record_error(delivery, error, now):
                    result.failed += 1
                    if error.permanent:
                        delivery_failed_permanently(delivery_id=delivery.pk, reason=error.message)
                else:
                    result.retry += 1
                continue
            _record_sent(delivery, provider_id, now, transport.delivered_on_send)
            result.sent += 1
            result.channels[delivery.channel] += 1
    finally:
        for transport in transports.values():
            transport.close()
    if result.deferred or result.retry:
        _schedule_rerun(message_id, batch, now)
    message_finish_if_done(message_id)
    return result


def _schedule_rerun(message_id: int, batch: int, now: dt.datetime) -> None:
    """Backends that can defer get a timed re-run; others rely on `homeroom messaging_sweep`."""
    from homeroom.messaging.tasks import deliver_batch_task

    if not deliver_batch_task.get_backend().supports_defer:
        return
    due = Delivery.objects.filter(message_id=message_id, batch=batch, state=S.QUEUED, not_before__gt=now)
    first = due.order_by("not_before").values_list("not_before", flat=True).first()
    run_after = first if first and not Delivery.objects.filter(
        message_id=message_id, batch=batch, state=S.QUEUED, not_before__lte=now
    ).exists() else now + dt.timedelta(seconds=5)
    transaction.on_commit(
        lambda: deliver_batch_task.using(run_after=run_after).enqueue(message_id, batch)  # type: ignore[arg-type]
    )


def message_finish_if_done(message_id: int) -> None:
    open_states = [S.PLANNED, S.QUEUED, S.SENDING]
    if not Delivery.objects.filter(message_id=message_id, state__in=open_states).exists():
        Message.objects.filter(pk=message_id, status=Message.Status.SENDING).update(
            status=Message.Status.SENT, sent_at=timezone.now()
        )


def batches_due(*, now: dt.datetime | None = None) -> list[tuple[int, int]]:
    """(message, batch) pairs with deliveries that are due and unclaimed, or whose worker died."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(_claimable(now))
        .exclude(not_before__gt=now)
        .values_list("message_id", "batch")
        .distinct()
        .order_by("message_id", "batch")
    )
