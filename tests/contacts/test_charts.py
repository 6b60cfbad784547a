"""Charts on the monthly log and "My week": contacts per week as server-drawn SVG with the same figures in a table."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tests.contacts.helpers import aware, log_contact
from tests.messaging.html_tables import html_table


def test_the_monthly_log_counts_contacts_per_week_of_the_month(client_for, world):
    # October 2025 starts on a Wednesday: its weeks begin Sept 29, Oct 6, 13, 20 and 27.
    log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], when=aware(2025, 10, 3, 15))
    log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], when=aware(2025, 10, 5, 20))
    log_contact(world.teacher, students=[world.mateo], guardians=[world.rosa], when=aware(2025, 10, 22, 9))
    log_contact(world.teacher, students=[world.mateo], guardians=[world.rosa], when=aware(2025, 11, 1, 9))
    response = client_for("teacher").get(reverse("contacts:monthly_log"), {"month": "2025-10"})
    weekly = response.context["weekly"]
    assert [(w.monday.isoformat(), w.contacts) for w in weekly.weeks] == [
        ("2025-09-29", 2), ("2025-10-06", 0), ("2025-10-13", 0), ("2025-10-20", 1), ("2025-10-27", 0)]
    html = response.content.decode()
    assert '<svg role="img" aria-labelledby="chart-weeks-title chart-weeks-desc"' in html
    table = html_table(html, "chart-weeks-table")
    assert [row[0] for row in table.rows.values()] == ["2", "0", "0", "1", "0"]


def test_my_week_shows_the_staff_members_own_contacts_for_eight_weeks(client_for, world):
    log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], when=timezone.now())
    log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], when=timezone.now())
    response = client_for("teacher").get(reverse("contacts:my_week"))
    weekly = response.context["week"].weekly
    assert len(weekly.weeks) == 8
    assert [w.contacts for w in weekly.weeks] == [0] * 7 + [1]
    html = response.content.decode()
    assert 'aria-labelledby="chart-my-weeks-title chart-my-weeks-desc"' in html
    assert html_table(html, "chart-my-weeks-table").caption
