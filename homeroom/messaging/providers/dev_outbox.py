"""The embedded default provider: what would have been sent goes to core.OutboxEntry, shown on the outbox page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from homeroom.core import outbox
from homeroom.core.models import OutboxEntry


class DevOutboxPhone:
    """SMS and calls written to the outbox instead of a carrier."""

    name = "dev_outbox"
    concurrent = False  # it writes rows through the worker's own database connection

    def rate_key(self, kind: str = "sms") -> str:
        return "dev-outbox" if kind == "sms" else f"dev-outbox:{kind}"

    def send_sms(self, to: str, body: str, *, key: str = "") -> str:
        [entry] = outbox.store([OutboxEntry(channel="sms", to=to, body=body, meta={"delivery": key} if key else {})])
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
        return len(outbox.store(entries))
