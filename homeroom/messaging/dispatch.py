"""Sending: claim each delivery once, call its channel, record the outcome; safe to run twice or after a crash."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from homeroom.messaging import signals
from homeroom.messaging.channels import Transport, TransportError, transport_for
from homeroom.messaging.channels.base import Fault
from homeroom.messaging.models import BatchRun, Delivery, DeliveryState, Message
from homeroom.messaging.pauses import paused_providers, provider_pause
from homeroom.messaging.ratelimit import rate_take
from homeroom.messaging.rendering import RenderCache, Rendered

logger = logging.getLogger(__name__)
FALLBACK_BATCH = 1_000_000  # fallback deliveries are sent as their own batch
MAX_ATTEMPTS = 3
CLAIM_CHUNK = 500  # ids per claiming UPDATE (well under every backend's parameter limit)
THROTTLE_PAUSE_SECONDS = 5  # after an HTTP 429, that sending number's remaining rows wait this long
# After an ambiguous failure (a timeout once the request went out), the row is asked about this much later.
AMBIGUOUS_RECHECK_SECONDS = 4
RECORD_GROUP = 50  # sent rows recorded per statement
S = DeliveryState
TABLE = Delivery._meta.db_table
RUN_TABLE = BatchRun._meta.db_table
# What the channels and the recording read of a delivery (another column would be fetched row by row).
SEND_FIELDS = ("message", "guardian", "channel", "address", "language", "content_language", "state",
               "idempotency_key", "attempts", "claim_run", "created_at")


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0
    retry: int = 0
    deferred: int = 0  # held back by quiet hours or the rate limit
    paused: int = 0  # waiting for a provider that is set up wrong (pauses)
    skipped_claimed: int = 0
    channels: Counter[str] = field(default_factory=Counter)


def _claimable(now: dt.datetime) -> Q:
    stale = now - dt.timedelta(seconds=settings.MESSAGING_CLAIM_LEASE_SECONDS)
    return Q(state=S.QUEUED) | Q(state=S.SENDING, claimed_at__lt=stale)


def _db(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _claim(ids: list[int], now: dt.datetime, run_id: int) -> set[int]:
    """Move a batch's rows to `sending` for run `run_id`, one conditional UPDATE per chunk; returns the ids this
    worker now holds.

    The claim is committed before any provider call, so the attempt is on record. Rows another worker holds
    (within its lease) do not match the condition; concurrent UPDATEs of one row serialise on its lock, and
    the second sees the first's `sending` and skips it.
    """
    stale = now - dt.timedelta(seconds=settings.MESSAGING_CLAIM_LEASE_SECONDS)
    held: set[int] = set()
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ids), CLAIM_CHUNK):
            chunk = ids[start : start + CLAIM_CHUNK]
            cursor.execute(
                f"UPDATE {TABLE} SET state = %s, claimed_at = %s, claim_run = %s"  # noqa: S608 - constant table
                f" WHERE id IN ({', '.join(['%s'] * len(chunk))})"
                " AND (state = %s OR (state = %s AND claimed_at < %s)) RETURNING id",
                [S.SENDING, _db(now), run_id, *chunk, S.QUEUED, S.SENDING, _db(stale)],
            )
            held.update(row[0] for row in cursor.fetchall())
    return held


MARK_SQL = f"UPDATE {RUN_TABLE} SET handed_through = %s WHERE id = %s"  # noqa: S608 - constant table name


def _mark_handed_over(run_id: int, delivery_id: int) -> None:
    """Move the run's mark past a row sent on a channel that cannot be asked afterwards (see BatchRun).

    This runs once per email of a fan-out, so on PostgreSQL it skips Django's cursor wrapper and its
    client-side binding (about a quarter of the statement's cost to the worker) and is prepared once per
    connection.
    """
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(MARK_SQL, [delivery_id, run_id], prepare=True)
        return
    with connection.cursor() as cursor:
        cursor.execute(MARK_SQL, [delivery_id, run_id])


def _marks(deliveries: list[Delivery]) -> dict[int, int]:
    """{run id: handed_through} of the dead runs that claimed rows now being taken over."""
    runs = {d.claim_run for d in deliveries if d.state == S.SENDING and d.claim_run}
    if not runs:
        return {}
    return dict(BatchRun.objects.filter(pk__in=runs).values_list("pk", "handed_through"))


def _record_sent(outcomes: list[tuple[int, str, bool]], now: dt.datetime) -> None:
    """(delivery id, provider id, delivered) for each sent row, in one UPDATE per outcome kind.

    One statement, not a transaction of many: it is atomic by itself, costs one round trip, and a row it
    does not reach stays `sending`, which the provider check (or the run's mark) after a crash covers.
    """
    stamp = _db(now)
    for delivered in (False, True):
        rows = [(pk, provider_id[:120]) for pk, provider_id, done in outcomes if done is delivered]
        if not rows:
            continue
        whens = " ".join(["WHEN %s THEN %s"] * len(rows))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET state = %s, provider_id = CASE id {whens} END,"  # noqa: S608 - constant table
                " sent_at = %s, finished_at = %s, attempts = attempts + 1, error = ''"
                f" WHERE id IN ({', '.join(['%s'] * len(rows))}) AND state = %s",
                [S.DELIVERED if delivered else S.SENT, *(v for row in rows for v in row), stamp,
                 stamp if delivered else None, *(pk for pk, _ in rows), S.SENDING],
            )
        if delivered:
            signals.send_deliveries_reached(pk for pk, _ in rows)


@contextlib.contextmanager
def _commits_without_flush_wait() -> Iterator[None]:
    """On PostgreSQL, this connection's commits stop waiting for the WAL flush while a batch is sent.

    Waiting for the flush on each of tens of thousands of one-email marks dominated PostgreSQL fan-outs. A
    mark is visible to every worker at once either way; only a crash of the database server itself within
    a fraction of a second could lose one, and that message would then be sent again.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _record_error(delivery: Delivery, error: TransportError, now: dt.datetime) -> bool:
    """True when the failure is final (permanent, or out of attempts); a throttled send is not an attempt.

    An ambiguous failure (the request went out, no answer came) leaves the row `sending`, to be taken over a
    few seconds later like a dead worker's row: the provider is asked whether it has the message first.
    """
    if error.throttled:
        _release([delivery.pk], now, error=error.message)
        return False
    attempts = delivery.attempts + 1
    if error.fault == Fault.AMBIGUOUS:
        _recheck_later(delivery.pk, now, error=error.message, attempts=attempts)
        return False
    final = error.permanent or attempts >= MAX_ATTEMPTS
    Delivery.objects.filter(pk=delivery.pk, state=S.SENDING).update(
        state=S.FAILED if final else S.QUEUED,
        error=error.message[:255],
        attempts=attempts,
        claimed_at=None,
        finished_at=now if final else None,
    )
    return final


def _release(ids: list[int], now: dt.datetime, *, error: str = "") -> None:
    """Give claimed rows back unsent (the provider is throttling us): queued again, due a little later."""
    Delivery.objects.filter(pk__in=ids, state=S.SENDING).update(
        state=S.QUEUED, claimed_at=None, not_before=now + dt.timedelta(seconds=THROTTLE_PAUSE_SECONDS),
        **({"error": error[:255]} if error else {}),
    )


def _recheck_later(delivery_id: int, now: dt.datetime, *, error: str, attempts: int | None = None) -> None:
    """Leave a row `sending`, claimable again in a few seconds: the next run asks the provider before it resends."""
    lease = dt.timedelta(seconds=settings.MESSAGING_CLAIM_LEASE_SECONDS)
    Delivery.objects.filter(pk=delivery_id, state=S.SENDING).update(
        claimed_at=now - lease + dt.timedelta(seconds=AMBIGUOUS_RECHECK_SECONDS), error=error[:255],
        **({"attempts": attempts} if attempts is not None else {}),
    )


def _hold(deliveries: list[Delivery], now: dt.datetime, *, error: str = "") -> None:
    """Give rows back unsent, no attempt used, until their paused provider works again (see pauses).

    A row taken over from a dead worker stays `sending` (claimable at once), so it is still checked with the
    provider before it is sent; the others are queued again.
    """
    if not deliveries:
        return
    changes = {"error": error[:255]} if error else {}
    stale = now - dt.timedelta(seconds=settings.MESSAGING_CLAIM_LEASE_SECONDS + 1)
    fresh = [d.pk for d in deliveries if d.state != S.SENDING]
    reclaimed = [d.pk for d in deliveries if d.state == S.SENDING]
    if fresh:
        Delivery.objects.filter(pk__in=fresh, state=S.SENDING).update(state=S.QUEUED, claimed_at=None, **changes)
    if reclaimed:
        Delivery.objects.filter(pk__in=reclaimed, state=S.SENDING).update(claimed_at=stale, **changes)


def _fail_unbuilt(delivery: Delivery, error: str, now: dt.datetime) -> None:
    """A message that cannot be built for this delivery: a permanent error on it alone, nothing marked."""
    Delivery.objects.filter(pk=delivery.pk, state=S.SENDING).update(
        state=S.FAILED, error=error[:255], attempts=delivery.attempts + 1, claimed_at=None, finished_at=now
    )


def _allowance(candidates: list[Delivery], transports: dict[str, Transport], now: dt.datetime) -> dict[str, int]:
    wanted: Counter[str] = Counter()
    for delivery in candidates:
        key = transports[delivery.channel].rate_key()
        if key:
            wanted[key] += 1
    return {
        key: rate_take(
            key=key,
            wanted=count,
            rate_per_second=settings.MESSAGING_PHONE_RATE_PER_SECOND,
            burst=settings.MESSAGING_PHONE_RATE_BURST,
            now=now,
        )
        for key, count in wanted.items()
    }


def deliver_batch(message_id: int, batch: int, *, now: dt.datetime | None = None) -> BatchResult:
    """Send every due, unclaimed delivery of one batch. Running it again sends only what is still owed."""
    now = now or timezone.now()
    result = BatchResult()
    message = Message.objects.select_related("district").get(pk=message_id)
    candidates = list(
        Delivery.objects.filter(_claimable(now), message_id=message_id, batch=batch)
        .exclude(not_before__gt=now)
        .only(*SEND_FIELDS)  # a fan-out loads each row once; the columns sending never reads stay behind
        .order_by("id")
    )
    result.deferred = (
        Delivery.objects.filter(message_id=message_id, batch=batch, state=S.QUEUED, not_before__gt=now).count()
    )
    if not candidates:
        message_finish_if_done(message_id)
        return result
    transports = {channel: transport_for(channel) for channel in {d.channel for d in candidates}}
    paused = paused_providers()
    if paused:  # their rows wait, unclaimed; the probe that resumes the provider queues them again
        waiting = [d for d in candidates if transports[d.channel].provider_key() in paused]
        result.paused = len(waiting)
        candidates = [d for d in candidates if transports[d.channel].provider_key() not in paused]
    allowance = _allowance(candidates, transports, now)
    chosen = []
    for delivery in candidates:
        key = transports[delivery.channel].rate_key()
        if key and allowance[key] <= 0:
            result.deferred += 1
            continue
        if key:
            allowance[key] -= 1
        chosen.append(delivery)
    if chosen:  # (a run held back whole by the rate limit leaves no trace)
        run_id = BatchRun.objects.create(message_id=message_id, batch=batch, started_at=now).pk
        held = _claim([d.pk for d in chosen], now, run_id)
        result.skipped_claimed = len(chosen) - len(held)
        with _commits_without_flush_wait():
            _send_claimed(message, [d for d in chosen if d.pk in held], transports, now, result, run_id)
    if result.deferred or result.retry:
        _schedule_rerun(message_id, batch, now)
    message_finish_if_done(message_id)
    return result


def _send_claimed(message: Message, deliveries: list[Delivery], transports: dict[str, Transport],
                  now: dt.datetime, result: BatchResult, run_id: int) -> None:
    """Hand each claimed delivery to its channel, in id order, and record the outcomes in groups.

    After a crash, a row still `sending` is checked before it is sent again: with the provider on channels
    that can say whether they took a message (`Transport.recoverable`), and against the dead run's mark
    on the others, whose mark moves past each row right after its hand-over (see BatchRun). A provider that
    answers with a configuration error (pauses) stops this run's sends through it, and its rows wait.
    """
    from homeroom.messaging.status import delivery_failed_permanently

    renders = RenderCache(message)
    marks = _marks(deliveries)
    pending: list[tuple[int, str, bool]] = []  # sent, not yet recorded
    throttled: set[str | None] = set()  # rate keys the provider answered 429 for in this run
    paused: set[str] = set()  # providers that answered with a configuration error in this run
    held_back: list[int] = []
    on_hold: list[Delivery] = []
    for transport in transports.values():
        transport.open()
    try:
        for delivery in deliveries:
            transport = transports[delivery.channel]
            if paused and transport.provider_key() in paused:
                if transport.recoverable:
                    on_hold.append(delivery)
                else:  # given back now: a later row's mark must not pass over a row that is still `sending`
                    _hold([delivery], now)
                result.paused += 1
                continue
            if throttled and transport.rate_key() in throttled:
                if transport.recoverable:
                    held_back.append(delivery.pk)
                else:  # given back now: a later row's mark must not pass over a row that is still `sending`
                    _release([delivery.pk], now)
                    result.deferred += 1
                continue
            try:
                rendered = renders.get(delivery.content_language, delivery.channel, delivery.language)
            except (ValueError, TypeError, KeyError) as exc:  # one message that cannot be built stops only itself
                _fail_unbuilt(delivery, f"the message could not be built: {exc}", now)
                result.failed += 1
                continue
            if delivery.state == S.SENDING:  # reclaimed (a dead worker, an ambiguous failure): ask before resending
                outcome = _check_reclaimed(delivery, transport, rendered, marks, now, result, paused)
                if outcome is None:
                    continue  # the check itself could not be made; the row stays `sending` for a later run
                if outcome:
                    pending.append((delivery.pk, outcome, transport.delivered_on_send))
                    continue
                if delivery.attempts >= MAX_ATTEMPTS:
                    _fail_unbuilt(delivery, delivery.error or "no answer from the provider", now)
                    result.failed += 1
                    continue
            try:
                provider_id = transport.send(delivery, rendered)
            except TransportError as error:
                if error.fault == Fault.PROVIDER:
                    paused.add(transport.provider_key())
                    provider_pause(provider=transport.provider_key(), error=error.message, now=now)
                    _hold([delivery], now, error=error.message)
                    result.paused += 1
                elif error.throttled:
                    throttled.add(transport.rate_key())
                    result.deferred += 1
                    _record_error(delivery, error, now)
                elif _record_error(delivery, error, now):
                    result.failed += 1
                    if error.against_address:
                        delivery_failed_permanently(delivery_id=delivery.pk, reason=error.message)
                else:
                    result.retry += 1
                continue
            result.sent += 1
            result.channels[delivery.channel] += 1
            if not transport.recoverable:
                _mark_handed_over(run_id, delivery.pk)
            pending.append((delivery.pk, provider_id, transport.delivered_on_send))
            if len(pending) >= RECORD_GROUP:
                _record_sent(pending, now)
                pending = []
        if pending:
            _record_sent(pending, now)
            pending = []
        if held_back:
            _release(held_back, now)
            result.deferred += len(held_back)
        _hold(on_hold, now)
    finally:
        for transport in transports.values():
            transport.close()
        if pending:
            # An error mid-batch: what the providers took is still recorded (a killed worker gets the
            # provider check on the re-run instead).
            try:
                _record_sent(pending, now)
            except Exception:
                logger.exception("could not record %d sent deliveries; the re-run will check them", len(pending))


def _check_reclaimed(delivery: Delivery, transport: Transport, rendered: Rendered, marks: dict[int, int],
                     now: dt.datetime, result: BatchResult, paused: set[str]) -> str | None:
    """For a row still `sending` when claimed: the provider's id if the message went out, "" if it did not,
    None when the provider could not be asked (the row is left to a later run, unsent)."""
    if not transport.recoverable:
        handed = delivery.pk <= marks.get(delivery.claim_run or 0, 0)
        return (transport.handed_over_id(delivery) or delivery.idempotency_key) if handed else ""
    try:
        return transport.already_sent(delivery, rendered) or ""
    except TransportError as error:
        if error.fault == Fault.PROVIDER:
            paused.add(transport.provider_key())
            provider_pause(provider=transport.provider_key(), error=error.message, now=now)
            _hold([delivery], now, error=error.message)
            result.paused += 1
        else:
            _recheck_later(delivery.pk, now, error=error.message)
            result.retry += 1
        return None


def _schedule_rerun(message_id: int, batch: int, now: dt.datetime) -> None:
    """Backends that can defer get a timed re-run; others rely on `homeroom messages-sweep`."""
    from homeroom.messaging.tasks import deliver_batch_task

    if not deliver_batch_task.get_backend().supports_defer:
        return
    due = Delivery.objects.filter(message_id=message_id, batch=batch, state=S.QUEUED, not_before__gt=now)
    first = due.order_by("not_before").values_list("not_before", flat=True).first()
    run_after = first if first and not Delivery.objects.filter(
        message_id=message_id, batch=batch, state=S.QUEUED, not_before__lte=now
    ).exists() else now + dt.timedelta(seconds=5)
    enqueue_batch(message_id, batch, due=run_after, now=now)


def enqueue_batch(message_id: int, batch: int, *, due: dt.datetime | None = None,
                  now: dt.datetime | None = None) -> None:
    """Run one batch once this transaction commits: at once when it is due, else at `due` on task backends
    that can defer (on the others, `homeroom messages-sweep` picks it up once due)."""
    from homeroom.messaging.tasks import deliver_batch_task

    if due is None or due <= (now or timezone.now()):
        transaction.on_commit(lambda: deliver_batch_task.enqueue(message_id, batch))
    elif deliver_batch_task.get_backend().supports_defer:
        transaction.on_commit(
            lambda: deliver_batch_task.using(run_after=due).enqueue(message_id, batch)  # type: ignore[arg-type]
        )


def owed_batches(channels: list[str], *, now: dt.datetime) -> list[tuple[int, int, dt.datetime | None]]:
    """(message, batch, due) of every batch with rows owed on these channels: queued, or `sending` and waiting
    to be checked; due is None when some are due now, else when the first one is."""
    owed: dict[tuple[int, int], dt.datetime | None] = {}
    rows = (
        Delivery.objects.filter(Q(state=S.QUEUED) | Q(state=S.SENDING), channel__in=channels)
        .values_list("message_id", "batch", "not_before")
        .distinct()
    )
    for message_id, batch, not_before in rows:
        key = (message_id, batch)
        due = not_before if not_before and not_before > now else None
        if key not in owed:
            owed[key] = due
        elif owed[key] is not None:
            owed[key] = None if due is None else min(due, owed[key])  # type: ignore[type-var]
    return [(message_id, batch, due) for (message_id, batch), due in sorted(owed.items())]


def message_finish_if_done(message_id: int) -> None:
    open_states = [S.PLANNED, S.QUEUED, S.SENDING]
    if not Delivery.objects.filter(message_id=message_id, state__in=open_states).exists():
        Message.objects.filter(pk=message_id, status=Message.Status.SENDING).update(
            status=Message.Status.SENT, sent_at=timezone.now()
        )
        BatchRun.objects.filter(message_id=message_id).delete()  # no row is `sending` any more


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
