"""The providers' HTTP/1.1 client against a raw loopback server: keep-alive, closed connections, body framings."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from homeroom.messaging.providers import http11
from homeroom.messaging.providers.http11 import HttpClient, HttpError


class RawServer:
    """Answers each request with the next of `answers` (raw bytes); `close_after` closes the connection
    after that many requests on it, without saying so, as a server dropping an idle keep-alive does."""

    def __init__(self, answers: list[bytes], close_after: int = 0) -> None:
        self.answers, self.close_after = answers, close_after
        self.connections = 0
        self.requests: list[bytes] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        served, buffer = 0, b""
        with conn:
            while chunk := conn.recv(65536):
                buffer += chunk
                while b"\r\n\r\n" in buffer:
                    head, _, rest = buffer.partition(b"\r\n\r\n")
                    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                                   if line.lower().startswith(b"content-length:")), 0)
                    if len(rest) < length:
                        break
                    self.requests.append(head + b"\r\n\r\n" + rest[:length])
                    buffer = rest[length:]
                    conn.sendall(self.answers[min(len(self.requests), len(self.answers)) - 1])
                    served += 1
                    if self.close_after and served >= self.close_after:
                        return


@pytest.fixture
def client_for() -> Iterator:
    clients: list[HttpClient] = []

    def make(server: RawServer) -> HttpClient:
        clients.append(HttpClient(server.url, headers={"Authorization": "Basic x"}, timeout=5))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


OK = b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"sid\": 1}\n"


def test_successive_requests_share_one_keep_alive_connection(client_for):
    server = RawServer([OK])
    client = client_for(server)
    for _ in range(3):
        response = client.request("POST", "/Messages.json", b"To=%2B1", "application/x-www-form-urlencoded")
        assert (response.status, response.body) == (201, b'{"sid": 1}\n')
    assert server.connections == 1
    assert server.requests[0].startswith(b"POST /Messages.json HTTP/1.1\r\n")
    assert b"Authorization: Basic x\r\n" in server.requests[0] and server.requests[0].endswith(b"\r\n\r\nTo=%2B1")


def test_an_idle_connection_the_server_dropped_is_replaced_before_the_next_request(client_for, monkeypatch):
    monkeypatch.setattr(http11, "FRESH_SECONDS", 0.0)  # every connection counts as idle: always checked
    server = RawServer([OK], close_after=1)
    client = client_for(server)
    assert client.request("GET", "/a").status == 201
    threading.Event().wait(0.2)  # the server's close reaches the client's socket
    assert client.request("GET", "/b").status == 201
    assert server.connections == 2


def test_a_recently_used_connection_is_reused_without_the_check(client_for, monkeypatch):
    calls = []
    monkeypatch.setattr(http11.select, "select", lambda *a: calls.append(a) or ([], [], []))
    server = RawServer([OK])
    client = client_for(server)
    client.request("GET", "/a")
    client.request("GET", "/b")
    assert calls == []  # used a moment ago: no system call to check it
    monkeypatch.setattr(http11, "FRESH_SECONDS", -1.0)
    client.request("GET", "/c")
    assert len(calls) == 1


def test_connection_close_and_chunked_bodies(client_for):
    chunked = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
               b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
    server = RawServer([chunked, OK])
    client = client_for(server)
    assert client.request("GET", "/a").body == b"hello world"
    assert client.request("GET", "/b").status == 201
    assert server.connections == 2  # the first answer said close


def test_a_server_that_hangs_up_mid_answer_is_an_error():
    server = RawServer([b"HTTP/1.1 201 Created\r\nContent-Length: 50\r\n\r\n{\"sid\""], close_after=1)
    client = HttpClient(server.url, headers={}, timeout=5)
    with pytest.raises(HttpError):
        client.request("POST", "/Messages.json", b"x", "text/plain")
