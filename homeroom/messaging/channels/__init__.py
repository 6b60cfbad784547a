"""Channels: email, SMS, voice and the portal inbox behind one Transport interface."""

from __future__ import annotations

from homeroom.messaging.channels.base import Transport, TransportError

__all__ = ["Transport", "TransportError", "transport_for"]


def transport_for(channel: str) -> Transport:
    from homeroom.messaging.channels.email import EmailTransport
    from homeroom.messaging.channels.portal import PortalTransport
    from homeroom.messaging.channels.sms import SmsTransport
    from homeroom.messaging.channels.voice import VoiceTransport

    classes: dict[str, type[Transport]] = {
        "email": EmailTransport,
        "sms": SmsTransport,
        "voice": VoiceTransport,
        "portal": PortalTransport,
    }
    return classes[channel]()
