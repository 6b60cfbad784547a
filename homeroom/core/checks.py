"""System checks: a process that would silently keep email or texts in the dev outbox refuses to start.

`homeroom check`, `migrate`, `runserver` and the workers run these; so do the WSGI/ASGI entry points
(`refuse_to_serve_misconfigured`), because gunicorn runs no checks.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

DEV_OUTBOX_EMAIL_BACKENDS = frozenset({
    "homeroom.core.mail.DevOutboxEmailBackend",
    "homeroom.messaging.providers.dev_outbox.DevOutboxEmailBackend",
})
TAG = "homeroom"


def dev_outbox_channels() -> list[str]:
    """Which outgoing channels the settings leave in the dev outbox: "email", "messaging email", "phone"."""
    channels = []
    if settings.EMAIL_BACKEND in DEV_OUTBOX_EMAIL_BACKENDS:
        channels.append("email")
    if (getattr(settings, "MESSAGING_EMAIL_BACKEND", "") or settings.EMAIL_BACKEND) in DEV_OUTBOX_EMAIL_BACKENDS:
        channels.append("messaging email")
    phone = getattr(settings, "MESSAGING_PHONE_PROVIDER", "auto")
    twilio_ready = bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and settings.TWILIO_FROM_NUMBER)
    if phone == "dev_outbox" or (phone == "auto" and not twilio_ready):
        channels.append("phone")
    return channels


_NUMBERS = {"email": 1, "messaging email": 2, "phone": 3}
_HINTS = {
    "email": "set HOMEROOM_EMAIL_BACKEND (and EMAIL_HOST…) to a real email backend",
    "messaging email": "set HOMEROOM_MESSAGING_EMAIL_BACKEND (or HOMEROOM_EMAIL_BACKEND) to a real email backend",
    "phone": "set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER",
}


@checks.register(TAG)
def check_outgoing_providers(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Without debug (or an explicit HOMEROOM_DEV_OUTBOX=1), every channel needs a real provider."""
    if settings.HOMEROOM_DEV_OUTBOX:
        return []
    return [
        checks.Error(
            f"No {channel} provider is configured and the dev outbox is off (debug is off).",
            hint=_HINTS[channel],
            id=f"homeroom.E00{_NUMBERS[channel]}",
        )
        for channel in dev_outbox_channels()
    ]


@checks.register(TAG, deploy=True)
def check_no_dev_outbox_in_production(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """`check --deploy`: the dev outbox sends nothing, so a production site must not use it, even on purpose."""
    if settings.DEBUG or not settings.HOMEROOM_DEV_OUTBOX:
        return []  # DEBUG is reported by Django's own deploy check; an unset outbox by the check above
    return [
        checks.Error(
            f"The {channel} channel goes to the dev outbox (HOMEROOM_DEV_OUTBOX is on): nothing would be sent.",
            hint=_HINTS[channel],
            id=f"homeroom.E01{_NUMBERS[channel]}",
        )
        for channel in dev_outbox_channels()
    ]


def refuse_to_serve_misconfigured() -> None:
    """Called by the WSGI/ASGI entry points: the same errors as above stop the web process from starting."""
    errors = [m for m in check_outgoing_providers() if m.is_serious()]
    if errors:
        raise ImproperlyConfigured("; ".join(f"{m.msg} ({m.hint})" for m in errors))
