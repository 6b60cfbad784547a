"""URL × role rules for the school calendar page (district administrators only)."""

from tests.access import Rule, expect_all


def _closure(world):
    from homeroom.schoolcalendar.services import closure_create
    from tests.contacts.helpers import aware

    return closure_create(district=world.district, start_date=aware(2025, 12, 24).date(), reason="Winter break")


POSTED = expect_all(403, anonymous=302, admin=302)

RULES = {
    "schoolcalendar:manage": Rule(expect=expect_all(403, anonymous=302, admin=200)),
    "schoolcalendar:year_add": Rule(
        method="post",
        data=lambda w: {"year-label": "2025–26", "year-start_date": "2025-08-27", "year-end_date": "2026-06-12"},
        expect=POSTED,
    ),
    "schoolcalendar:closure_delete": Rule(method="post", kwargs=lambda w: {"pk": _closure(w).pk}, expect=POSTED),
    "schoolcalendar:import": Rule(method="post", expect=expect_all(403, anonymous=302, admin=400)),
}
