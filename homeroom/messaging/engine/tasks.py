"""Background work: plan a scheduled message, send one batch of deliveries, probe a paused provider. Arguments
are ids and names."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task


@task()
def message_dispatch_task(message_id: int) -> int:
    from homeroom.messaging.services import message_dispatch

    return message_dispatch(message_id=message_id)


@task()
def deliver_batch_task(message_id: int, batch: int) -> dict[str, int]:
    from homeroom.messaging.engine.dispatch import deliver_batch

    result = deliver_batch(message_id, batch)
    return {"sent": result.sent, "failed": result.failed, "deferred": result.deferred, "retry": result.retry}


@task()
def provider_probe_task(provider: str) -> bool:
    """Probe a paused provider; while it still fails, probe again a little later (backends that can defer)."""
    from homeroom.messaging.engine.probes import provider_probe

    if provider_probe(provider=provider):
        return True
    if provider_probe_task.get_backend().supports_defer:
        due = timezone.now() + dt.timedelta(seconds=settings.MESSAGING_PROVIDER_PROBE_SECONDS)
        provider_probe_task.using(run_after=due).enqueue(provider)  # type: ignore[arg-type]
    return False
