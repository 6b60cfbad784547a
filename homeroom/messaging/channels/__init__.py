"""Channels: email, SMS, voice and the portal inbox behind one Transport interface (see registry)."""

from __future__ import annotations

from homeroom.messaging.channels.base import Transport, TransportError

__all__ = ["Transport", "TransportError"]
