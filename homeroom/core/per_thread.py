"""One object per thread and key, made on first use: for HTTP clients that threads must not share.

httpcore 1.0.9's connection pool, shared by threads, can close a connection another thread has just sent a
request on. It checks that the connection is idle, the other thread starts, the answer arrives, and the check
then finds the socket readable and takes it for the server hanging up (encode/httpcore#1110). So each thread
keeps its own keep-alive client (Twilio's, the translator's), kept from one request to the next.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
_local = threading.local()


def per_thread(key: Hashable, make: Callable[[], T]) -> T:
    """This thread's object for `key` (name the caller in it), made with `make()` the first time."""
    made: dict[Hashable, Any] = _local.__dict__.setdefault("made", {})
    if key not in made:
        made[key] = make()
    return made[key]  # type: ignore[no-any-return]
