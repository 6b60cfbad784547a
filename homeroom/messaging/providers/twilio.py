"""Twilio's REST API (Messages.json, Calls.json) over one keep-alive session; base URL configurable for a stand-in."""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings
from django.urls import reverse

from homeroom.messaging.channels.base import TransportError

# Twilio error codes that no retry can fix: the number is invalid, unreachable, a landline, or opted out.
PERMANENT_CODES = {21211, 21214, 21217, 21407, 21408, 21421, 21610, 21612, 21614, 30003, 30004, 30005, 30006, 30007}
DEFAULT_API_BASE = "https://api.twilio.com"


def is_configured() -> bool:
    return bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and settings.TWILIO_FROM_NUMBER)


def status_callback_url(key: str = "") -> str:
    url = settings.MESSAGING_WEBHOOK_BASE_URL.rstrip("/") + reverse("messaging:twilio_status")
    return f"{url}?d={key}" if key else url


class TwilioPhone:
    name = "twilio"

    def __init__(self, session: requests.Session | None = None) -> None:
        self.sid = settings.TWILIO_ACCOUNT_SID
        self.from_number = settings.TWILIO_FROM_NUMBER
        self.base = (settings.TWILIO_API_BASE or DEFAULT_API_BASE).rstrip("/")
        self.session = session or requests.Session()
        self.session.auth = (self.sid, settings.TWILIO_AUTH_TOKEN)
        # Proxy settings are read from the environment once, not on every request (a hot path in fan-out).
        self.session.proxies = requests.utils.get_environ_proxies(self.base)
        self.session.trust_env = False
        self.callback = status_callback_url()

    def rate_key(self) -> str:
        return f"twilio:{self.from_number}"

    def _post(self, resource: str, data: dict[str, str]) -> dict[str, Any]:
        url = f"{self.base}/2010-04-01/Accounts/{self.sid}/{resource}.json"
        try:
            response = self.session.post(url, data=data, timeout=settings.MESSAGING_HTTP_TIMEOUT)
        except requests.RequestException as exc:
            raise TransportError(f"Twilio unreachable: {type(exc).__name__}") from exc
        try:
            payload = response.json()
        except ValueError:
            payload = {}
        if response.status_code >= 400:
            code = int(payload.get("code") or 0)
            message = str(payload.get("message") or f"HTTP {response.status_code}")
            permanent = code in PERMANENT_CODES or (400 <= response.status_code < 500 and response.status_code != 429)
            raise TransportError(f"Twilio {code}: {message}"[:250], permanent=permanent, code=str(code or ""))
        return payload

    def send_sms(self, to: str, body: str, *, key: str = "") -> str:
        payload = self._post(
            "Messages", {"To": to, "From": self.from_number, "Body": body, "StatusCallback": f"{self.callback}?d={key}"}
        )
        return str(payload.get("sid", ""))

    def send_call(self, to: str, twiml: str, *, key: str = "") -> str:
        payload = self._post(
            "Calls",
            {
                "To": to,
                "From": self.from_number,
                "Twiml": twiml,
                "StatusCallback": f"{self.callback}?d={key}",
                "StatusCallbackEvent": "completed",
            },
        )
        return str(payload.get("sid", ""))

    def already_sent(self, key: str) -> bool:
        # Twilio keeps no idempotency key we could look up; a crash in the instant between Twilio accepting
        # a message and our recording it can, after the claim lease, send that one message twice.
        return False
