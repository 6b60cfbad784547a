"""Loopback stand-ins for outside services: Twilio's REST API, LibreTranslate and DeepL (http.server in a thread)."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import socket
import threading
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from twilio.request_validator import RequestValidator

INVALID_NUMBER = "+15005550001"  # Twilio's own magic test number for "invalid"


class _CountOnly(list):
    """Counts requests without keeping them (a long benchmark run)."""

    count = 0

    def append(self, item: Any) -> None:
        self.count += 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class StandIn:
    """Starts a server on 127.0.0.1, records every request; use as a context manager."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as Twilio's API does

            def setup(self) -> None:
                super().setup()
                # Headers and body go out as separate writes; without this, Nagle + delayed ACK adds 40 ms each.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                status, payload = standin.handle_get(self.path, dict(self.headers))
                self._reply(status, payload)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length).decode()
                self._reply(*standin.handle(self.path, dict(self.headers), raw))

            def _reply(self, status: int, payload: dict[str, Any]) -> None:
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

    def __enter__(self) -> StandIn:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


class TwilioStandIn(StandIn):
    """Answers POST /2010-04-01/Accounts/{Sid}/Messages.json and Calls.json as Twilio documents them."""

    def __init__(self, account_sid: str, auth_token: str) -> None:
        super().__init__()
        self.account_sid, self.auth_token = account_sid, auth_token
        self.counter = itertools.count(1)
        self.created: list[dict[str, Any]] = []  # every message and call, as the list resources return them

    def _resource(self, path: str, headers: dict[str, str]) -> tuple[str, tuple[int, dict[str, Any]] | None]:
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if headers.get("Authorization") != expected:
            return "", (401, {"code": 20003, "message": "Authenticate", "status": 401})
        parts = urlsplit(path).path.split("/")
        if len(parts) != 5 or parts[1] != "2010-04-01" or parts[3] != self.account_sid:
            return "", (404, {"code": 20404, "message": "The requested resource was not found", "status": 404})
        return parts[4], None

    def handle_get(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """GET Messages.json / Calls.json: the list resources, filtered by To and From, newest first."""
        resource, refusal = self._resource(path, headers)
        if refusal:
            return refusal
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
        form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
        with self.lock:
            self.requests.append({"resource": resource, "form": form})
        if form.get("To") == INVALID_NUMBER:
            return 400, {"code": 21211, "message": f"The 'To' number {form['To']} is not a valid phone number.",
                         "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}
        n = next(self.counter)
        created = format_datetime(dt.datetime.now(dt.UTC))  # RFC 2822 with +0000, as Twilio writes date_created
        if resource == "Messages.json":
            sid = f"SM{n:032x}"
            item = {"sid": sid, "account_sid": self.account_sid, "to": form.get("To"), "from": form.get("From"),
                    "body": form.get("Body"), "status": "queued", "num_segments": "1", "direction": "outbound-api",
                    "api_version": "2010-04-01", "date_created": created, "error_code": None, "error_message": None}
        elif resource == "Calls.json":
            sid = f"CA{n:032x}"
            item = {"sid": sid, "account_sid": self.account_sid, "to": form.get("To"), "from": form.get("From"),
                    "status": "queued", "direction": "outbound-api", "api_version": "2010-04-01",
                    "date_created": created}
        else:
            return 404, {"code": 20404, "message": "The requested resource was not found", "status": 404}
        with self.lock:
            self.created.append(item)
        return 201, item

    def sent(self, resource: str = "Messages.json") -> list[dict[str, str]]:
        return [r["form"] for r in self.requests if r["resource"] == resource]

    def signed_callback(self, form: dict[str, str], **params: str) -> tuple[str, dict[str, str], str]:
        """(url, params, X-Twilio-Signature) of the status callback Twilio would post for a sent message."""
        url = form["StatusCallback"]
        signature = RequestValidator(self.auth_token).compute_signature(url, params)
        return url, params, signature


class LibreTranslateStandIn(StandIn):
    def handle(self, path: str, headers: dict[str, str], raw: str) -> tuple[int, dict[str, Any]]:
        data = json.loads(raw or "{}")
        self.requests.append({"path": path, "json": data})
        if path != "/translate":
            return 404, {"error": "Not Found"}
        return 200, {"translatedText": f"[{data['target']}] {data['q']}"}


class DeepLStandIn(StandIn):
    def handle(self, path: str, headers: dict[str, str], raw: str) -> tuple[int, dict[str, Any]]:
        form = {k: v[0] for k, v in parse_qs(raw).items()}
        self.requests.append({"path": path, "form": form, "auth": headers.get("Authorization")})
        if headers.get("Authorization") != "DeepL-Auth-Key test-key":
            return 403, {"message": "Forbidden"}
        return 200, {"translations": [{"detected_source_language": form["source_lang"],
                                       "text": f"[{form['target_lang']}] {form['text']}"}]}


if __name__ == "__main__":
    # A Twilio stand-in in its own process (for bench/fanout.py): prints its URL, serves until killed.
    import os
    import sys

    standin = TwilioStandIn(sys.argv[1], sys.argv[2])
    standin.requests = _CountOnly()  # type: ignore[assignment]
    print(standin.url, flush=True)
    # Pre-fork: several processes accept on the one listening socket, like a real API's many servers.
    for _ in range(int(sys.argv[3]) - 1 if len(sys.argv) > 3 else 0):
        if os.fork() == 0:
            break
    standin.server.serve_forever()
