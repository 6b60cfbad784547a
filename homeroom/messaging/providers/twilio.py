"""Twilio's REST API (Messages.json, Calls.json) over keep-alive connections; base URL configurable for a stand-in."""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import json
import select
import threading
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings
from django.urls import reverse

from homeroom.messaging.channels.base import TransportError

# Twilio error codes that no retry can fix: the number is invalid, unreachable, a landline, or opted out.
PERMANENT_CODES = {21211, 21214, 21217, 21407, 21408, 21421, 21610, 21612, 21614, 30003, 30004, 30005, 30006, 30007}
DEFAULT_API_BASE = "https://api.twilio.com"
# Our clock and Twilio's may differ a little; a lookup after a crash looks this far before the claim.
CLOCK_SKEW = dt.timedelta(seconds=60)


def is_configured() -> bool:
    return bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and settings.TWILIO_FROM_NUMBER)


def status_callback_url(key: str = "") -> str:
    url = settings.MESSAGING_WEBHOOK_BASE_URL.rstrip("/") + reverse("messaging:twilio_status")
    return f"{url}?d={key}" if key else url


class HttpClient:
    """One keep-alive connection per thread to one API host, reopened when the server has closed it.

    http.client rather than requests: in a fan-out of 80,000 calls, requests' per-call preparation cost twice
    the CPU of the call itself. A POST is never retried here: a resend could duplicate a text.
    """

    def __init__(self, base: str, user: str, password: str, timeout: float) -> None:
        parts = urlsplit(base)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if self.https else 80)
        self.prefix = parts.path.rstrip("/")
        self.timeout = timeout
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}", "Accept": "application/json", "User-Agent": "homeroom"}
        # Proxy settings are read from the environment once (HTTPS through a CONNECT tunnel).
        self.proxy = requests.utils.get_environ_proxies(base).get(parts.scheme, "") if self.https else ""
        self.local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self.local, "conn", None)
        if conn is None:
            if self.proxy:
                proxy = urlsplit(self.proxy)
                conn = http.client.HTTPSConnection(proxy.hostname or "", proxy.port or 80, timeout=self.timeout)
                conn.set_tunnel(self.host, self.port)
            elif self.https:
                conn = http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout)
            else:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.local.conn = conn
        elif conn.sock is not None and select.select([conn.sock], [], [], 0)[0]:
            conn.close()  # an idle keep-alive socket that is readable has been closed by the server
        return conn

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
        conn = self._connection()
        headers = dict(self.headers)
        body = None
        if method == "POST":
            # Bytes, so headers and body leave in one write (a str body is a second write: Nagle's delay).
            body = urlencode(form or {}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif form:
            path = f"{path}?{urlencode(form)}"
        try:
            conn.request(method, self.prefix + path, body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            raise TransportError(f"Twilio unreachable: {type(exc).__name__}") from exc
        if response.will_close:
            conn.close()
        try:
            payload = json.loads(raw) if raw else {}
        except ValueError:
            payload = {}
        return response.status, payload if isinstance(payload, dict) else {}


@lru_cache(maxsize=4)
def _client(base: str, sid: str, token: str, timeout: float) -> HttpClient:
    """Shared per process, so a worker keeps its connections from one batch to the next."""
    return HttpClient(base, sid, token, timeout)


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
        status, payload = self.http.request(method, f"/2010-04-01/Accounts/{self.sid}/{resource}.json", data)
        if status >= 400:
            code = int(payload.get("code") or 0)
            message = str(payload.get("message") or f"HTTP {status}")
            permanent = code in PERMANENT_CODES or (400 <= status < 500 and status != 429)
            raise TransportError(f"Twilio {code}: {message}"[:250], permanent=permanent, code=str(code or ""))
        return payload

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
