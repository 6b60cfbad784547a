"""Twilio's REST API (Messages.json, Calls.json) over keep-alive connections; base URL configurable for a stand-in."""

from __future__ import annotations

import base64
import datetime as dt
import json
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus, urlencode

import requests
from django.conf import settings
from django.urls import reverse

from homeroom.messaging.channels.base import Fault, TransportError
from homeroom.messaging.providers.http11 import HttpClient, HttpError
from homeroom.messaging.providers.twilio_errors import describe, twilio_fault

DEFAULT_API_BASE = "https://api.twilio.com"
# Our clock and Twilio's may differ a little; a lookup after a crash looks this far before the claim.
CLOCK_SKEW = dt.timedelta(seconds=60)


def is_configured() -> bool:
    return bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and settings.TWILIO_FROM_NUMBER)


def status_callback_url(key: str = "") -> str:
    url = settings.MESSAGING_WEBHOOK_BASE_URL.rstrip("/") + reverse("messaging:twilio_status")
    return f"{url}?d={key}" if key else url


@lru_cache(maxsize=4)
def _client(base: str, sid: str, token: str, timeout: float) -> HttpClient:
    """Shared per process, so a worker keeps its connections from one batch to the next."""
    token = base64.b64encode(f"{sid}:{token}".encode()).decode()
    headers = {"Authorization": f"Basic {token}", "Accept": "application/json", "User-Agent": "homeroom"}
    # Proxy settings are read from the environment once (HTTPS through a CONNECT tunnel).
    proxy = requests.utils.get_environ_proxies(base).get("https", "") if base.startswith("https:") else ""
    return HttpClient(base, headers=headers, timeout=timeout, proxy=proxy)


@lru_cache(maxsize=512)
def _quoted(value: str) -> str:
    """Form-encodes one value; a fan-out sends the same body and number thousands of times."""
    return quote_plus(value)


def _form(fields: dict[str, str]) -> bytes:
    return "&".join(f"{_quoted(k)}={_quoted(v)}" for k, v in fields.items()).encode()


class TwilioPhone:
    name = "twilio"

    def __init__(self) -> None:
        self.sid = settings.TWILIO_ACCOUNT_SID
        self.from_number = settings.TWILIO_FROM_NUMBER
        base = (settings.TWILIO_API_BASE or DEFAULT_API_BASE).rstrip("/")
        self.http = _client(base, self.sid, settings.TWILIO_AUTH_TOKEN, settings.MESSAGING_HTTP_TIMEOUT)
        self.callback = status_callback_url()

    def rate_key(self) -> str:
        return f"twilio:{self.from_number}"

    def _call(self, method: str, resource: str, data: dict[str, str]) -> dict[str, Any]:
        """One API call; a POST is never retried here (a resend could duplicate a text)."""
        path = f"/2010-04-01/Accounts/{self.sid}/{resource}.json"
        try:
            if method == "POST":
                response = self.http.request("POST", path, _form(data), "application/x-www-form-urlencoded")
            else:
                response = self.http.request(method, f"{path}?{urlencode(data)}" if data else path)
        except HttpError as exc:
            # A POST that went out whole may have been taken: the row asks Twilio before it is sent again.
            fault = Fault.AMBIGUOUS if method == "POST" and exc.written else Fault.TRANSIENT
            raise TransportError(f"Twilio unreachable: {exc}"[:250], fault=fault) from exc
        status = response.status
        try:
            payload = json.loads(response.body) if response.body else {}
        except ValueError:
            payload = {}
        if not isinstance(payload, dict):
            payload = {}
        if status >= 400:
            try:
                code = int(payload.get("code") or 0)
            except (TypeError, ValueError):
                code = 0
            message = str(payload.get("message") or describe(code) or f"HTTP {status}")
            fault = twilio_fault(status=status, code=code)
            if method == "POST" and status >= 500 and fault == Fault.TRANSIENT:
                fault = Fault.AMBIGUOUS  # a server error after the request arrived: it may have been taken
            raise TransportError(f"Twilio {code or status}: {message}"[:250], code=str(code or ""), fault=fault)
        return payload

    def probe(self) -> None:
        """Fetch our own account: raises TransportError unless the credentials work and the account is active."""
        path = f"/2010-04-01/Accounts/{self.sid}.json"
        try:
            response = self.http.request("GET", path)
        except HttpError as exc:
            raise TransportError(f"Twilio unreachable: {exc}"[:250]) from exc
        try:
            payload = json.loads(response.body) if response.body else {}
        except ValueError:
            payload = {}
        if response.status >= 400 or not isinstance(payload, dict):
            code = int(payload.get("code") or 0) if isinstance(payload, dict) else 0
            raise TransportError(f"Twilio {code or response.status}: {describe(code) or 'account check failed'}",
                                 code=str(code or ""), fault=twilio_fault(status=response.status, code=code))
        if payload.get("status", "active") != "active":
            raise TransportError(f"Twilio account is {payload.get('status')}", fault=Fault.PROVIDER)

    def send_sms(self, to: str, body: str, *, key: str = "") -> str:
        callback = f"{self.callback}?d={key}" if key else self.callback
        payload = self._call("POST", "Messages", {"To": to, "From": self.from_number, "Body": body,
                                                  "StatusCallback": callback})
        return str(payload.get("sid", ""))

    def send_call(self, to: str, twiml: str, *, key: str = "") -> str:
        callback = f"{self.callback}?d={key}" if key else self.callback
        payload = self._call(
            "POST",
            "Calls",
            {"To": to, "From": self.from_number, "Twiml": twiml, "StatusCallback": callback,
             "StatusCallbackEvent": "completed"},
        )
        return str(payload.get("sid", ""))

    def sent_ids(self, *, kind: str, key: str, to: str, since: dt.datetime, body: str = "") -> list[str]:
        """Sids of texts (kind "sms") or calls from our number to `to` created since `since`, newest first.

        Used only after a crash: Twilio keeps no idempotency key, so a delivery that was claimed but never
        recorded is matched by number, time and (for texts) body through the documented list filters.
        """
        resource, items = ("Messages", "messages") if kind == "sms" else ("Calls", "calls")
        payload = self._call("GET", resource, {"To": to, "From": self.from_number, "PageSize": "50"})
        found = []
        for item in payload.get(items) or []:
            try:
                created = parsedate_to_datetime(str(item.get("date_created")))
            except (TypeError, ValueError):
                continue
            if created.tzinfo is None:
                created = created.replace(tzinfo=dt.UTC)
            if created < since - CLOCK_SKEW or (kind == "sms" and body and item.get("body") != body):
                continue
            found.append(str(item.get("sid", "")))
        return found
