"""What providers tell us after sending: delivered, failed, bounced, read; bad channels, suppressions, fallback."""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from homeroom.messaging import policy, signals
from homeroom.messaging.engine.fallback import fallback_channel
from homeroom.messaging.engine.followups import RunBatch
from homeroom.messaging.models import Delivery, DeliveryState, Message, Suppression
from homeroom.roster import reachability

logger = logging.getLogger(__name__)
S = DeliveryState
FALLBACK_BATCH = 1_000_000  # fallback deliveries and call retries are sent as a batch of their own
RETRY_SUFFIX = re.compile(r"-retry(\d+)$")
# Each outcome is reached once, and only from the states that can precede it.
ALLOWED_FROM: dict[str, list[str]] = {
    S.DELIVERED: [S.SENDING, S.SENT],
    S.FAILED: [S.SENDING, S.SENT],
    S.BOUNCED: [S.SENDING, S.SENT, S.DELIVERED],
    S.READ: [S.SENDING, S.SENT, S.DELIVERED],
}


def delivery_find(*, key: str = "", provider_id: str = "") -> Delivery | None:
    if key:
        return Delivery.objects.filter(idempotency_key=key).first()
    if provider_id:
        return Delivery.objects.filter(provider_id=provider_id).first()
    return None


def delivery_transition(*, delivery_id: int, state: str, error: str = "", provider_id: str = "") -> bool:
    """Move a delivery to an outcome if it has not reached it yet; False when it was already there.

    A provider can report an outcome before the sender has recorded the send (it records in groups, after
    the provider answered): the row is then still `sending`, and the sender's record, which only touches
    `sending` rows, will not come. So the report records the send too: the provider's id, when, one attempt.
    """
    now = timezone.now()
    changes: dict[str, object] = {"state": state}
    if state == S.READ:
        changes["read_at"] = now
    else:
        changes["finished_at"] = now
    if error:
        changes["error"] = error[:255]
    rows = Delivery.objects.filter(pk=delivery_id)
    if provider_id and S.SENDING in ALLOWED_FROM[state]:
        unrecorded = {"provider_id": provider_id[:120], "sent_at": now, "attempts": F("attempts") + 1}
        if rows.filter(state=S.SENDING).update(**changes, **unrecorded) == 1:
            _reached(delivery_id, state)
            return True
    moved = rows.filter(state__in=ALLOWED_FROM[state]).update(**changes) == 1
    if moved:
        _reached(delivery_id, state)
    return moved


def _reached(delivery_id: int, state: str) -> None:
    if state in (S.DELIVERED, S.READ):
        signals.send_deliveries_reached([delivery_id])


def _mark_channel_bad(delivery: Delivery) -> None:
    # The mark names the address that failed: a number corrected since then is not touched.
    reachability.mark_bad(guardian_ids=[delivery.guardian_id], channel=delivery.channel, address=delivery.address)


@transaction.atomic
def delivery_failed_permanently(*, delivery_id: int, reason: str = "") -> Delivery | None:
    """Mark the channel bad and queue the district's fallback channel; returns the fallback delivery, if any."""
    delivery = Delivery.objects.select_related("message").get(pk=delivery_id)
    _mark_channel_bad(delivery)
    if delivery.channel == "email" and delivery.address:
        Suppression.objects.get_or_create(address=delivery.address, defaults={"reason": "bounce", "detail": reason})
    return _fallback(delivery)


def _fallback(delivery: Delivery) -> Delivery | None:
    message: Message = delivery.message
    next_channel = fallback_channel(district_id=message.district_id, channel=delivery.channel)
    if not next_channel:
        return None
    rule = policy.CATEGORY_RULES[message.category]
    reach = reachability.can_reach(guardian_id=delivery.guardian_id, channel=next_channel,
                                   category=message.category, rule=rule.consent)
    if not reach.ok:
        return None
    address = reach.address
    key = f"m{message.pk}-g{delivery.guardian_id}-{next_channel}"
    if Delivery.objects.filter(idempotency_key=key).exists():
        return None  # already reached (or tried) on that channel
    return _add_follow_up(delivery, channel=next_channel, address=address, key=key, due=delivery.not_before)


def _add_follow_up(delivery: Delivery, *, channel: str, address: str, key: str, due: dt.datetime | None) -> Delivery:
    """A new delivery after `delivery` (its fallback or its retry), queued in the fallback batch; the caller has
    that batch run when due (`run_for`)."""
    follow_up = Delivery.objects.create(
        message_id=delivery.message_id,
        guardian_id=delivery.guardian_id,
        channel=channel,
        address=address,
        language=delivery.language,
        content_language=delivery.content_language,
        student_ids=delivery.student_ids,
        idempotency_key=key,
        state=S.QUEUED,
        batch=FALLBACK_BATCH,
        fallback_of=delivery,
        not_before=due,
    )
    Message.objects.filter(pk=delivery.message_id, status=Message.Status.SENT).update(status=Message.Status.SENDING)
    return follow_up


def run_for(follow_up: Delivery | None) -> list[RunBatch]:
    """The batch run a new fallback or retry delivery needs (nothing for None)."""
    if follow_up is None:
        return []
    return [RunBatch(follow_up.message_id, follow_up.batch, follow_up.not_before)]


@transaction.atomic
def call_retry(*, delivery_id: int, now: dt.datetime | None = None) -> Delivery | None:
    """A call that met a busy line or no answer is queued again for later, up to MESSAGING_CALL_RETRIES times.

    Nothing says the number is wrong, so it is not marked bad and nothing falls back; the family is simply
    called again, MESSAGING_CALL_RETRY_MINUTES later (and, for categories that keep quiet hours, not within
    them). The retry is a delivery of its own (`<key>-retry<n>`, `fallback_of` the call it repeats), so each
    attempt keeps its outcome on the report and the family's timeline, and a repeated callback adds none.
    """
    now = now or timezone.now()
    delivery = Delivery.objects.select_related("message__district").get(pk=delivery_id)
    if delivery.channel != "voice":
        return None
    match = RETRY_SUFFIX.search(delivery.idempotency_key)
    tried = int(match.group(1)) if match else 0
    if tried >= settings.MESSAGING_CALL_RETRIES:
        return None
    base = delivery.idempotency_key[: match.start()] if match else delivery.idempotency_key
    key = f"{base}-retry{tried + 1}"
    message: Message = delivery.message
    rule = policy.CATEGORY_RULES[message.category]
    if Delivery.objects.filter(idempotency_key=key).exists():
        return None
    reach = reachability.can_reach(guardian_id=delivery.guardian_id, channel="voice", category=message.category,
                                   rule=rule.consent)
    address = reach.address
    if not reach.ok or address != delivery.address:
        return None  # opted out, marked bad or changed since: this number is not called again
    due = now + dt.timedelta(minutes=settings.MESSAGING_CALL_RETRY_MINUTES)
    district = message.district
    if rule.quiet_hours:
        due = policy.quiet_until(due, time_zone=district.time_zone, start=district.quiet_hours_start,
                                 end=district.quiet_hours_end) or due
    return _add_follow_up(delivery, channel="voice", address=address, key=key, due=due)


def suppression_add(*, address: str, reason: str, detail: str = "") -> None:
    address = address.strip().lower()
    if address:
        Suppression.objects.update_or_create(address=address, defaults={"reason": reason, "detail": detail[:255]})
