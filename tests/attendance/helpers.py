"""Builders for attendance tests: school days, a day's row, an attendance CSV, an import as of a given day."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from homeroom.attendance import present_days
from homeroom.attendance.classify import Day, Document
from homeroom.attendance.importers.run import AttendanceReport, import_attendance
from homeroom.attendance.models import AttendanceRecord, PresentDays

HEADER = "studentSourcedId,date,status,reasonCode,documentationReceived,documentationType"
SCHOOL = 1


def weekdays(start: date, count: int) -> list[date]:
    """`count` weekdays from `start` (inclusive)."""
    days: list[date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def is_weekday(day: date) -> bool:
    return day.weekday() < 5


def present(day: date, school: int = SCHOOL) -> Day:
    return Day(day, school, "present")


def absent(day: date, reason: str = "", note: date | None = None, kind: str = "parent",
           school: int = SCHOOL) -> Day:
    return Day(day, school, "absent_full", reason, documents=[Document(kind, note)] if note else [])


def csv_bytes(rows: Iterable[Iterable[Any]], header: str = HEADER) -> io.BytesIO:
    lines = [header] + [",".join("" if v is None else str(v) for v in row) for row in rows]
    handle = io.BytesIO(("\n".join(lines) + "\n").encode())
    handle.name = "attendance.csv"
    return handle


def run_import(world: Any, rows: Iterable[Iterable[Any]], *, today: date, dry_run: bool = False,
               header: str = HEADER) -> AttendanceReport:
    return import_attendance(csv_bytes(rows, header), district=world.district, today=today, dry_run=dry_run)


def stored_days(student: Any = None) -> dict[tuple[int, date], tuple[int, str]]:
    """(student id, day) → (school id, status) of every day stored, as an attendance row or a PresentDays "1".
    Fails if a day is stored twice (the importer keeps each in one place)."""
    records = AttendanceRecord.objects.all() if student is None else AttendanceRecord.objects.filter(student=student)
    years = PresentDays.objects.all() if student is None else PresentDays.objects.filter(student=student)
    found = {(r.student_id, r.day): (r.school_id, r.status) for r in records}
    assert len(found) == records.count()
    for year in years:
        assert len(year.days) == present_days.LENGTH and "1" in year.days, year.days
        for day in present_days.days_of(year.school_year, year.days):
            assert (year.student_id, day) not in found, f"{day} stored twice"
            found[(year.student_id, day)] = (year.school_id, "present")
    return found
