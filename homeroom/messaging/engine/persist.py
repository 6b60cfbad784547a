"""Plan + persist: a message's deliveries are planned and written in bulk, in one transaction with the message.

Writing is all this module does: it returns the batches to run, and `engine.tasks` queues them once the
transaction commits (on-commit queuing), so no worker can look for rows before they are there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from homeroom.languages.access import ensure_machine_contents
from homeroom.messaging.engine.dispatch import message_finish_if_done
from homeroom.messaging.engine.followups import RunBatch
from homeroom.messaging.engine.planning import Row, plan_message
from homeroom.messaging.models import Delivery, DeliveryState, Message


@transaction.atomic
def message_persist(*, message_id: int, now: dt.datetime | None = None) -> list[RunBatch]:
    """Plan and persist every delivery in bulk; returns one RunBatch per batch for the caller to queue once
    this commits. Safe to call twice.

    The message row is locked and `planned_at` set in the same transaction as the rows, so a second call
    (a retried task, the sweep) finds it planned and writes nothing.
    """
    now = now or timezone.now()
    message = Message.objects.select_for_update().select_related("district").get(pk=message_id)
    if message.planned_at is not None or message.status == Message.Status.CANCELLED:
        return []
    if message.scheduled_for is not None:  # families who joined since it was scheduled
        ensure_machine_contents(message, user=message.created_by)
    # Sendable rows are written as queued directly: the batch tasks only run after this commits.
    plan = plan_message(
        message,
        user=message.created_by,
        now=now,
        batch_size=settings.MESSAGING_BATCH_SIZE,
        sendable_state=DeliveryState.QUEUED,
    )
    insert_deliveries(message.pk, plan.rows, now=now)
    message.planned_at = now
    message.status = Message.Status.SENDING
    message.save(update_fields=["planned_at", "status"])
    message_finish_if_done(message.pk)
    return [RunBatch(message.pk, batch) for batch in range(plan.batches)]


# A planned row (planning.Row) holds these columns, in this order; the rest are the same for every row.
PLANNED_COLUMNS = ("guardian_id", "channel", "address", "language", "content_language", "student_ids", "state",
                   "reason", "idempotency_key", "batch", "not_before")
INSERT_COLUMNS = ("message_id", *PLANNED_COLUMNS, "provider_id", "error", "attempts", "created_at")
_NOT_BEFORE = PLANNED_COLUMNS.index("not_before")


def insert_deliveries(message_id: int, rows: list[Row], *, now: dt.datetime) -> None:
    """Write planned rows in bulk: COPY on PostgreSQL, one executemany elsewhere (no model instances).

    A re-run inserts nothing twice: the idempotency key is unique and conflicting rows are skipped.
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        copy_deliveries(message_id, rows, now=now)
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


def copy_deliveries(message_id: int, rows: list[Row], *, now: dt.datetime) -> None:
    """COPY into a transaction-scoped staging table, then one INSERT … SELECT that skips existing keys."""
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
