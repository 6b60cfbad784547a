"""Development email backend: keeps every email in the outbox table instead of sending it."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from homeroom.core import outbox
from homeroom.core.models import OutboxEntry


class DevOutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        entries = [
            OutboxEntry(channel="email", to=", ".join(m.to), subject=str(m.subject), body=str(m.body),
                        meta={"kind": outbox.SIGN_IN} if m.extra_headers.get(outbox.SIGN_IN_HEADER) else {})
            for m in email_messages
        ]
        return len(outbox.store(entries))
