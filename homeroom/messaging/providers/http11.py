"""A small HTTP/1.1 client for provider APIs: keep-alive per thread, HTTPS, CONNECT proxies, no retries.

Why not `requests` or `http.client`: in a fan-out of 80,000 texts and calls, their per-call work (request
preparation, header parsing through the `email` package) cost more CPU than everything else in a send. This
speaks only what a JSON API needs: one request written in one `sendall`, a response read by Content-Length,
chunked transfer coding, or to the end of the connection.
"""

from __future__ import annotations

import base64
import select
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

MAX_LINE = 65536
MAX_HEADERS = 100
# A keep-alive connection used less than this long ago is reused without first checking that the server has
# not closed it: servers keep idle connections for many seconds, and the check is a system call per request.
FRESH_SECONDS = 1.0


class HttpError(OSError):
    """The connection failed or the server broke the protocol.

    `written` is True once the whole request went out: the server may then have acted on it (a POST taken
    before a timeout or a reset), and only asking it can tell. False means it cannot have been acted on.
    """

    def __init__(self, message: str, *, written: bool = False) -> None:
        super().__init__(message)
        self.written = written


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # lower-case names; a repeated header keeps its last value
    body: bytes


@dataclass
class _Connection:
    sock: socket.socket
    reader: BinaryIO
    used_at: float = 0.0  # time.monotonic() of the last complete response


class HttpClient:
    """One keep-alive connection per thread to one origin (`https://host[:port][/prefix]`)."""

    def __init__(
        self,
        base: str,
        *,
        headers: dict[str, str],
        timeout: float,
        proxy: str = "",
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        parts = urlsplit(base)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if self.https else 80)
        self.prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self.proxy = proxy
        self.ssl_context = ssl_context or (ssl.create_default_context() if self.https else None)
        default_port = self.port == (443 if self.https else 80)
        host_header = self.host if default_port else f"{self.host}:{self.port}"
        self.fixed_headers = "".join(f"{k}: {v}\r\n" for k, v in {"Host": host_header, **headers}.items())
        self.local = threading.local()

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> Response:
        """Send one request and read its response; raises HttpError when the exchange fails."""
        conn = self._connection()
        head = f"{method} {self.prefix}{path} HTTP/1.1\r\n{self.fixed_headers}"
        if body is not None:
            head += f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        written = False
        try:
            conn.sock.sendall(head.encode("latin-1") + b"\r\n" + (body or b""))
            written = True
            response, keep = _read_response(conn.reader, method)
        except (OSError, ValueError) as exc:
            self.close()
            raise HttpError(f"{type(exc).__name__}: {exc}", written=written) from exc
        if not keep:
            self.close()
        conn.used_at = time.monotonic()
        return response

    def close(self) -> None:
        conn: _Connection | None = getattr(self.local, "conn", None)
        self.local.conn = None
        if conn is not None:
            try:
                conn.reader.close()
                conn.sock.close()
            except OSError:
                pass

    def _connection(self) -> _Connection:
        conn: _Connection | None = getattr(self.local, "conn", None)
        if (conn is not None and time.monotonic() - conn.used_at > FRESH_SECONDS
                and select.select([conn.sock], [], [], 0)[0]):
            self.close()  # an idle keep-alive socket that is readable has been closed by the server
            conn = None
        if conn is None:
            try:
                conn = self._open()
            except OSError as exc:
                raise HttpError(f"{type(exc).__name__}: {exc}") from exc
            self.local.conn = conn
        return conn

    def _open(self) -> _Connection:
        if self.proxy:
            proxy = urlsplit(self.proxy)
            sock = socket.create_connection((proxy.hostname or "", proxy.port or 80), timeout=self.timeout)
            _tunnel(sock, self.host, self.port, proxy.username or "", proxy.password or "")
        else:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.ssl_context is not None:
            sock = self.ssl_context.wrap_socket(sock, server_hostname=self.host)
        return _Connection(sock, sock.makefile("rb"))


def _tunnel(sock: socket.socket, host: str, port: int, user: str, password: str) -> None:
    """Ask an HTTP proxy for a CONNECT tunnel to host:port."""
    auth = ""
    if user:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        auth = f"Proxy-Authorization: Basic {token}\r\n"
    sock.sendall(f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n{auth}\r\n".encode("latin-1"))
    reader = sock.makefile("rb")
    try:
        status, _headers = _read_head(reader)
    finally:
        reader.close()  # the socket stays open; the tunnel's bytes are read through a new file
    if status != 200:
        raise OSError(f"the proxy refused the tunnel (HTTP {status})")


def _read_head(reader: BinaryIO) -> tuple[int, dict[str, str]]:
    """Status and headers; an HTTP/1.0 answer without keep-alive is marked `connection: close`."""
    line = reader.readline(MAX_LINE + 1)
    if not line:
        raise ConnectionError("the server closed the connection without answering")
    version, _, rest = line.decode("latin-1").partition(" ")
    if not version.startswith("HTTP/1."):
        raise ValueError(f"not an HTTP/1.x status line: {line[:40]!r}")
    status = int(rest[:3])
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADERS):
        line = reader.readline(MAX_LINE + 1)
        if line in (b"\r\n", b"\n", b""):
            if version == "HTTP/1.0" and headers.get("connection", "").lower() != "keep-alive":
                headers["connection"] = "close"
            return status, headers
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    raise ValueError("too many response headers")


def _read_response(reader: BinaryIO, method: str) -> tuple[Response, bool]:
    """The response and whether the connection may be reused."""
    status, headers = _read_head(reader)
    while 100 <= status < 200:  # interim responses (100 Continue) carry no body
        status, headers = _read_head(reader)
    keep = headers.get("connection", "").lower() != "close"
    if method == "HEAD" or status in (204, 304):
        body = b""
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        body = _read_chunked(reader)
    elif "content-length" in headers:
        length = int(headers["content-length"])
        body = reader.read(length)
        if len(body) != length:
            raise ConnectionError("the server closed the connection mid-response")
    else:
        body, keep = reader.read(), False  # delimited by the end of the connection
    return Response(status, headers, body), keep


def _read_chunked(reader: BinaryIO) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int(reader.readline(MAX_LINE + 1).split(b";")[0].strip() or b"x", 16)
        if size == 0:
            while reader.readline(MAX_LINE + 1) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return b"".join(parts)
        chunk = reader.read(size)
        if len(chunk) != size:
            raise ConnectionError("the server closed the connection mid-chunk")
        parts.append(chunk)
        reader.readline(MAX_LINE + 1)
