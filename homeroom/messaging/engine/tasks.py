"""The one module that queues work: the task functions, and the follow-ups the engine hands back.

Planning (persist), dispatch, outcomes and probes never queue anything: they return follow-ups (a batch to run
now or later, a provider to probe) and this module enqueues them once the transaction commits. Everything
that wants something sent (services, answers, webhooks, the sweep) comes here; nothing here imports them.

Priority lanes: a batch of an urgent-category message is enqueued at the highest task priority (the front
of the queue on RQ, first in the database backend's order), so it runs ahead of the news batches already
waiting. Its rows also take the rate limit's tokens first (see dispatch).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import DEFAULT_TASK_PRIORITY, TASK_MAX_PRIORITY

from homeroom.messaging import policy
from homeroom.messaging.engine.dispatch import BatchResult, batches_due, deliver_batch
from homeroom.messaging.engine.followups import FollowUp, ProbeProvider, RunBatch
from homeroom.messaging.engine.persist import message_persist
from homeroom.messaging.engine.probes import provider_probe, providers_due_for_probe
from homeroom.messaging.models import Message


@task()
def message_dispatch_task(message_id: int) -> int:
    return len(message_dispatch(message_id=message_id))


@task()
def deliver_batch_task(message_id: int, batch: int) -> dict[str, int]:
    result = batch_run(message_id, batch)
    return {"sent": result.sent, "failed": result.failed, "deferred": result.deferred, "retry": result.retry}


@task()
def provider_probe_task(provider: str) -> bool:
    """Probe a paused provider; while it still fails, probe again a little later (backends that can defer)."""
    now = timezone.now()
    follow_ups = provider_probe(provider=provider, now=now)
    if follow_ups is None:
        queue([ProbeProvider(provider, now + dt.timedelta(seconds=settings.MESSAGING_PROVIDER_PROBE_SECONDS))])
        return False
    queue(follow_ups, now=now)
    return True


def message_dispatch(*, message_id: int, now: dt.datetime | None = None) -> list[RunBatch]:
    """Plan and persist a message's deliveries, and queue its batches once that commits."""
    with transaction.atomic():
        batches = message_persist(message_id=message_id, now=now)
        queue(batches, now=now)
    return batches


def batch_run(message_id: int, batch: int, *, now: dt.datetime | None = None) -> BatchResult:
    """Send one batch (dispatch), then queue what it handed back: fallbacks, call retries, reruns, probes."""
    result = deliver_batch(message_id, batch, now=now)
    queue(result.follow_ups, now=now)
    return result


def queue_dispatch(message_id: int, *, due: dt.datetime) -> None:
    """A scheduled message: dispatched at `due` by backends that can defer, else by the sweep once due."""
    if message_dispatch_task.get_backend().supports_defer:
        transaction.on_commit(
            lambda: message_dispatch_task.using(run_after=due).enqueue(message_id)  # type: ignore[arg-type]
        )


def lane_priority(category: str) -> int:
    return TASK_MAX_PRIORITY if category in policy.URGENT_LANE else DEFAULT_TASK_PRIORITY


def queue(follow_ups: Iterable[FollowUp], *, now: dt.datetime | None = None) -> None:
    """Enqueue each follow-up once the current transaction commits (at once outside one).

    A batch that is due runs now; a later one runs at its time on backends that can defer, and otherwise when
    `homeroom messages-sweep` finds it due. Each enqueue is its own call: a backend that runs tasks on the spot
    runs each batch with its claims committed as it goes.
    """
    follow_ups = list(follow_ups)
    if not follow_ups:
        return
    now = now or timezone.now()
    runs = [f for f in follow_ups if isinstance(f, RunBatch)]
    categories = dict(
        Message.objects.filter(pk__in={r.message_id for r in runs}).values_list("pk", "category")
    ) if runs else {}
    backend = deliver_batch_task.get_backend()
    for follow_up in follow_ups:
        if isinstance(follow_up, ProbeProvider):
            if provider_probe_task.get_backend().supports_defer:
                transaction.on_commit(
                    lambda p=follow_up: provider_probe_task.using(run_after=p.due).enqueue(p.provider)  # type: ignore[arg-type, misc]
                )
            continue
        priority = lane_priority(categories.get(follow_up.message_id, ""))
        due = follow_up.due if follow_up.due is not None and follow_up.due > now else None
        if due is None:
            transaction.on_commit(
                lambda r=follow_up, p=priority: deliver_batch_task.using(priority=p).enqueue(r.message_id, r.batch)  # type: ignore[misc]
            )
        elif backend.supports_defer:
            transaction.on_commit(
                lambda r=follow_up, p=priority, d=due: deliver_batch_task.using(  # type: ignore[misc]
                    priority=p, run_after=d).enqueue(r.message_id, r.batch)
            )


def messages_sweep(*, now: dt.datetime | None = None) -> int:
    """Dispatch due scheduled messages and re-queue batches left owing (crash, rate limit, quiet hours); probe
    paused providers, which queue what waited for them once they work again."""
    now = now or timezone.now()
    count = 0
    for provider in providers_due_for_probe(now=now):
        follow_ups = provider_probe(provider=provider, now=now)
        if follow_ups is not None:
            queue(follow_ups, now=now)
            count += 1
    for message_id in Message.objects.filter(status=Message.Status.SCHEDULED, scheduled_for__lte=now).values_list(
        "pk", flat=True
    ):
        message_dispatch(message_id=message_id, now=now)
        count += 1
    due = [RunBatch(message_id, batch) for message_id, batch in batches_due(now=now)]
    queue(due, now=now)
    return count + len(due)
