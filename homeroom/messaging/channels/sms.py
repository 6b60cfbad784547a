"""Text messages through the configured SMS provider (Twilio, or the dev outbox when Twilio is not set up)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeroom.messaging.channels.base import Transport
from homeroom.messaging.providers import phone_provider

if TYPE_CHECKING:
    from homeroom.messaging.models import Delivery
    from homeroom.messaging.rendering import Rendered


class SmsTransport(Transport):
    channel = "sms"

    def __init__(self) -> None:
        self.provider = phone_provider()

    def rate_key(self) -> str | None:
        return self.provider.rate_key()

    def send(self, delivery: Delivery, rendered: Rendered) -> str:
        return self.provider.send_sms(delivery.address, rendered.text, key=delivery.idempotency_key)

    def already_sent(self, delivery: Delivery) -> bool:
        return self.provider.already_sent(delivery.idempotency_key)
