"""Background tasks that belong to no single app."""

from __future__ import annotations

from django_tasks import task


@task()
def worker_ping(token: str) -> str:
    """Answer through the result backend; operations use it to prove a worker is consuming the queue."""
    return f"pong:{token}"
