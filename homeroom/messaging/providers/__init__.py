"""Providers behind the channels, chosen by settings: Twilio when configured, else the dev outbox."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.conf import settings

from homeroom.messaging.providers import twilio
from homeroom.messaging.providers.dev_outbox import DevOutboxPhone


class PhoneProvider(Protocol):
    name: str
    concurrent: bool  # whether several threads may send at once (an HTTP API, not a database table)

    def rate_key(self, kind: str = "sms") -> str:
        """The sender whose ceiling applies to texts (kind "sms") or calls ("voice")."""
        ...

    def send_sms(self, to: str, body: str, *, key: str = "") -> str: ...

    def send_call(self, to: str, twiml: str, *, key: str = "") -> str: ...

    def probe(self) -> None:
        """Raises channels.TransportError unless the provider would take a message now (credentials, account)."""
        ...

    def sent_ids(self, *, kind: str, key: str, to: str, since: dt.datetime, body: str = "") -> list[str]:
        """After a crash: the provider's ids of what it took for this delivery (kind "sms" or "voice")."""
        ...


def phone_provider() -> PhoneProvider:
    choice = settings.MESSAGING_PHONE_PROVIDER
    if choice == "twilio" or (choice == "auto" and twilio.is_configured()):
        return twilio.TwilioPhone()
    return DevOutboxPhone()


def phone_provider_name() -> str:
    return phone_provider().name


def send_transactional_sms(to: str, body: str) -> str:
    """One text outside any message (e.g. a sign-in code): same provider, no consent rules, no delivery row.

    Raises channels.TransportError when the provider refuses it.
    """
    return phone_provider().send_sms(to, body)


def send_sign_in_sms(to: str, body: str) -> str:
    """A sign-in code by text (core.sms): like a transactional text, but the dev outbox marks it as private."""
    provider = phone_provider()
    if isinstance(provider, DevOutboxPhone):
        return provider.send_sign_in_sms(to, body)
    return provider.send_sms(to, body)
