"""A number that changes whenever an import changes the roster, for caches of figures computed over a whole scope
(the monthly log's families in scope): a key holding it is never read after the roster it was counted from."""

from __future__ import annotations

import time

from django.core.cache import cache

KEY = "roster:generation"


def current() -> int:
    return int(cache.get(KEY) or 0)


def bump() -> int:
    value = time.time_ns()
    cache.set(KEY, value, None)
    return value
