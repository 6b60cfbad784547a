from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth keeps its rate-limit counters in the cache; every test starts (and leaves) with none."""
    cache.clear()
    yield
    cache.clear()
