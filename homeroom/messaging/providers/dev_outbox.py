"""The embedded default provider: what would have been sent goes to core.OutboxEntry, shown on the outbox page.

In development the outbox is the last hop: nothing goes further, so nothing else would ever confirm a text or an
email. With MESSAGING_DEV_OUTBOX_REPORTS_DELIVERY (on with debug, off in tests), it reports each text and email
of a delivery as delivered, the way a provider's status webhook does: the delivery is found by its key and moved
through engine.outcomes.delivery_transition, like a Twilio or anymail callback, so "reached" keeps meaning
"a channel confirmed it" (messaging.reached) and the demo's reach page and reports show what was sent. A call is
never reported: "answered by a person" is something no table can say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from homeroom.core import outbox
from homeroom.core.models import OutboxEntry
from homeroom.messaging.engine import outcomes as status
from homeroom.messaging.models import DeliveryState


def report_delivered(*, key: str, provider_id: str) -> bool:
    """The dev outbox's status callback for what it took for delivery `key`: delivered, as a provider's webhook
    says it (the same lookup and transition as messaging.webhooks). False when off, or nothing moved."""
    if not key or not settings.MESSAGING_DEV_OUTBOX_REPORTS_DELIVERY:
        return False
    delivery = status.delivery_find(key=key, provider_id=provider_id)
    if delivery is None:
        return False
    return status.delivery_transition(delivery_id=delivery.pk, state=DeliveryState.DELIVERED, provider_id=provider_id)


class DevOutboxPhone:
    """SMS and calls written to the outbox instead of a carrier."""

    name = "dev_outbox"
    concurrent = False  # it writes rows through the worker's own database connection

    def rate_key(self, kind: str = "sms") -> str:
        return "dev-outbox" if kind == "sms" else f"dev-outbox:{kind}"

    def send_sms(self, to: str, body: str, *, key: str = "") -> str:
        [entry] = outbox.store([OutboxEntry(channel="sms", to=to, body=body, meta={"delivery": key} if key else {})])
        report_delivered(key=key, provider_id=f"outbox-{entry.pk}")
        return f"outbox-{entry.pk}"

    def send_sign_in_sms(self, to: str, body: str) -> str:
        """A sign-in code: marked, so the outbox page shows it to nobody but its owner."""
        [entry] = outbox.store([OutboxEntry(channel="sms", to=to, body=body, meta={"kind": outbox.SIGN_IN})])
        return f"outbox-{entry.pk}"

    def send_call(self, to: str, twiml: str, *, key: str = "") -> str:
        [entry] = outbox.store([OutboxEntry(channel="voice", to=to, body=twiml, meta={"delivery": key} if key else {})])
        return f"outbox-{entry.pk}"

    def probe(self) -> None:
        """The outbox is a table: it always takes a message."""

    def sent_ids(self, *, kind: str, key: str, to: str, since: dt.datetime, body: str = "") -> list[str]:
        ids = OutboxEntry.objects.filter(channel=kind, meta__delivery=key).values_list("pk", flat=True)
        return [f"outbox-{pk}" for pk in ids]


class DevOutboxEmailBackend(BaseEmailBackend):
    """Like core's outbox backend, but remembers which delivery each email was for."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        entries = [
            OutboxEntry(
                channel="email",
                to=", ".join(m.to),
                subject=str(m.subject),
                body=str(m.body),
                meta={"delivery": m.extra_headers.get("X-Homeroom-Delivery", "")}
                | ({"kind": outbox.SIGN_IN} if m.extra_headers.get(outbox.SIGN_IN_HEADER) else {}),
            )
            for m in email_messages
        ]
        stored = outbox.store(entries)
        for message, entry in zip(email_messages, stored, strict=True):
            # The provider's id the email channel records for it (channels.email.message_id_for).
            report_delivered(key=entry.meta.get("delivery", ""), provider_id=str(message.extra_headers.get(
                "Message-ID", "")))
        return len(stored)
