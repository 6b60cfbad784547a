"""Benchmark: a district's year of daily attendance, imported and evaluated, against a raw copy of the same CSV.

    .venv/bin/python bench/attendance.py [--rows 20000000] [--day-rows 100000]

The issue's target is 20 million rows (about 111,000 students × 180 school days) on PostgreSQL; `--rows` scales
it down to what the machine and the time allow. Runs on a fresh SQLite database, and on PostgreSQL when
DATABASE_URL is set. Measured, in one run on one connection:

- reference: the same CSV rows copied raw into a text staging table (COPY on PostgreSQL, executemany on SQLite);
- a second, printed only: one pass of Python's csv reader over the file, the least any check of each row costs;
- the year's import with the evaluation of every student (budget ≤ 10× the reference), and the process's peak
  memory (the import streams: it must not grow with the file);
- a day's import (`--day-rows` rows, a new school day) with its re-evaluation (budget ≤ 30 s);
- the district and school dashboards (budget p95 ≤ 200 ms).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from backends import run_per_backend

ROOT = Path(__file__).resolve().parents[1]
BUDGET_RATIO = 10.0
BUDGET_DAY_SECONDS = 30.0
BUDGET_DASHBOARD_P95_MS = 200.0
SCHOOL_DAYS = 180
STUDENTS_PER_SCHOOL = 500
FIRST_DAY = date(2025, 8, 27)
HEADER = ["studentSourcedId", "date", "status", "reasonCode", "documentationReceived", "documentationType"]


def school_days(count: int) -> list[date]:
    days, day = [], FIRST_DAY
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def row_for(rng: random.Random, student: int, day: date) -> list[str]:
    """Mostly present; a tenth of students miss far more school than the rest (the chronically absent)."""
    heavy = student % 10 == 0
    roll = rng.random()
    if roll < (0.12 if heavy else 0.03):
        documented = rng.random() < 0.5
        return [f"s-{student}", day.isoformat(), "absent full day", rng.choice(["illness", "family", ""]),
                day.isoformat() if documented else "", "parent" if documented else ""]
    if roll < (0.14 if heavy else 0.05):
        return [f"s-{student}", day.isoformat(), rng.choice(["tardy", "early dismissal", "absent half day"]), "",
                "", ""]
    return [f"s-{student}", day.isoformat(), "present", "", "", ""]


def write_year(path: Path, students: int, days: list[date]) -> int:
    rng = random.Random(16)
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for day in days:
            for student in range(students):
                writer.writerow(row_for(rng, student, day))
                count += 1
    return count


def write_day(path: Path, students: int, day: date) -> int:
    rng = random.Random(day.toordinal())
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for student in range(students):
            writer.writerow(row_for(rng, student, day))
    return students


def raw_copy(path: Path) -> float:
    """The reference: every CSV row copied as text into a staging table, in one transaction."""
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS staging_attendance")
        cursor.execute("CREATE TABLE staging_attendance (" + ", ".join(f"c{i} text" for i in range(len(HEADER)))
                       + ")")
        if connection.vendor == "postgresql":
            with path.open("rb") as handle, cursor.cursor.copy(
                    "COPY staging_attendance FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
        else:
            with path.open(newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                next(reader)
                sql = f"INSERT INTO staging_attendance VALUES ({', '.join(['%s'] * len(HEADER))})"
                batch: list[list[str]] = []
                for row in reader:
                    batch.append(row)
                    if len(batch) >= 5000:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
    return time.perf_counter() - start


def csv_pass(path: Path) -> float:
    """One pass of Python's csv reader over the file, doing nothing with the rows."""
    start = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as handle:
        for _row in csv.reader(handle):
            pass
    return time.perf_counter() - start


def make_district(students: int):  # type: ignore[no-untyped-def]
    from homeroom.core.models import Role, User
    from homeroom.roster.models import District, School, Staff, StaffRole, Student

    district = District.objects.create(name="Bench District", slug="bench")
    schools = School.objects.bulk_create(
        [School(district=district, name=f"School {i}", sourced_id=f"sch-{i}")
         for i in range(max(1, students // STUDENTS_PER_SCHOOL))])
    Student.objects.bulk_create(
        [Student(district=district, school=schools[(i // STUDENTS_PER_SCHOOL) % len(schools)], sourced_id=f"s-{i}",
                 given_name="Student", family_name=str(i), grade=f"{i % 12 + 1:02d}", english_learner=i % 7 == 0)
         for i in range(students)], batch_size=5000)
    user = User.objects.create_user(email="admin@bench.example", password=None)
    staff = Staff.objects.create(district=district, user=user, given_name="Dana", family_name="Admin")
    StaffRole.objects.create(staff=staff, role=Role.DISTRICT_ADMIN)
    return district, schools, user


def p95_ms(call, repeat: int = 40) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.quantiles(samples, n=20)[-1]


def run_backend(rows: int, day_rows: int) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeroom.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db import connection

    from homeroom.attendance import selectors
    from homeroom.attendance.importers.run import import_attendance
    from homeroom.attendance.models import AttendanceRecord, OutreachTask, StudentAttendance

    days = school_days(SCHOOL_DAYS + 1)
    year, next_day = days[:-1], days[-1]
    students = max(1, rows // SCHOOL_DAYS)
    day_rows = min(day_rows, students)
    with tempfile.TemporaryDirectory() as tmp:
        year_file, day_file = Path(tmp) / "attendance.csv", Path(tmp) / "day.csv"
        started = time.perf_counter()
        written = write_year(year_file, students, year)
        write_day(day_file, day_rows, next_day)
        print(f"generated {written:,} rows ({students:,} students × {len(year)} days) in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            district, schools, admin = make_district(students)
            reference = raw_copy(year_file)
            reading = csv_pass(year_file)
            started = time.perf_counter()
            report = import_attendance(year_file, district=district, today=year[-1])
            seconds = time.perf_counter() - started
            if not report.ok:
                print("import rejected:", *[str(p) for p in report.errors[:10]], sep="\n  ")
                return 2
            started = time.perf_counter()
            again = import_attendance(year_file, district=district, today=year[-1])
            again_seconds = time.perf_counter() - started
            started = time.perf_counter()
            daily = import_attendance(day_file, district=district, today=next_day)
            day_seconds = time.perf_counter() - started
            stored = (AttendanceRecord.objects.count(), StudentAttendance.objects.count(),
                      StudentAttendance.objects.filter(chronic=True).count(), OutreachTask.objects.count())
            admin.refresh_from_db()
            district_p95 = p95_ms(lambda: selectors.dashboard(admin, district_id=district.pk, today=next_day))
            school_p95 = p95_ms(lambda: selectors.dashboard(admin, district_id=district.pk, school=schools[0],
                                                             today=next_day))
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    ratio = seconds / reference
    ok = ratio <= BUDGET_RATIO and day_seconds <= BUDGET_DAY_SECONDS and max(district_p95,
                                                                               school_p95) <= BUDGET_DASHBOARD_P95_MS
    print(f"backend: {connection.vendor}; rows / summaries / chronically absent / outreach tasks: {stored}")
    print(f"raw copy of the same CSV (reference): {reference:.1f} s")
    print(f"one csv-reader pass over the file: {reading:.1f} s")
    print(f"year import + evaluation of {report.evaluation.get('students', 0):,} students: {seconds:.1f} s = "
          f"{ratio:.1f}× the reference (budget ≤ {BUDGET_RATIO:.0f}×), {seconds / reading:.1f}× the csv pass")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:,.0f} MB")
    print(f"re-import of the same year (unchanged={again.unchanged}): {again_seconds:.1f} s")
    print(f"a day's import ({day_rows:,} rows) + re-evaluation: {day_seconds:.1f} s "
          f"(budget ≤ {BUDGET_DAY_SECONDS:.0f} s; {daily.evaluation.get('students', 0):,} students re-evaluated)")
    print(f"dashboard p95: district {district_p95:.0f} ms, school {school_p95:.0f} ms "
          f"(budget ≤ {BUDGET_DASHBOARD_P95_MS:.0f} ms)")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--day-rows", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.backend:
        return run_backend(args.rows, args.day_rows)
    return run_per_backend(__file__, ["--rows", str(args.rows), "--day-rows", str(args.day_rows)])


if __name__ == "__main__":
    sys.exit(main())
