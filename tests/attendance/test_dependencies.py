"""Attendance depends on contacts and messaging, never the other way round (no import loop, hidden or not)."""

from __future__ import annotations

import re
from pathlib import Path

import homeroom

APPS = Path(homeroom.__file__).resolve().parent
IMPORTS_ATTENDANCE = re.compile(r"homeroom[./]attendance")


def test_no_app_below_attendance_mentions_it():
    for app in ("core", "roster", "schoolcalendar", "contacts", "messaging"):
        for path in (APPS / app).rglob("*.py"):
            assert not IMPORTS_ATTENDANCE.search(path.read_text(encoding="utf-8")), path


def test_attendance_hands_contacts_its_week_section_and_timeline_entries():
    from homeroom.attendance import selectors
    from homeroom.contacts import timeline, week

    assert selectors.week_section in week._sections
    assert selectors.timeline_items in timeline._registered
