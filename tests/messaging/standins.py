"""Loopback stand-ins for outside services: Twilio's REST API (http.server in a thread); the machine translation
services' are in tests/languages/standins.py."""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import itertools
import json
import queue
import random
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from twilio.request_validator import RequestValidator

INVALID_NUMBER = "+15005550001"  # Twilio's own magic test number for "invalid"
POOL_NUMBER = "+15005550006"  # the sender a Messaging Service stand-in sends from
HANG_UP = 0  # a handler's status meaning: close the connection without answering


class _CountOnly(list):
    """Counts requests without keeping them (a long benchmark run)."""

    count: int = 0  # type: ignore[assignment]  # list.count is a method; this one is a tally

    def append(self, item: Any) -> None:
        self.count += 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up before its answer (a test's timeout, a killed worker) is what these stand-ins
        are for, not an error: nothing is printed. Printing it did harm besides noise: on Python 3.11 a printed
        traceback parses source with `ast` to place its carets, and two threads in `ast.parse` at once corrupt
        each other's parse (CPython gh-106905: "AST constructor recursion depth mismatch"), which failed a test
        that was reading modules on the main thread while a stand-in left over from an earlier test printed."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class StandIn:
    """Starts a server on 127.0.0.1, records every request; use as a context manager."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.open_connections = 0
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as Twilio's API does

            def setup(self) -> None:
                super().setup()
                # Headers and body go out as separate writes; without this, Nagle + delayed ACK adds 40 ms each.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with standin.lock:
                    standin.open_connections += 1

            def finish(self) -> None:
                try:
                    super().finish()
                finally:
                    with standin.lock:
                        standin.open_connections -= 1

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                status, payload = standin.handle_get(self.path, dict(self.headers))
                self._reply(status, payload)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                data = self.rfile.read(length)
                if len(data) < length:  # the client went away mid-request: nothing was asked, nothing is done
                    self.close_connection = True
                    return
                self._reply(*standin.handle(self.path, dict(self.headers), data.decode()))

            def _reply(self, status: int, payload: dict[str, Any]) -> None:
                if status == HANG_UP:  # the request was taken; the connection closes without an answer
                    self.close_connection = True
                    return
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def handle(self, path: str, headers: dict[str, str], raw: str) -> tuple[int, dict[str, Any]]:
        raise NotImplementedError

    def handle_get(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        return 404, {"message": "Not Found"}

    def wait_until_quiet(self, *, settle: float = 1.0, timeout: float = 30.0) -> None:
        """Waits until no connection is open and no request has come in for `settle` seconds.

        A client killed mid-conversation can leave requests it had already written in the server's socket
        buffers; the server still reads and answers them after the client is gone. A test that counts what the
        server took must wait for those first. `settle` is longer than serve_forever's poll interval (0.5 s),
        so a connection still waiting in the listen backlog is accepted before the server counts as quiet.
        """
        deadline = time.monotonic() + timeout
        last_seen, quiet_since = -1, time.monotonic()
        while time.monotonic() < deadline:
            with self.lock:
                seen, busy = len(self.requests), self.open_connections
            now = time.monotonic()
            if busy or seen != last_seen:
                last_seen, quiet_since = seen, now
            elif now - quiet_since >= settle:
                return
            time.sleep(0.05)
        raise AssertionError(f"the stand-in was still busy after {timeout} s")

    def __enter__(self) -> StandIn:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass(frozen=True)
class Outcome:
    """What the stand-in reports for one number: a final status and, for a failure, Twilio's ErrorCode.

    Texts: delivered, undelivered, failed. Calls: completed, busy, no-answer, failed, canceled.
    """

    status: str
    error_code: str = ""


# The SIP answer Twilio reports with a call's final status (SipResponseCode), for the statuses that have one.
SIP_CODES = {"completed": "200", "busy": "486", "no-answer": "487", "canceled": "487"}
# The StatusCallbackEvent values we act out, in order, with the CallStatus each one reports.
CALL_EVENTS = {"ringing": "ringing", "answered": "in-progress"}


class TwilioStandIn(StandIn):
    """Answers POST /2010-04-01/Accounts/{Sid}/Messages.json and Calls.json as Twilio documents them.

    Opt-in, it also posts the signed status callbacks Twilio would send to each StatusCallback URL:
    `callbacks="after"` from a background thread once the create is answered (as Twilio does), or
    `callbacks="early"` before the create is answered (the fastest Twilio could be: a race the app must
    survive). Texts report queued → sent → delivered, calls their final status; `outcomes[number]` makes a
    number fail instead. `rate_per_second`/`burst` make it enforce a per-sender limit on texts (the From
    number or the Messaging Service) and `calls_per_second`/`call_burst` one on calls, answering 429 (Twilio
    error 20429) beyond them, measured on `clock` (time.monotonic unless a test drives it). `latency` is a
    (low, high) range of seconds each create waits before it answers, as Twilio's API does over the internet.
    """

    def __init__(self, account_sid: str, auth_token: str, *, callbacks: str = "", rate_per_second: float = 0,
                 burst: float = 0, clock: Callable[[], float] = time.monotonic, calls_per_second: float = 0,
                 call_burst: float = 0, latency: tuple[float, float] = (0.0, 0.0)) -> None:
        super().__init__()
        if callbacks not in ("", "after", "early"):
            raise ValueError(f"callbacks must be '', 'after' or 'early', not {callbacks!r}")
        self.account_sid, self.auth_token = account_sid, auth_token
        self.account_status = "active"  # or "suspended", "closed"
        self.counter = itertools.count(1)
        self.created: list[dict[str, Any]] = []  # every message and call, as the list resources return them
        self.callback_mode = callbacks
        self.outcomes: dict[str, Outcome] = {}  # To number → what happens to what is sent there
        self.refusals: dict[str, tuple[int, dict[str, Any]]] = {}  # To number → the error the create answers
        self.callbacks: list[dict[str, Any]] = []  # every callback posted: url, params, the HTTP status it got
        # Held while a callback is posted; a test holds it to keep callbacks back while it sends or checks the
        # database, so that they arrive after Twilio's answers and between its checks.
        self.gate = threading.Lock()
        self._jobs: queue.Queue[list[tuple[str, dict[str, str]]] | None] = queue.Queue()
        self._pending = 0
        self._idle = threading.Condition()
        self.rate_per_second, self.burst, self.clock = rate_per_second, burst, clock
        self.calls_per_second, self.call_burst, self.latency = calls_per_second, call_burst, latency
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}  # (resource, sender) → (tokens, when)
        self._random = random.Random(13)

    def __enter__(self) -> TwilioStandIn:
        super().__enter__()
        if self.callback_mode == "after":
            self.poster = threading.Thread(target=self._post_jobs, daemon=True)
            self.poster.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.callback_mode == "after":
            with self._jobs.mutex:
                self._jobs.queue.clear()  # what the test did not wait for is dropped, not posted into teardown
            self._jobs.put(None)
            self.poster.join(timeout=10)
        super().__exit__(*exc)

    def _resource(self, path: str, headers: dict[str, str]) -> tuple[str, tuple[int, dict[str, Any]] | None]:
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if headers.get("Authorization") != expected:
            return "", (401, {"code": 20003, "message": "Authenticate", "status": 401})
        parts = urlsplit(path).path.split("/")
        if len(parts) == 4 and parts[1] == "2010-04-01" and parts[3] == f"{self.account_sid}.json":
            return "Account", None  # GET /2010-04-01/Accounts/{Sid}.json: the account itself
        if len(parts) != 5 or parts[1] != "2010-04-01" or parts[3] != self.account_sid:
            return "", (404, {"code": 20404, "message": "The requested resource was not found", "status": 404})
        return parts[4], None

    def handle_get(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """GET Messages.json / Calls.json: the list resources, filtered by To and From, newest first."""
        resource, refusal = self._resource(path, headers)
        if refusal:
            return refusal
        if resource == "Account":
            return 200, {"sid": self.account_sid, "status": self.account_status, "type": "Full"}
        if resource not in ("Messages.json", "Calls.json"):
            return 404, {"code": 20404, "message": "The requested resource was not found", "status": 404}
        query = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
        size = int(query.get("PageSize", "50"))
        prefix = "SM" if resource == "Messages.json" else "CA"
        with self.lock:
            found = [r for r in reversed(self.created) if r["sid"].startswith(prefix)
                     and all(r[k.lower()] == query[k] for k in ("To", "From") if k in query)][:size]
        key = "messages" if prefix == "SM" else "calls"
        return 200, {key: found, "page": 0, "page_size": size, "next_page_uri": None,
                     "uri": urlsplit(path).path, "first_page_uri": path}

    def handle(self, path: str, headers: dict[str, str], raw: str) -> tuple[int, dict[str, Any]]:
        resource, refusal = self._resource(path, headers)
        if refusal:
            return refusal
        fields = parse_qs(raw, keep_blank_values=True)
        form = {k: v[0] for k, v in fields.items()}
        if self.latency[1] > 0:
            time.sleep(self._random.uniform(*self.latency))
        status, item = self._create(resource, form)
        with self.lock:
            self.requests.append({"resource": resource, "form": form, "at": self.clock(), "status": status})
        if status == 201 and self.callback_mode and form.get("StatusCallback"):
            events = [e for value in fields.get("StatusCallbackEvent", []) for e in value.split()]
            self._callbacks_for(form["StatusCallback"], item, events)
        return status, item

    def _create(self, resource: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if resource not in ("Messages.json", "Calls.json"):
            return 404, {"code": 20404, "message": "The requested resource was not found", "status": 404}
        if not self._rate_take(resource, form.get("MessagingServiceSid") or form.get("From", "")):
            return 429, {"code": 20429, "message": "Too Many Requests",
                         "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429}
        if not form.get("To"):
            return 400, {"code": 21604, "message": "A 'To' phone number is required.", "status": 400}
        if not (form.get("From") or form.get("MessagingServiceSid")):
            return 400, {"code": 21603, "message": "A 'From' phone number is required.", "status": 400}
        if form.get("To") in self.refusals:
            return self.refusals[form["To"]]
        if form.get("To") == INVALID_NUMBER:
            return 400, {"code": 21211, "message": f"The 'To' number {form['To']} is not a valid phone number.",
                         "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}
        n = next(self.counter)
        created = format_datetime(dt.datetime.now(dt.UTC))  # RFC 2822 with +0000, as Twilio writes date_created
        if resource == "Messages.json":
            # A Messaging Service picks the sender from its pool (the stand-in's pool has one number).
            item = {"sid": f"SM{n:032x}", "account_sid": self.account_sid, "to": form.get("To"),
                    "from": form.get("From") or POOL_NUMBER, "body": form.get("Body"), "status": "queued",
                    "num_segments": "1", "messaging_service_sid": form.get("MessagingServiceSid"),
                    "direction": "outbound-api", "api_version": "2010-04-01", "date_created": created,
                    "error_code": None, "error_message": None}
        else:
            item = {"sid": f"CA{n:032x}", "account_sid": self.account_sid, "to": form.get("To"),
                    "from": form.get("From"), "status": "queued", "direction": "outbound-api",
                    "api_version": "2010-04-01", "date_created": created}
        with self.lock:
            self.created.append(item)
        return 201, item

    def _rate_take(self, resource: str, sender: str) -> bool:
        """A token bucket per sender and resource, as Twilio enforces texts and calls per second."""
        rate, burst = ((self.calls_per_second, self.call_burst) if resource == "Calls.json"
                       else (self.rate_per_second, self.burst))
        if rate <= 0 and burst <= 0:
            return True
        now = self.clock()
        key = (resource, sender)
        with self.lock:
            tokens, when = self._buckets.get(key, (burst, now))
            tokens = min(burst, tokens + max(0.0, now - when) * rate)
            if tokens < 1:
                self._buckets[key] = (tokens, max(when, now))
                return False
            self._buckets[key] = (tokens - 1, max(when, now))
            return True

    def sent(self, resource: str = "Messages.json") -> list[dict[str, str]]:
        return [r["form"] for r in self.requests if r["resource"] == resource]

    def signed_callback(self, form: dict[str, str], **params: str) -> tuple[str, dict[str, str], str]:
        """(url, params, X-Twilio-Signature) of the status callback Twilio would post for a sent message."""
        url = form["StatusCallback"]
        signature = RequestValidator(self.auth_token).compute_signature(url, params)
        return url, params, signature

    # --- status callbacks -------------------------------------------------------------------------------

    def _callbacks_for(self, url: str, item: dict[str, Any], events: list[str]) -> None:
        if item["sid"].startswith("SM"):
            job = [(url, params) for params in self._message_statuses(item)]
        else:
            job = [(url, params) for params in self._call_statuses(item, events or ["completed"])]
        if self.callback_mode == "early":
            for url, params in job:
                self.post_status(url, params)
            return
        with self._idle:
            self._pending += 1
        self._jobs.put(job)

    def _message_statuses(self, item: dict[str, Any]) -> list[dict[str, str]]:
        """MessageStatus callbacks: queued, sent, then delivered (or the number's outcome)."""
        outcome = self.outcomes.get(item["to"], Outcome("delivered"))
        common = {"AccountSid": self.account_sid, "MessageSid": item["sid"], "SmsSid": item["sid"],
                  "From": item["from"], "To": item["to"], "ApiVersion": "2010-04-01"}
        # A message that fails is never handed to the carrier, so it is never `sent`.
        steps = ["queued", outcome.status] if outcome.status == "failed" else ["queued", "sent", outcome.status]
        statuses = []
        for step in steps:
            params = common | {"MessageStatus": step, "SmsStatus": step}
            if step in ("undelivered", "failed") and outcome.error_code:
                params["ErrorCode"] = outcome.error_code
            statuses.append(params)
        return statuses

    def _call_statuses(self, item: dict[str, Any], events: list[str]) -> list[dict[str, str]]:
        """CallStatus callbacks for the StatusCallbackEvents asked for (Twilio's default: only `completed`)."""
        outcome = self.outcomes.get(item["to"], Outcome("completed"))
        common = {"AccountSid": self.account_sid, "CallSid": item["sid"], "From": item["from"], "To": item["to"],
                  "Caller": item["from"], "Called": item["to"], "Direction": "outbound-api",
                  "ApiVersion": "2010-04-01", "CallbackSource": "call-progress-events"}
        reached = {"ringing": outcome.status not in ("failed", "canceled"), "answered": outcome.status == "completed"}
        steps = [CALL_EVENTS[e] for e in CALL_EVENTS if e in events and reached[e]]
        if "completed" in events:
            steps.append(outcome.status)
        statuses = []
        for number, step in enumerate(steps):
            params = common | {"CallStatus": step, "SequenceNumber": str(number),
                               "Timestamp": format_datetime(dt.datetime.now(dt.UTC))}
            if step == outcome.status:
                params |= {"CallDuration": "14" if step == "completed" else "0"}
                if step in SIP_CODES:
                    params["SipResponseCode"] = SIP_CODES[step]
                if outcome.error_code:
                    params["ErrorCode"] = outcome.error_code
            statuses.append(params)
        return statuses

    def post_status(self, url: str, params: dict[str, str], *, auth_token: str = "") -> int:
        """POST one status callback as Twilio does (form-encoded, X-Twilio-Signature over the URL and the
        sorted parameters with the auth token); returns the HTTP status it got, 0 when nothing answered."""
        signature = RequestValidator(auth_token or self.auth_token).compute_signature(url, params)
        parts = urlsplit(url)
        connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = connection_class(parts.hostname or "", parts.port, timeout=30)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature,
                   "User-Agent": "TwilioProxy/1.1", "I-Twilio-Idempotency-Token": uuid.uuid4().hex}
        try:
            conn.request("POST", urlunsplit(("", "", parts.path, parts.query, "")), body=urlencode(params).encode(),
                         headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except OSError:
            status = 0
        finally:
            conn.close()
        with self.lock:
            self.callbacks.append({"url": url, "params": params, "status": status})
        return status

    def _post_jobs(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                for url, params in job:
                    with self.gate:
                        self.post_status(url, params)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def callbacks_posted(self, timeout: float = 10) -> bool:
        """Wait until every callback owed so far has been posted and answered; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)


def _answer_requests(standin: StandIn, buffer: bytes) -> tuple[bytes, bytes]:
    """Answers every complete HTTP/1.1 request at the start of `buffer`: (responses, what is left over)."""
    out = []
    while True:
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            break
        head = buffer[:end].decode("latin-1").split("\r\n")
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().title()] = value.strip()
        length = int(headers.get("Content-Length", "0"))
        if len(buffer) < end + 4 + length:
            break
        body = buffer[end + 4 : end + 4 + length].decode()
        buffer = buffer[end + 4 + length :]
        method, path, _version = head[0].split(" ", 2)
        if method == "POST":
            status, payload = standin.handle(path, headers, body)
        else:
            status, payload = standin.handle_get(path, headers)
        data = json.dumps(payload).encode()
        out.append(
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\n\r\n".encode() + data
        )
    return b"".join(out), buffer


def serve_forking(standin: TwilioStandIn) -> None:
    """Serves `standin` on its bound socket with one forked process per connection and blocking I/O.

    For the benchmark: the same requests and answers as the http.server stand-in at a fraction of its CPU
    (the fake Twilio shares the benchmark's cores; the real one would not). Each fork numbers its sids from
    its own pid, so sids stay unique across connections.
    """
    import os
    import signal

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    listener = standin.server.socket
    listener.listen(256)  # every worker thread's connection at once (http.server's default backlog is 5)
    while True:
        conn, _addr = listener.accept()
        if os.fork():
            conn.close()
            continue
        listener.close()
        standin.counter = itertools.count(os.getpid() << 40)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = b""
        while chunk := conn.recv(65536):
            answers, buffer = _answer_requests(standin, buffer + chunk)
            if answers:
                conn.sendall(answers)
        os._exit(0)


if __name__ == "__main__":
    # A Twilio stand-in in its own process (for bench/fanout.py): prints its URL, serves until killed.
    # `instant`: answers at once, no ceilings, one fork per connection. `real`: 150-300 ms per request and an
    # account's ceilings (100 texts/s per sender, 10 calls/s), one thread per connection sharing the buckets.
    real = len(sys.argv) > 3 and sys.argv[3] == "real"
    standin = TwilioStandIn(sys.argv[1], sys.argv[2], **(
        {"rate_per_second": 100, "burst": 100, "calls_per_second": 10, "call_burst": 10, "latency": (0.15, 0.3)}
        if real else {}))
    standin.requests = _CountOnly()  # type: ignore[assignment]
    standin.created = _CountOnly()  # type: ignore[assignment]  # no list lookups in a benchmark
    print(standin.url, flush=True)
    if real:
        standin.server.socket.listen(256)
        standin.server.serve_forever()
    else:
        serve_forking(standin)
