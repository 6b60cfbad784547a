"""Probing a paused provider (see pauses): once it takes our account again, the send resumes by itself."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from homeroom.messaging.channels import Transport, TransportError
from homeroom.messaging.channels.base import Fault
from homeroom.messaging.channels.registry import transport_for
from homeroom.messaging.engine.dispatch import owed_batches
from homeroom.messaging.engine.followups import RunBatch
from homeroom.messaging.engine.pauses import channels_of
from homeroom.messaging.models import ProviderPause

logger = logging.getLogger(__name__)


def _transport_of(provider: str) -> Transport | None:
    channels = channels_of(provider)
    return transport_for(channels[0]) if channels else None


def provider_probe(*, provider: str, now: dt.datetime | None = None) -> list[RunBatch] | None:
    """Ask a paused provider whether it works again; if so, resume it and return the batches that waited for it
    (the caller queues them). None while it still fails."""
    now = now or timezone.now()
    if not ProviderPause.objects.filter(provider=provider).exclude(paused_at=None).exists():
        return []
    transport = _transport_of(provider)
    if transport is not None:
        try:
            transport.probe()
        except TransportError as exc:
            ProviderPause.objects.filter(provider=provider).update(
                probed_at=now, **({"error": exc.message[:255]} if exc.fault == Fault.PROVIDER else {})
            )
            return None
    with transaction.atomic():
        resumed = ProviderPause.objects.filter(provider=provider).exclude(paused_at=None).update(
            paused_at=None, resumed_at=now, probed_at=now
        )
        if not resumed:
            return []
    logger.warning("provider %s resumed", provider)
    return [RunBatch(message_id, batch, due) for message_id, batch, due in owed_batches(channels_of(provider), now=now)]


def providers_due_for_probe(*, now: dt.datetime | None = None) -> list[str]:
    """Paused providers not probed within the probe interval (the sweep probes them)."""
    now = now or timezone.now()
    since = now - dt.timedelta(seconds=settings.MESSAGING_PROVIDER_PROBE_SECONDS)
    due = ProviderPause.objects.exclude(paused_at=None).filter(Q(probed_at=None) | Q(probed_at__lte=since))
    return list(due.values_list("provider", flat=True))
