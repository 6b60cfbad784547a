"""Which Transport carries each channel."""

from __future__ import annotations

from homeroom.messaging.channels.base import Transport
from homeroom.messaging.channels.email import EmailTransport
from homeroom.messaging.channels.portal import PortalTransport
from homeroom.messaging.channels.sms import SmsTransport
from homeroom.messaging.channels.voice import VoiceTransport

TRANSPORTS: dict[str, type[Transport]] = {
    "email": EmailTransport,
    "sms": SmsTransport,
    "voice": VoiceTransport,
    "portal": PortalTransport,
}


def transport_for(channel: str) -> Transport:
    return TRANSPORTS[channel]()
