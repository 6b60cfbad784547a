"""A token bucket per sending number in the database, so every worker process shares one limit."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from homeroom.messaging.models import RateBucket


def rate_take(*, key: str, wanted: int, rate_per_second: float, burst: float, now: dt.datetime | None = None) -> int:
    """Take up to `wanted` tokens; returns how many were granted (0 … wanted)."""
    if wanted <= 0:
        return 0
    if rate_per_second <= 0:
        return wanted  # no limit configured
    now = now or timezone.now()
    with transaction.atomic():
        bucket, _created = RateBucket.objects.select_for_update().get_or_create(
            key=key, defaults={"tokens": burst, "updated_at": now}
        )
        elapsed = max(0.0, (now - bucket.updated_at).total_seconds())
        tokens = min(burst, bucket.tokens + elapsed * rate_per_second)
        granted = min(wanted, int(tokens))
        bucket.tokens = tokens - granted
        # Never back: a worker whose `now` is older (taken before another worker's, or a skewed clock) would
        # otherwise rewind the bucket, and the next taker would be credited the same seconds twice.
        bucket.updated_at = max(bucket.updated_at, now)
        bucket.save(update_fields=["tokens", "updated_at"])
    return granted


def rate_wait_seconds(*, key: str, rate_per_second: float, tokens: float = 1.0,
                      now: dt.datetime | None = None) -> float:
    """Seconds from `now` until `tokens` tokens are in the bucket (for scheduling the rest of a batch), counting
    what it has earned since it was last taken from: a pass that took a while has already earned part of it."""
    bucket = RateBucket.objects.filter(key=key).first()
    if bucket is None or rate_per_second <= 0:
        return 0.0
    earned = max(0.0, ((now or timezone.now()) - bucket.updated_at).total_seconds()) * rate_per_second
    return max(0.0, (tokens - bucket.tokens - earned) / rate_per_second)
