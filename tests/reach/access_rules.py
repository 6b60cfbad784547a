"""URL × role rules for the reach page (walked by tests/test_url_access.py).

The district page is for district administrators only; a school's page for its principal, social workers and
school staff, and the district administrator. Teachers and case managers are refused (403); another school is
missing (404)."""

from __future__ import annotations

from typing import Any

from tests.access import Rule, staff_only
from tests.actors import World


def _lincoln(w: World) -> dict[str, Any]:
    return {"pk": w.lincoln.pk}


def _washington(w: World) -> dict[str, Any]:
    return {"pk": w.washington.pk}


DISTRICT = staff_only(403, admin=200)
LINCOLN = staff_only(403, admin=200, principal=200)
WASHINGTON = staff_only(403, admin=200, principal=404)

RULES = {
    "reach:index": Rule(expect=staff_only(403, admin=302, principal=302)),
    "reach:district": Rule(expect=DISTRICT),
    "reach:district_csv": Rule(expect=DISTRICT),
    "reach:school": Rule(kwargs=_lincoln, expect=LINCOLN),
    "reach:school_csv": Rule(kwargs=_lincoln, expect=LINCOLN),
}

VARIANTS = {
    "reach:school": [
        Rule(kwargs=_washington, expect=WASHINGTON),
        Rule(kwargs=_lincoln, query=lambda w: {"view": "two_way"}, expect=LINCOLN, hidden=lambda w: ["Liam"]),
    ],
    "reach:school_csv": [Rule(kwargs=_washington, expect=WASHINGTON)],
    "reach:district": [Rule(query=lambda w: {"view": "two_way", "page": "2"}, expect=DISTRICT)],
}
