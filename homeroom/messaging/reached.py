"""What "reached" means for a school message, in one place: the message report, the contact ledger (contacts) and
the monthly log all count a family member as reached only when a channel confirmed it.

A text or email is reached when the provider says it was delivered (or read); a call when it was answered
(Twilio's "completed"); a portal message when the family opened it. Sent without news since, failed, bounced or
skipped is not reached; planned, queued or sending is still going out.
"""

from __future__ import annotations

from django.db.models import Q

from homeroom.messaging.models import DeliveryState as S

REACHED_STATES: dict[str, frozenset[str]] = {
    "sms": frozenset({S.DELIVERED.value, S.READ.value}),
    "email": frozenset({S.DELIVERED.value, S.READ.value}),
    "voice": frozenset({S.DELIVERED.value}),
    "portal": frozenset({S.READ.value}),
}
WAITING_STATES = frozenset({S.PLANNED.value, S.QUEUED.value, S.SENDING.value})


def reached_condition(prefix: str = "") -> Q:
    """A Q over Delivery (or a relation to it through `prefix`) for the deliveries that reached the family."""
    condition = Q(pk__in=[])
    for channel, states in REACHED_STATES.items():
        condition |= Q(**{f"{prefix}channel": channel, f"{prefix}state__in": sorted(states)})
    return condition


def waiting_condition(prefix: str = "") -> Q:
    return Q(**{f"{prefix}state__in": sorted(WAITING_STATES)})
