"""Builders for attendance tests: school days, a day's row, an attendance CSV, an import as of a given day."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from homeroom.attendance.classify import Day, Document
from homeroom.attendance.importers.run import AttendanceReport, import_attendance

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
