"""Phone calls that read the message aloud (TwiML `<Say>` with a voice for the message's language)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from homeroom.messaging.channels.base import Outgoing, Transport, first_unrecorded
from homeroom.messaging.providers import phone_provider

if TYPE_CHECKING:
    from homeroom.messaging.rendering import Rendered


class VoiceTransport(Transport):
    channel = "voice"

    def __init__(self) -> None:
        self.provider = phone_provider()

    def rate_key(self) -> str | None:
        return self.provider.rate_key("voice")

    def rate(self) -> tuple[float, float]:
        return settings.MESSAGING_CALLS_PER_SECOND, settings.MESSAGING_CALLS_BURST

    def provider_key(self) -> str:
        return self.provider.name

    def probe(self) -> None:
        self.provider.probe()

    def send(self, delivery: Outgoing, rendered: Rendered) -> str:
        return self.provider.send_call(delivery.address, rendered.twiml, key=delivery.idempotency_key)

    @property
    def concurrent(self) -> bool:
        return self.provider.concurrent

    @property
    def recoverable(self) -> bool:
        return True

    def already_sent(self, delivery: Outgoing, rendered: Rendered) -> str | None:
        ids = self.provider.sent_ids(kind="voice", key=delivery.idempotency_key, to=delivery.address,
                                     since=delivery.created_at)
        return first_unrecorded(ids)
