"""Background work: the incremental refresh of the reach summary (every few minutes, and when a page finds it
stale)."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from homeroom.reach import refresh

STALE_AFTER = dt.timedelta(minutes=10)
QUEUED_KEY = "reach:refresh-queued"


@task()
def refresh_reach(full: bool = False) -> int:
    try:
        return refresh.refresh(full=full).families
    finally:
        cache.delete(QUEUED_KEY)


def refresh_if_stale(now: dt.datetime | None = None) -> dt.datetime | None:
    """Queue a refresh when the summary is older than STALE_AFTER (once, however many pages ask); returns the time
    the figures are from."""
    at = refresh.refreshed_at()
    stale = at is None or at < (now or timezone.now()) - STALE_AFTER
    if stale and cache.add(QUEUED_KEY, 1, timeout=int(STALE_AFTER.total_seconds())):
        refresh_reach.enqueue()
        at = refresh.refreshed_at()
    return at
