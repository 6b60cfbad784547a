"""Twilio's REST API (Messages.json, Calls.json) through a keep-alive httpx client per thread.

Texts go out from a Messaging Service (TWILIO_MESSAGING_SERVICE_SID: a sender pool or short code) when one is
set, else from TWILIO_FROM_NUMBER; calls always come from TWILIO_FROM_NUMBER. The base URL is configurable
for a local stand-in. Every request has explicit timeouts and a capped response size.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import json
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from django.conf import settings
from django.urls import reverse

from homeroom.core.per_thread import per_thread
from homeroom.messaging.channels.base import Fault, TransportError
from homeroom.messaging.providers.twilio_errors import describe, twilio_fault

DEFAULT_API_BASE = "https://api.twilio.com"
# Our clock and Twilio's may differ a little; a lookup after a crash looks this far before the claim.
CLOCK_SKEW = dt.timedelta(seconds=60)
MAX_RESPONSE_BYTES = 256 * 1024  # Twilio's answers are a few kilobytes; anything bigger is not Twilio
CONNECT_TIMEOUT = 5.0
# Failures after the request went out whole: Twilio may have taken it, so a POST is ambiguous.
AFTER_WRITE = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError)


def is_configured() -> bool:
    sender = settings.TWILIO_FROM_NUMBER or settings.TWILIO_MESSAGING_SERVICE_SID
    return bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and sender)


def status_callback_url(key: str = "") -> str:
    url = settings.MESSAGING_WEBHOOK_BASE_URL.rstrip("/") + reverse("messaging:twilio_status")
    return f"{url}?d={key}" if key else url


class _NoCookies(http.cookiejar.CookieJar):
    """Twilio's REST API is stateless: its answers' cookies are not kept, nor even read (reading them built an
    email.message.Message per answer, a tenth of a text's CPU)."""

    def extract_cookies(self, response: Any, request: Any) -> None:
        pass


def http_client(sid: str, token: str, timeout: float) -> httpx.Client:
    """This thread's client, kept from one batch to the next so that its connection stays open.

    One per thread, not one per process (`core.per_thread`: httpcore's pool, shared by threads, can close a
    connection under another thread's request; against a loopback stand-in that answers at once this failed
    about one request in 200,000, as a needless ambiguous attempt). A sending thread makes one request at a
    time, so its client holds one connection. Proxy settings come from the environment (HTTPS_PROXY, NO_PROXY).
    """
    return per_thread(("twilio", sid, token, timeout), lambda: httpx.Client(
        auth=(sid, token),
        cookies=_NoCookies(),
        headers={"Accept": "application/json", "User-Agent": "homeroom"},
        timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)),
        follow_redirects=False,
    ))


def _read_capped(response: httpx.Response) -> bytes:
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > MAX_RESPONSE_BYTES:
            raise TransportError(f"Twilio's answer is larger than {MAX_RESPONSE_BYTES} bytes")
    return bytes(body)


class TwilioPhone:
    name = "twilio"
    concurrent = True  # each thread has its own httpx client; a send touches no database

    def __init__(self) -> None:
        self.sid = settings.TWILIO_ACCOUNT_SID
        self.from_number = settings.TWILIO_FROM_NUMBER
        self.service_sid = settings.TWILIO_MESSAGING_SERVICE_SID
        base = (settings.TWILIO_API_BASE or DEFAULT_API_BASE).rstrip("/")
        self.credentials = (self.sid, settings.TWILIO_AUTH_TOKEN, settings.MESSAGING_HTTP_TIMEOUT)
        self.callback = status_callback_url()
        # Parsed once: parsing and joining a URL per request cost a sixth of a text's CPU.
        account = f"{base}/2010-04-01/Accounts/{self.sid}"
        self.account_url = httpx.URL(f"{account}.json")
        self.urls = {resource: httpx.URL(f"{account}/{resource}.json") for resource in ("Messages", "Calls")}

    def rate_key(self, kind: str = "sms") -> str:
        """Twilio's ceilings are per sender: the Messaging Service (or number) for texts, the number for calls."""
        if kind == "voice":
            return f"twilio:calls:{self.from_number}"
        return f"twilio:{self.service_sid or self.from_number}"

    def _text_sender(self) -> dict[str, str]:
        return {"MessagingServiceSid": self.service_sid} if self.service_sid else {"From": self.from_number}

    def _exchange(self, method: str, url: httpx.URL, data: dict[str, str]) -> tuple[int, bytes]:
        """One request; a POST is never retried here (a resend could duplicate a text)."""
        http = http_client(*self.credentials)  # the calling thread's
        try:
            if method == "POST":
                request = http.build_request("POST", url, data=data)
            else:
                request = http.build_request(method, url, params=data or None)
            response = http.send(request, stream=True)
            try:
                return response.status_code, _read_capped(response)
            finally:
                response.close()
        except httpx.HTTPError as exc:
            # A POST that went out whole may have been taken: the row asks Twilio before it is sent again.
            fault = Fault.AMBIGUOUS if method == "POST" and isinstance(exc, AFTER_WRITE) else Fault.TRANSIENT
            raise TransportError(f"Twilio unreachable: {type(exc).__name__} {exc}"[:250], fault=fault) from exc

    def _call(self, method: str, resource: str, data: dict[str, str]) -> dict[str, Any]:
        status, body = self._exchange(method, self.urls[resource], data)
        try:
            payload = json.loads(body) if body else {}
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
        status, body = self._exchange("GET", self.account_url, {})
        try:
            payload = json.loads(body) if body else {}
        except ValueError:
            payload = {}
        if status >= 400 or not isinstance(payload, dict):
            code = int(payload.get("code") or 0) if isinstance(payload, dict) else 0
            raise TransportError(f"Twilio {code or status}: {describe(code) or 'account check failed'}",
                                 code=str(code or ""), fault=twilio_fault(status=status, code=code))
        if payload.get("status", "active") != "active":
            raise TransportError(f"Twilio account is {payload.get('status')}", fault=Fault.PROVIDER)

    def send_sms(self, to: str, body: str, *, key: str = "") -> str:
        callback = f"{self.callback}?d={key}" if key else self.callback
        payload = self._call("POST", "Messages", {"To": to, **self._text_sender(), "Body": body,
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
        (Twilio's list resources take To, From and date filters; a Messaging Service's texts are matched on To.)
        """
        resource, items = ("Messages", "messages") if kind == "sms" else ("Calls", "calls")
        # A Messaging Service sends from any number of its pool: only calls are filtered by their number.
        sender = {"From": self.from_number} if kind != "sms" or not self.service_sid else {}
        payload = self._call("GET", resource, {"To": to, **sender, "PageSize": "50"})
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
