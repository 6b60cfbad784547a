"""Text messages through the configured SMS provider (Twilio, or the dev outbox when Twilio is not set up)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from homeroom.messaging.channels.base import Outgoing, Transport, first_unrecorded
from homeroom.messaging.providers import phone_provider

if TYPE_CHECKING:
    from homeroom.messaging.rendering import Rendered


class SmsTransport(Transport):
    channel = "sms"

    def __init__(self) -> None:
        self.provider = phone_provider()

    def rate_key(self) -> str | None:
        return self.provider.rate_key("sms")

    def rate(self) -> tuple[float, float]:
        return settings.MESSAGING_PHONE_RATE_PER_SECOND, settings.MESSAGING_PHONE_RATE_BURST

    def provider_key(self) -> str:
        return self.provider.name

    def probe(self) -> None:
        self.provider.probe()

    def send(self, delivery: Outgoing, rendered: Rendered) -> str:
        return self.provider.send_sms(delivery.address, rendered.text, key=delivery.idempotency_key)

    @property
    def concurrent(self) -> bool:
        return self.provider.concurrent

    @property
    def recoverable(self) -> bool:
        return True

    def already_sent(self, delivery: Outgoing, rendered: Rendered) -> str | None:
        ids = self.provider.sent_ids(kind="sms", key=delivery.idempotency_key, to=delivery.address,
                                     since=delivery.created_at, body=rendered.text)
        return first_unrecorded(ids)
