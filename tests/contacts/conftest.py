from __future__ import annotations

import pytest
from django.utils import translation

from homeroom.schoolcalendar.days import clear_cache


@pytest.fixture(autouse=True)
def _fresh_school_calendar():
    # Calendars are cached per thread between requests; rolled-back tests may reuse primary keys.
    clear_cache()
    translation.activate("en")  # the locale middleware leaves the last request's language active
    yield
    clear_cache()
