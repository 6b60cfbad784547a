"""An SMTP server on loopback that accepts every email and keeps none: bench/fanout.py's email provider.

    python bench/smtp_sink.py      # prints its port, serves until killed

It runs in its own process, as a district's mail relay or an ESP's SMTP endpoint would, so an email's
hand-over costs what it costs on the wire (MAIL FROM, RCPT TO, DATA on a kept-open connection) without
sharing the sender's interpreter.
"""

from __future__ import annotations

import socket
import threading
from typing import Any

from aiosmtpd.controller import Controller


class Sink:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "250 Message accepted for delivery"


def main() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    print(port, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
