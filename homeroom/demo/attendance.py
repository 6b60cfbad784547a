"""The demo district's attendance so far this school year: written as a student information system exports it
(docs/data-formats.md) and imported through the attendance importer, so that the portal's attendance page, the
dashboards and the outreach tasks show what a district would see.

Most days every student is present; most students miss a day now and then, some miss more, and one in ten misses
far more (chronically absent). Some families have sent a note for an absence, some not yet.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from homeroom.attendance.evaluation import Calendars
from homeroom.attendance.importers.run import import_attendance
from homeroom.attendance.models import StudentAttendance
from homeroom.demo.generator import default_school_year
from homeroom.roster.models import District, Student

HEADER = ["studentSourcedId", "date", "status", "reasonCode", "documentationReceived", "documentationType"]
FIRST_DAY = (8, 27)  # the demo's school year starts on August 27 (demo.layout.plan_sessions)
# How often a student misses school, and how many students miss that often (in hundredths): about one student in
# nine ends up chronically absent (many districts have more).
ABSENCE_RATES = (0.01, 0.04, 0.08, 0.17)
ABSENCE_WEIGHTS = (55, 25, 10, 10)
REASONS = ("illness", "illness", "family", "")


class DemoAttendanceRefused(ValueError):
    """The attendance importer refused the demo's file (a bug in this module or the importer)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class DemoAttendance:
    rows: int  # 0: no school day yet this school year
    students: int
    chronic: int = 0


def load_demo_attendance(district: District, folder: Path, *, today: date, seed: int = 1) -> DemoAttendance:
    """Write this school year's attendance up to yesterday into `folder` and import it (DemoAttendanceRefused if
    the importer refuses the file)."""
    path = folder / "attendance.csv"
    rows, students = write_attendance(path, district=district, today=today, seed=seed)
    if not rows:
        return DemoAttendance(0, 0)
    report = import_attendance(path, district=district, today=today)
    if not report.ok:
        raise DemoAttendanceRefused([str(problem) for problem in report.errors[:20]])
    chronic = StudentAttendance.objects.filter(district=district, chronic=True, is_current=True).count()
    return DemoAttendance(rows, students, chronic)


def write_attendance(path: Path, *, district: District, today: date, seed: int = 1) -> tuple[int, int]:
    """Each active student's school days from the first day of this school year to yesterday, a row each: (rows,
    students). The same arguments give the same file; a later `today` adds days (and the notes received since)."""
    first = date(default_school_year(today), *FIRST_DAY)
    days = [first + timedelta(days=n) for n in range(max((today - first).days, 0))]
    calendars = Calendars(district.pk)
    students = Student.objects.filter(district=district, is_active=True, school__isnull=False).order_by("pk")
    rows = written_students = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for sourced_id, school_id in students.values_list("sourced_id", "school_id"):
            rng = random.Random(f"{seed}:{sourced_id}")  # a student's days do not depend on the others'
            rate = rng.choices(ABSENCE_RATES, weights=ABSENCE_WEIGHTS)[0]
            is_school_day = calendars[school_id]
            school_days = [day for day in days if is_school_day(day)]
            writer.writerows(_row(rng, sourced_id, day, rate, today) for day in school_days)
            rows += len(school_days)
            written_students += bool(school_days)
    return rows, written_students


def _row(rng: random.Random, sourced_id: str, day: date, rate: float, today: date) -> list[str]:
    roll, reason, delay, kind = rng.random(), rng.choice(REASONS), rng.randint(1, 6), rng.random()
    if roll < rate:
        received = day + timedelta(days=delay)
        if reason and received < today and kind < 0.7:  # some families have sent a note, some not yet
            return [sourced_id, day.isoformat(), "absent full day", reason, received.isoformat(),
                    "medical" if reason == "illness" and kind < 0.2 else "parent"]
        return [sourced_id, day.isoformat(), "absent full day", reason, "", ""]
    if roll < rate + 0.015:
        return [sourced_id, day.isoformat(), "tardy", "", "", ""]
    return [sourced_id, day.isoformat(), "present", "", "", ""]
