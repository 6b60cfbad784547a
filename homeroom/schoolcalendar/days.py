"""Counting school days: weekends, closures and the gaps between school years are not school days."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# Dates past this many steps mean a broken calendar (say, a closure covering years); fail loudly.
_MAX_STEPS = 3700
_local = threading.local()


@dataclass(frozen=True)
class Calendar:
    """The closed dates and school years of one school (district-wide rows included)."""

    closed: frozenset[date] = frozenset()
    years: tuple[tuple[date, date], ...] = ()

    def is_school_day(self, day: date) -> bool:
        if day.weekday() >= 5 or day in self.closed:
            return False
        # Between the first and last known school years, only days inside a year count (summer is off);
        # outside every known year we assume an ordinary weekday calendar rather than refuse to count.
        if self.years and self.years[0][0] <= day <= self.years[-1][1]:
            return any(start <= day <= end for start, end in self.years)
        return True


WEEKDAYS_ONLY = Calendar()


def clear_cache() -> None:
    """Forget loaded calendars: called at the start of each request, each task, and after every write."""
    _local.calendars = {}


def _cache() -> dict[tuple[int, int | None], Calendar]:
    calendars = getattr(_local, "calendars", None)
    if calendars is None:
        calendars = _local.calendars = {}
    return calendars


def calendar_for(school: Any = None, *, district_id: int | None = None) -> Calendar:
    """The calendar of a school (a School, or None with district_id for the district-wide one); cached."""
    from homeroom.schoolcalendar.models import Closure, SchoolCalendar

    school_id = getattr(school, "pk", None)
    if school is not None:
        district_id = school.district_id
    if district_id is None:
        return WEEKDAYS_ONLY
    key = (district_id, school_id)
    cache = _cache()
    if key in cache:
        return cache[key]
    closed: set[date] = set()
    closures = Closure.objects.filter(district_id=district_id, school__isnull=True)
    if school_id is not None:
        closures = closures | Closure.objects.filter(district_id=district_id, school_id=school_id)
    for start, end in closures.values_list("start_date", "end_date"):
        day = start
        while day <= end:
            closed.add(day)
            day += timedelta(days=1)
    years: list[tuple[date, date]] = []
    if school_id is not None:
        years = list(SchoolCalendar.objects.filter(school_id=school_id).values_list("start_date", "end_date"))
    if not years:
        years = list(
            SchoolCalendar.objects.filter(district_id=district_id, school__isnull=True).values_list(
                "start_date", "end_date"
            )
        )
    calendar = Calendar(closed=frozenset(closed), years=tuple(sorted(years)))
    cache[key] = calendar
    return calendar


def add_school_days(school: Any, day: date, n: int, *, district_id: int | None = None) -> date:
    """The date n school days after `day` (before, for negative n); n=0 gives `day` or the next school day."""
    calendar = calendar_for(school, district_id=district_id)
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    current = day
    if n == 0:
        for _ in range(_MAX_STEPS):
            if calendar.is_school_day(current):
                return current
            current += step
        raise ValueError("no school day found within ten years")
    for _ in range(_MAX_STEPS):
        current += step
        if calendar.is_school_day(current):
            remaining -= 1
            if remaining == 0:
                return current
    raise ValueError("no school day found within ten years")


def school_days_between(school: Any, start: date, end: date, *, district_id: int | None = None) -> int:
    """School days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -school_days_between(school, end, start, district_id=district_id)
    calendar = calendar_for(school, district_id=district_id)
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if calendar.is_school_day(day):
            count += 1
        day += timedelta(days=1)
    return count


def is_school_day(school: Any, day: date, *, district_id: int | None = None) -> bool:
    return calendar_for(school, district_id=district_id).is_school_day(day)
