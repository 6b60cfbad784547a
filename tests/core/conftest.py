from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth keeps its rate-limit counters in the cache; every test starts (and leaves) with none.

    The default cache is a database table, rolled back with each test's transaction; any other is cleared.
    """
    cache = caches["default"]
    if isinstance(cache, DatabaseCache):
        yield
        return
    cache.clear()
    yield
    cache.clear()
