"""Background work: plan a scheduled message, send one batch of deliveries. Arguments are ids."""

from __future__ import annotations

from django_tasks import task


@task()
def message_dispatch_task(message_id: int) -> int:
    from homeroom.messaging.services import message_dispatch

    return message_dispatch(message_id=message_id)


@task()
def deliver_batch_task(message_id: int, batch: int) -> dict[str, int]:
    from homeroom.messaging.dispatch import deliver_batch

    result = deliver_batch(message_id, batch)
    return {"sent": result.sent, "failed": result.failed, "deferred": result.deferred, "retry": result.retry}
