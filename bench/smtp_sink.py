"""An SMTP server on loopback that accepts every email and keeps none: bench/fanout.py's email provider.

    python bench/smtp_sink.py      # prints its port, serves until killed

It runs in its own process, as a district's mail relay or an ESP's SMTP endpoint would, so an email's
hand-over costs what it costs on the wire (MAIL FROM, RCPT TO, DATA on a kept-open connection) without
sharing the sender's interpreter.

It is a lean asyncio protocol that answers each command and reads DATA up to its closing dot, nothing more:
an instant provider, as the benchmark's step 2 wants. (aiosmtpd, used before, parsed every command and
envelope and took about 0.5 ms of CPU per email, a third of the engine's own cost per email, on the same
two cores.) The provider floor and the send both hand their emails to this same sink.
"""

from __future__ import annotations

import asyncio
import socket

END_OF_DATA = b"\r\n.\r\n"
GREETING = b"220 sink ESMTP ready\r\n"
EHLO_REPLY = b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
REPLIES = {b"HELO": b"250 sink\r\n", b"MAIL": b"250 OK\r\n", b"RCPT": b"250 OK\r\n", b"RSET": b"250 OK\r\n",
           b"NOOP": b"250 OK\r\n", b"DATA": b"354 End data with <CR><LF>.<CR><LF>\r\n", b"EHLO": EHLO_REPLY}


class Session(asyncio.Protocol):
    def __init__(self) -> None:
        self.buffer = b""
        self.in_data = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.transport.write(GREETING)  # type: ignore[union-attr]

    def data_received(self, data: bytes) -> None:
        searched = len(self.buffer)  # what an earlier call already searched for the end of a message
        self.buffer += data
        out = []
        while True:
            if self.in_data:
                # The message ends with a line holding a lone dot (right away for an empty message). A message
                # that came in several pieces is searched from the last piece on (less the end's length).
                if self.buffer.startswith(b".\r\n"):
                    consumed = 3
                else:
                    end = self.buffer.find(END_OF_DATA, max(0, searched - len(END_OF_DATA)))
                    if end < 0:
                        break
                    consumed = end + len(END_OF_DATA)
                self.buffer = self.buffer[consumed:]
                searched = 0
                self.in_data = False
                out.append(b"250 OK queued\r\n")
                continue
            line_end = self.buffer.find(b"\r\n")
            if line_end < 0:
                break
            verb = self.buffer[:4].upper()
            self.buffer = self.buffer[line_end + 2 :]
            searched = 0
            if verb == b"QUIT":
                out.append(b"221 Bye\r\n")
                self.transport.write(b"".join(out))  # type: ignore[union-attr]
                self.transport.close()  # type: ignore[union-attr]
                return
            out.append(REPLIES.get(verb, b"502 Command not implemented\r\n"))
            self.in_data = verb == b"DATA"
        if out:
            self.transport.write(b"".join(out))  # type: ignore[union-attr]


async def serve() -> None:
    server = await asyncio.get_running_loop().create_server(Session, "127.0.0.1", 0, backlog=256)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(serve())
