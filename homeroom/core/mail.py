"""Development email backend: keeps every email in the outbox table instead of sending it."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from homeroom.core.models import OutboxEntry


class DevOutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        entries = [
            OutboxEntry(channel="email", to=", ".join(m.to), subject=str(m.subject), body=str(m.body))
            for m in email_messages
        ]
        OutboxEntry.objects.bulk_create(entries)
        return len(entries)
