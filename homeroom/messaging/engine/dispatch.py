"""Sending: claim each delivery once, call its channel, record the outcome; safe to run twice or after a crash."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from homeroom.messaging import policy, signals
from homeroom.messaging.channels import Transport, TransportError
from homeroom.messaging.channels.base import OUTGOING_COLUMNS, Fault, Outgoing
from homeroom.messaging.channels.registry import transport_for
from homeroom.messaging.engine.followups import FollowUp, ProbeProvider, RunBatch
from homeroom.messaging.engine.outcomes import delivery_failed_permanently, run_for
from homeroom.messaging.engine.pauses import paused_providers, provider_pause
from homeroom.messaging.engine.ratelimit import rate_take, rate_wait_seconds
from homeroom.messaging.models import Delivery, DeliveryAttempt, DeliveryState, Message
from homeroom.messaging.rendering import RenderCache, Rendered

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
CLAIM_CHUNK = 500  # ids per claiming UPDATE (well under every backend's parameter limit)
THROTTLE_PAUSE_SECONDS = 2  # after an HTTP 429, that sending number's remaining rows wait this long
# After an ambiguous failure (a timeout once the request went out), the row is asked about this much later.
AMBIGUOUS_RECHECK_SECONDS = 4
RECORD_GROUP = 200  # sent rows recorded per statement
MAX_PASSES = 10_000  # a batch's paced passes (a safety stop; MESSAGING_PACE_SECONDS ends them first)
MIN_PACE_WAIT = 0.01  # seconds between passes at least
# A paced batch waits for this many seconds' worth of its sender's tokens (capped by the burst and by what it
# still owes) before its next pass, not for a single token: at 100 texts/s a pass every 10 ms re-read the batch
# 100 times a second for one text each, and the workers took CPU the web pages need during a district send. A
# second keeps the provider's rate, lets an urgent message in between passes, and adds at most that to a send.
PACE_STEP_SECONDS = 1.0
S = DeliveryState
Attempt = DeliveryAttempt.Outcome
TABLE = Delivery._meta.db_table
ATTEMPT_TABLE = DeliveryAttempt._meta.db_table
ATTEMPT_SQL = (
    f"INSERT INTO {ATTEMPT_TABLE}"  # noqa: S608 - constant table name
    " (delivery_id, at, channel, provider_id, outcome, error_code, error) VALUES (%s, %s, %s, %s, %s, '', '')"
)


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0
    retry: int = 0
    deferred: int = 0  # held back by quiet hours or the rate limit
    paused: int = 0  # waiting for a provider that is set up wrong (pauses)
    skipped_claimed: int = 0
    yielded: bool = False  # stepped aside for an urgent message (see deliver_batch)
    channels: Counter[str] = field(default_factory=Counter)
    # What to queue next (fallbacks, call retries, this batch's rerun, probes); engine.tasks queues them.
    follow_ups: list[FollowUp] = field(default_factory=list)


def _claimable(now: dt.datetime) -> Q:
    stale = now - dt.timedelta(seconds=settings.MESSAGING_CLAIM_LEASE_SECONDS)
    return Q(state=S.QUEUED) | Q(state=S.SENDING, claimed_at__lt=stale)


def _db(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _claim(ids: list[int], now: dt.datetime) -> set[int]:
    """Move a batch's rows to `sending`, one conditional UPDATE per chunk; returns the ids this worker now holds.

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
                f"UPDATE {TABLE} SET state = %s, claimed_at = %s"  # noqa: S608 - constant table
                f" WHERE id IN ({', '.join(['%s'] * len(chunk))})"
                " AND (state = %s OR (state = %s AND claimed_at < %s)) RETURNING id",
                [S.SENDING, _db(now), *chunk, S.QUEUED, S.SENDING, _db(stale)],
            )
            held.update(row[0] for row in cursor.fetchall())
    return held


def _record_hand_over(cursor: CursorWrapper, delivery: Outgoing, provider_id: str, delivered: bool,
                      stamp: Any) -> None:
    """The attempt row of a message handed to a channel that cannot be asked afterwards (SMTP, an ESP), written
    on its own right after the hand-over and committed before the next message leaves.

    After a crash, a row still `sending` with such a row went out and is recorded, not sent again; only the
    message in flight (handed over, its row not yet written) can go out twice.
    """
    cursor.execute(ATTEMPT_SQL, [delivery.pk, stamp, delivery.channel, provider_id[:120],
                                 Attempt.DELIVERED if delivered else Attempt.SENT])


def _handed_over(deliveries: list[Outgoing]) -> dict[int, str]:
    """{delivery id: provider id} of the rows taken over from a dead worker whose hand-over is on record."""
    reclaimed = [d.pk for d in deliveries if d.state == S.SENDING]
    if not reclaimed:
        return {}
    return dict(DeliveryAttempt.objects.filter(
        delivery_id__in=reclaimed, outcome__in=[Attempt.SENT, Attempt.DELIVERED]
    ).values_list("delivery_id", "provider_id"))


# A sent row waiting to be recorded: (delivery id, provider id, delivered, channel, attempt row written already).
Sent = tuple[int, str, bool, str, bool]


def _record_sent(cursor: CursorWrapper, outcomes: list[Sent], stamp: Any) -> None:
    """The sent rows of a group in one transaction: one UPDATE per outcome kind, and the attempt rows not
    written yet in one INSERT.

    One transaction, so the group costs one commit, not one per attempt row. One INSERT of the group's rows
    (not an executemany of one INSERT per row): the database parses and plans it once. A row it does not
    reach stays `sending`, which the provider check (or its attempt row) after a crash covers.
    """
    with transaction.atomic():
        for delivered in (False, True):
            rows = [(pk, provider_id[:120]) for pk, provider_id, done, _channel, _on_record in outcomes
                    if done is delivered]
            if not rows:
                continue
            whens = " ".join(["WHEN %s THEN %s"] * len(rows))
            cursor.execute(
                f"UPDATE {TABLE} SET state = %s, provider_id = CASE id {whens} END,"  # noqa: S608 - constant table
                " sent_at = %s, finished_at = %s, attempts = attempts + 1, error = ''"
                f" WHERE id IN ({', '.join(['%s'] * len(rows))}) AND state = %s",
                [S.DELIVERED if delivered else S.SENT, *(v for row in rows for v in row), stamp,
                 stamp if delivered else None, *(pk for pk, _ in rows), S.SENDING],
            )
            if delivered:
                signals.send_deliveries_reached(pk for pk, _ in rows)  # once the group commits
        attempts = [(pk, channel, provider_id[:120], Attempt.DELIVERED if delivered else Attempt.SENT)
                    for pk, provider_id, delivered, channel, on_record in outcomes if not on_record]
        if attempts:
            cursor.execute(_attempt_rows_sql(len(attempts)), [stamp, *(v for row in attempts for v in row)])


def _attempt_rows_sql(count: int) -> str:
    """One INSERT of `count` attempt rows that share their time: (delivery, channel, provider id, outcome) each,
    four parameters a row (a group of RECORD_GROUP stays under SQLite's 999)."""
    values = ", ".join(["(%s, %s, %s, %s)"] * count)
    return (
        f"INSERT INTO {ATTEMPT_TABLE} (delivery_id, at, channel, provider_id, outcome, error_code, error)"  # noqa: S608
        f" SELECT column1, %s, column2, column3, column4, '', '' FROM (VALUES {values}) AS sent"
    )


def _attempt(delivery: Outgoing, outcome: str, now: dt.datetime, error: TransportError | None = None,
             message: str = "") -> None:
    """One attempt row for a send that did not go through (see DeliveryAttempt)."""
    DeliveryAttempt.objects.create(
        delivery_id=delivery.pk, at=now, channel=delivery.channel, outcome=outcome,
        error_code=(error.code if error else "")[:20], error=(error.message if error else message)[:255],
    )


@contextlib.contextmanager
def _commits_without_flush_wait() -> Iterator[None]:
    """On PostgreSQL, this connection's commits stop waiting for the WAL flush while a batch is sent.

    Waiting for the flush on each of tens of thousands of one-email attempt rows dominated PostgreSQL
    fan-outs. A row is visible to every worker at once either way; only a crash of the database server itself
    within a fraction of a second could lose one, and that message would then be sent again.
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


def _record_error(delivery: Outgoing, error: TransportError, now: dt.datetime) -> bool:
    """True when the failure is final (permanent, or out of attempts); a throttled send is not an attempt.

    An ambiguous failure (the request went out, no answer came) leaves the row `sending`, to be taken over a
    few seconds later like a dead worker's row: the provider is asked whether it has the message first.
    """
    if error.throttled:
        _attempt(delivery, Attempt.THROTTLED, now, error)
        _release([delivery.pk], now, error=error.message)
        return False
    attempts = delivery.attempts + 1
    if error.fault == Fault.AMBIGUOUS:
        _attempt(delivery, Attempt.AMBIGUOUS, now, error)
        _recheck_later(delivery.pk, now, error=error.message, attempts=attempts)
        return False
    final = error.permanent or attempts >= MAX_ATTEMPTS
    _attempt(delivery, Attempt.FAILED if final else Attempt.RETRY, now, error)
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


def _hold(deliveries: list[Outgoing], now: dt.datetime, *, error: str = "") -> None:
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


def _fail_unbuilt(delivery: Outgoing, error: str, now: dt.datetime) -> None:
    """A message that cannot be built for this delivery: a permanent error on it alone, nothing marked."""
    _attempt(delivery, Attempt.FAILED, now, message=error)
    Delivery.objects.filter(pk=delivery.pk, state=S.SENDING).update(
        state=S.FAILED, error=error[:255], attempts=delivery.attempts + 1, claimed_at=None, finished_at=now
    )


def _allowance(candidates: list[Outgoing], transports: dict[str, Transport], now: dt.datetime) -> dict[str, int]:
    wanted: Counter[str] = Counter()
    rates: dict[str, tuple[float, float]] = {}
    for delivery in candidates:
        transport = transports[delivery.channel]
        key = transport.rate_key()
        if key:
            wanted[key] += 1
            rates[key] = transport.rate()
    return {
        key: rate_take(key=key, wanted=count, rate_per_second=rates[key][0], burst=rates[key][1], now=now)
        for key, count in wanted.items()
    }


def deliver_batch(message_id: int, batch: int, *, now: dt.datetime | None = None) -> BatchResult:
    """Send every due, unclaimed delivery of one batch. Running it again sends only what is still owed.

    Rate-limited channels are paced: each pass sends what the shared token bucket grants, then the batch
    waits for the next tokens (up to MESSAGING_PACE_SECONDS in all) instead of giving the rest back. A batch
    that is not in the urgent lane stops between passes while an urgent message has rows waiting, and asks
    to run again (after the urgent batches, which the queue puts first).
    """
    started = time.monotonic()
    message = Message.objects.select_related("district").get(pk=message_id)
    urgent = message.category in policy.URGENT_LANE
    result = BatchResult()
    for _pass in range(MAX_PASSES):
        moment = now or timezone.now()
        wait = _deliver_pass(message, batch, moment, result)
        if wait is None or time.monotonic() - started + wait > settings.MESSAGING_PACE_SECONDS:
            break
        if not urgent and urgent_waiting(moment):
            result.yielded = True
            break
        time.sleep(wait)
    if result.deferred or result.retry or result.yielded:
        result.follow_ups.append(_rerun(message_id, batch, now or timezone.now(), soon=result.yielded))
    message_finish_if_done(message_id)
    return result


def urgent_waiting(now: dt.datetime) -> bool:
    """Whether an urgent-lane message has rows due and unclaimed (other batches then step aside)."""
    urgent = Message.objects.filter(status=Message.Status.SENDING, category__in=policy.URGENT_LANE)
    return Delivery.objects.filter(
        message_id__in=urgent.values("pk"), state=S.QUEUED
    ).exclude(not_before__gt=now).exists()


def _deliver_pass(message: Message, batch: int, now: dt.datetime, result: BatchResult) -> float | None:
    """One pass over the batch; returns how long to wait for the rate limit's next token before the next pass,
    or None when nothing is left that waiting would let through."""
    message_id = message.pk
    candidates = [
        Outgoing(*row) for row in Delivery.objects.filter(_claimable(now), message_id=message_id, batch=batch)
        .exclude(not_before__gt=now)
        .order_by("id")
        .values_list(*OUTGOING_COLUMNS)  # a fan-out loads each row once, with what sending reads of it
    ]
    result.deferred = (
        Delivery.objects.filter(message_id=message_id, batch=batch, state=S.QUEUED, not_before__gt=now).count()
    )
    if not candidates:
        return None
    transports = {channel: transport_for(channel) for channel in {d.channel for d in candidates}}
    paused = paused_providers()
    if paused:  # their rows wait, unclaimed; the probe that resumes the provider queues them again
        waiting = [d for d in candidates if transports[d.channel].provider_key() in paused]
        result.paused = len(waiting)
        candidates = [d for d in candidates if transports[d.channel].provider_key() not in paused]
    allowance = _allowance(candidates, transports, now)
    chosen = []
    short: Counter[str] = Counter()  # rows left for want of tokens, by rate key
    for delivery in candidates:
        key = transports[delivery.channel].rate_key()
        if key and allowance[key] <= 0:
            result.deferred += 1
            short[key] += 1
            continue
        if key:
            allowance[key] -= 1
        chosen.append(delivery)
    if chosen:
        held = _claim([d.pk for d in chosen], now)
        result.skipped_claimed += len(chosen) - len(held)
        # The batch's records go through one cursor (opening one per email cost as much as its INSERT).
        with _commits_without_flush_wait(), connection.cursor() as cursor:
            _send_claimed(message, [d for d in chosen if d.pk in held], transports, now, result, cursor)
    if short:
        rates = {key: t.rate() for t in transports.values() if (key := t.rate_key()) in short and key}
        return min(max(MIN_PACE_WAIT, rate_wait_seconds(
            key=key, rate_per_second=rate, tokens=max(1.0, min(short[key], burst, rate * PACE_STEP_SECONDS))))
            for key, (rate, burst) in rates.items())
    return _until_next_held(message_id, batch, now)


def _until_next_held(message_id: int, batch: int, now: dt.datetime) -> float | None:
    """Seconds until the batch's next held-back row is due (given back after a 429, or quiet hours), or None.

    A paced batch waits for it like for the rate limit's next token, instead of leaving it to a rerun: the
    rows a provider refused for a moment go out with the rest of the send.
    """
    first = Delivery.objects.filter(message_id=message_id, batch=batch, state=S.QUEUED, not_before__gt=now) \
        .aggregate(first=Min("not_before"))["first"]
    return None if first is None else max(MIN_PACE_WAIT, (first - now).total_seconds())


def _send_claimed(message: Message, deliveries: list[Outgoing], transports: dict[str, Transport],
                  now: dt.datetime, result: BatchResult, cursor: CursorWrapper) -> None:
    """Hand each claimed delivery to its channel, in id order, and record the outcomes in groups.

    After a crash, a row still `sending` is checked before it is sent again: with the provider on channels
    that can say whether they took a message (`Transport.recoverable`), and on the others by its attempt row,
    written right after each hand-over (see DeliveryAttempt). A provider that
    answers with a configuration error (pauses) stops this run's sends through it, and its rows wait.
    """
    renders = RenderCache(message)
    handed = _handed_over(deliveries)
    pending: list[Sent] = []  # sent, not yet recorded
    throttled: set[str | None] = set()  # rate keys the provider answered 429 for in this run
    paused: set[str] = set()  # providers that answered with a configuration error in this run
    held_back: list[int] = []
    on_hold: list[Outgoing] = []
    for transport in transports.values():
        transport.open()
    in_flight = _SendAhead(deliveries, transports, renders, throttled, paused)
    stamp = _db(now)
    try:
        for delivery in deliveries:
            transport = transports[delivery.channel]
            ahead = in_flight.take(delivery.pk)
            if ahead is not None:  # already handed to the provider on a sending thread: take its answer
                rendered = ahead[0]
            elif paused and transport.provider_key() in paused:
                if transport.recoverable:
                    on_hold.append(delivery)
                else:  # given back now: a later row's mark must not pass over a row that is still `sending`
                    _hold([delivery], now)
                result.paused += 1
                continue
            elif throttled and transport.rate_key() in throttled:
                if transport.recoverable:
                    held_back.append(delivery.pk)
                else:  # given back now: a later row's mark must not pass over a row that is still `sending`
                    _release([delivery.pk], now)
                    result.deferred += 1
                continue
            else:
                try:
                    rendered = renders.get(delivery.content_language, delivery.channel, delivery.language)
                except (ValueError, TypeError, KeyError) as exc:  # a message that cannot be built stops only itself
                    _fail_unbuilt(delivery, f"the message could not be built: {exc}", now)
                    result.failed += 1
                    continue
            if ahead is None and delivery.state == S.SENDING:  # reclaimed (dead worker, ambiguous failure): ask first
                outcome = _check_reclaimed(delivery, transport, rendered, handed, now, result, paused)
                if outcome is None:
                    continue  # the check itself could not be made; the row stays `sending` for a later run
                if outcome:
                    pending.append((delivery.pk, outcome, transport.delivered_on_send, delivery.channel,
                                    delivery.pk in handed))
                    continue
                if delivery.attempts >= MAX_ATTEMPTS:
                    _fail_unbuilt(delivery, delivery.error or "no answer from the provider", now)
                    result.failed += 1
                    continue
            try:
                provider_id = ahead[1].result() if ahead is not None else transport.send(delivery, rendered)
            except TransportError as error:
                if error.fault == Fault.PROVIDER:
                    paused.add(transport.provider_key())
                    _pause(transport.provider_key(), error.message, now, result)
                    _attempt(delivery, Attempt.PAUSED, now, error)
                    _hold([delivery], now, error=error.message)
                    result.paused += 1
                elif error.throttled:
                    throttled.add(transport.rate_key())
                    result.deferred += 1
                    _record_error(delivery, error, now)
                elif _record_error(delivery, error, now):
                    result.failed += 1
                    if error.against_address:
                        fallback = delivery_failed_permanently(delivery_id=delivery.pk, reason=error.message)
                        result.follow_ups.extend(run_for(fallback))
                else:
                    result.retry += 1
                continue
            result.sent += 1
            result.channels[delivery.channel] += 1
            on_record = not transport.recoverable
            if on_record:
                _record_hand_over(cursor, delivery, provider_id, transport.delivered_on_send, stamp)
            pending.append((delivery.pk, provider_id, transport.delivered_on_send, delivery.channel, on_record))
            if len(pending) >= RECORD_GROUP:
                _record_sent(cursor, pending, stamp)
                pending = []
        if pending:
            _record_sent(cursor, pending, stamp)
            pending = []
        if held_back:
            _release(held_back, now)
            result.deferred += len(held_back)
        _hold(on_hold, now)
    finally:
        in_flight.close()
        for transport in transports.values():
            transport.close()
        if pending:
            # An error mid-batch: what the providers took is still recorded (a killed worker gets the
            # provider check on the re-run instead).
            try:
                _record_sent(cursor, pending, stamp)
            except Exception:
                logger.exception("could not record %d sent deliveries; the re-run will check them", len(pending))


class _SendAhead:
    """Sends of fresh rows on channels whose provider takes concurrent requests, started on a pool of threads.

    A provider's latency (150-300 ms for Twilio's API) would otherwise set a worker's pace to a few requests a
    second. MESSAGING_SEND_CONCURRENCY requests are kept in flight, counted from the answers, not from the
    rows recorded: while the batch's own thread hands emails over, the texts and calls further on keep
    going. Only the provider request runs on a thread (no database work), and the batch's thread records
    every result in id order, as for any other row. Nothing new is started once a provider answered with a
    configuration error or a sender with a 429 in this run. Rows taken over from a dead worker are checked
    with the provider first, so they are never sent ahead.
    """

    def __init__(self, deliveries: list[Outgoing], transports: dict[str, Transport], renders: RenderCache,
                 throttled: set[str | None], paused: set[str]) -> None:
        self.rows = [d for d in deliveries if d.state != S.SENDING and transports[d.channel].concurrent]
        self.transports, self.renders, self.throttled, self.paused = transports, renders, throttled, paused
        self.width = max(1, settings.MESSAGING_SEND_CONCURRENCY)
        self.next = 0
        self.started: dict[int, tuple[Rendered, Future[str]]] = {}
        self.in_flight = 0  # requests started and not answered yet
        self.lock = threading.Lock()
        self.pool = _sending_threads(os.getpid(), self.width) if self.rows else None

    def take(self, delivery_id: int) -> tuple[Rendered, Future[str]] | None:
        """Keep the requests in flight, then hand over this row's send if it was started ahead."""
        while self.pool is not None and self.next < len(self.rows) and self.in_flight < self.width:
            delivery = self.rows[self.next]
            self.next += 1
            transport = self.transports[delivery.channel]
            if transport.provider_key() in self.paused or transport.rate_key() in self.throttled:
                continue  # the batch's thread gives it back
            try:
                rendered = self.renders.get(delivery.content_language, delivery.channel, delivery.language)
            except (ValueError, TypeError, KeyError):
                continue  # failed in order by the batch's thread
            with self.lock:
                self.in_flight += 1
            future = self.pool.submit(transport.send, delivery, rendered)
            future.add_done_callback(functools.partial(self._answered, transport))
            self.started[delivery.pk] = (rendered, future)
        return self.started.pop(delivery_id, None)

    def _answered(self, transport: Transport, future: Future[str]) -> None:
        """On the sending thread, as each answer comes: a 429 or a configuration error stops new starts at
        once (the batch's thread records it, and pauses the provider, when it reaches that row)."""
        error = None if future.cancelled() else future.exception()
        if isinstance(error, TransportError) and error.throttled:
            self.throttled.add(transport.rate_key())
        elif isinstance(error, TransportError) and error.fault == Fault.PROVIDER:
            self.paused.add(transport.provider_key())
        with self.lock:
            self.in_flight -= 1

    def close(self) -> None:
        for _rendered, future in self.started.values():  # an error stopped the batch: start nothing more
            future.cancel()


@functools.lru_cache(maxsize=2)
def _sending_threads(pid: int, width: int) -> ThreadPoolExecutor:
    """The worker process's sending threads, kept from pass to pass (per process id: a forked worker starts
    its own)."""
    return ThreadPoolExecutor(max_workers=width, thread_name_prefix="send")


def _check_reclaimed(delivery: Outgoing, transport: Transport, rendered: Rendered, handed: dict[int, str],
                     now: dt.datetime, result: BatchResult, paused: set[str]) -> str | None:
    """For a row still `sending` when claimed: the provider's id if the message went out, "" if it did not,
    None when the provider could not be asked (the row is left to a later run, unsent)."""
    if not transport.recoverable:  # its attempt row says whether it went out
        return (handed[delivery.pk] or delivery.idempotency_key) if delivery.pk in handed else ""
    try:
        return transport.already_sent(delivery, rendered) or ""
    except TransportError as error:
        if error.fault == Fault.PROVIDER:
            paused.add(transport.provider_key())
            _pause(transport.provider_key(), error.message, now, result)
            _hold([delivery], now, error=error.message)
            result.paused += 1
        else:
            _recheck_later(delivery.pk, now, error=error.message)
            result.retry += 1
        return None


def _pause(provider: str, error: str, now: dt.datetime, result: BatchResult) -> None:
    """Pause a provider set up wrong; the worker that started the pause has it probed later."""
    if provider_pause(provider=provider, error=error, now=now):
        due = now + dt.timedelta(seconds=settings.MESSAGING_PROVIDER_PROBE_SECONDS)
        result.follow_ups.append(ProbeProvider(provider, due))


def _rerun(message_id: int, batch: int, now: dt.datetime, *, soon: bool = False) -> RunBatch:
    """This batch again, for what it still owes: at once after stepping aside (`soon`), else when its first
    held row is due, or in a few seconds."""
    if soon:
        return RunBatch(message_id, batch)
    due = Delivery.objects.filter(message_id=message_id, batch=batch, state=S.QUEUED, not_before__gt=now)
    first = due.order_by("not_before").values_list("not_before", flat=True).first()
    run_after = first if first and not Delivery.objects.filter(
        message_id=message_id, batch=batch, state=S.QUEUED, not_before__lte=now
    ).exists() else now + dt.timedelta(seconds=5)
    return RunBatch(message_id, batch, run_after)


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
