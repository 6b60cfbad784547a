"""Benchmark: a district's year of daily attendance, imported and evaluated, against a raw copy of the same CSV.

    DATABASE_URL=postgres://… .venv/bin/python bench/attendance.py [--students 111112] [--reuse]

The issue's budget is for 20 million rows on PostgreSQL: 111,112 students × 180 school days (the default).
`--students` scales it down (the day's file has one row per student, so budget (b) is only measured at full size
with 100,000 students or more, and budget (a) only at 20 million rows or more). Prints the three budget lines and
exits non-zero when one is missed:

- (a) the year's import with the evaluation of every student, as a ratio to a raw COPY of the same CSV into a
  text table timed in the same run (budget ≤ 10×); beside the wall-clock ratio, the ratio of CPU seconds (this
  process plus its PostgreSQL backend, read from /proc), which a loaded machine disturbs far less. A second
  reference is printed beside it: the same COPY followed by one INSERT … SELECT into a table shaped as the
  attendance table (typed, roster ids, its indexes), the least a year must cost to be stored where pages read it;
  and a third: the same with only the rows that are not plain presence, the attendance rows the import stores (the
  plain present days are PresentDays' bits);
- (b) a day's import (one row per student, a new school day) with its re-evaluation (budget ≤ 30 s);
- (c) the district and school dashboards (budget p95 ≤ 200 ms).

The generated CSV files and the built year are kept (files under HOMEROOM_DATA_DIR, the year in the database
`<name>_bench_attendance`): `--reuse` skips generating and importing the year when one of that size is there, and
measures (b) and (c) only, in a transaction rolled back afterwards so that the next run finds the same year
((b)'s time includes the deferred foreign-key checks its commit would have run).
Without DATABASE_URL it runs on a SQLite file, for trying it out only (the budget is PostgreSQL's).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_RATIO = 10.0
BUDGET_DAY_SECONDS = 30.0
BUDGET_DAY_ROWS = 100_000
BUDGET_YEAR_ROWS = 20_000_000
BUDGET_DASHBOARD_P95_MS = 200.0
SCHOOL_DAYS = 180
STUDENTS_PER_SCHOOL = 500
FIRST_DAY = date(2025, 8, 27)
HEADER = ["studentSourcedId", "date", "status", "reasonCode", "documentationReceived", "documentationType"]
BENCH_ENV = {"HOMEROOM_SECRET_KEY": "bench-only-secret-key", "HOMEROOM_DEV_OUTBOX": "1",
             "HOMEROOM_DEV_OUTBOX_REPORTS_DELIVERY": "0", "HOMEROOM_LOG_LEVEL": "WARNING"}


def school_days(count: int) -> list[date]:
    days: list[date] = []
    day = FIRST_DAY
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
    partial = path.with_suffix(".partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for day in days:
            writer.writerows(row_for(rng, student, day) for student in range(students))
            count += students
    partial.rename(path)
    return count


def write_day(path: Path, students: int, day: date) -> int:
    rng = random.Random(day.toordinal())
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for student in range(students):
            writer.writerow(row_for(rng, student, day))
    return students


class CpuClock:
    """CPU seconds of this process and of its database backend (PostgreSQL on this machine: /proc/PID/stat)."""

    def __init__(self) -> None:
        from django.db import connection

        self.backend: int | None = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            if Path(f"/proc/{pid}/stat").exists():
                self.backend = pid

    def __call__(self) -> tuple[float, float]:
        own = resource.getrusage(resource.RUSAGE_SELF)
        server = 0.0
        if self.backend is not None:
            fields = Path(f"/proc/{self.backend}/stat").read_text().rsplit(")", 1)[1].split()
            server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return own.ru_utime + own.ru_stime, server


def timed(clock: CpuClock, call):  # type: ignore[no-untyped-def]
    """(result, wall seconds, CPU seconds of client + server)."""
    wall, (client, server) = time.perf_counter(), clock()
    result = call()
    client_after, server_after = clock()
    return result, time.perf_counter() - wall, (client_after - client) + (server_after - server)


def raw_copy(path: Path, *, keep: bool = False) -> None:
    """The reference: every CSV row copied as text into a staging table, in one transaction (dropped at the end,
    unless `keep`)."""
    from django.db import connection, transaction

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
        if not keep:
            cursor.execute("DROP TABLE staging_attendance")


def stored_copy(path: Path, *, exceptions_only: bool = False) -> None:
    """A second reference, printed beside the first (PostgreSQL only): the same raw COPY, then one INSERT … SELECT
    of every row into a table shaped as the attendance table (typed columns, roster ids, its indexes), which is
    the least an import must do before a page can read a row. No check, no evaluation. The table is a copy, dropped
    afterwards, so the import that follows finds the attendance table as it was.

    `exceptions_only` keeps only the rows that are not plain presence (with no reason or documentation): the rows
    the attendance table holds (a year's plain present days are PresentDays' bit strings, not counted here)."""
    from django.db import connection, transaction

    from homeroom.attendance.importers.parse import STATUS_WORDS
    from homeroom.attendance.models import AttendanceRecord
    from homeroom.roster.models import Student

    raw_copy(path, keep=True)
    words = ", ".join(f"('{word}', '{code}')" for word, code in STATUS_WORDS.items())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_stored_copy")
        cursor.execute(f"CREATE TABLE bench_stored_copy (LIKE {AttendanceRecord._meta.db_table} INCLUDING ALL)")
        cursor.execute(
            "INSERT INTO bench_stored_copy (district_id, student_id, school_id, day, school_year, status, reason, "
            "documentation_received_on, documentation_kind, updated_at) "
            "SELECT st.district_id, st.id, st.school_id, c1::date, extract(year FROM c1::date - interval '6 months'), "
            "w.code, coalesce(lower(c3), ''), nullif(c4, '')::date, coalesce(lower(c5), ''), now() "
            "FROM staging_attendance "
            f"JOIN {Student._meta.db_table} AS st ON st.sourced_id = c0 JOIN (VALUES {words}) AS w (word, code) "
            "ON w.word = lower(c2) "
            + ("WHERE w.code <> 'present' OR coalesce(c3, '') <> '' OR coalesce(c4, '') <> '' " if exceptions_only
               else "")
            + "ORDER BY st.id, c1::date")  # in the index's order, as the importer writes
        cursor.execute("DROP TABLE bench_stored_copy")
        cursor.execute("DROP TABLE staging_attendance")


def csv_pass(path: Path) -> None:
    """One pass of Python's csv reader over the file, doing nothing with the rows."""
    with path.open(newline="", encoding="utf-8") as handle:
        for _row in csv.reader(handle):
            pass


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


def bench_database(vendor: str, *, keep: bool) -> None:
    """Point Django at the bench's own database: kept between runs, or created and migrated afresh."""
    from django.conf import settings
    from django.db import connection

    name = str(settings.DATABASES["default"]["NAME"])
    if not settings.DATABASES["default"]["TEST"].get("NAME"):
        settings.DATABASES["default"]["TEST"]["NAME"] = (
            f"{name}_bench_attendance" if vendor == "postgresql"
            else str(Path(name).with_name(f"{Path(name).stem}_bench_attendance.sqlite3")))
    connection.close()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keep, serialize=False)
    if vendor == "postgresql":
        with connection.cursor() as cursor:  # every CPU second in the backend we read (see CpuClock)
            cursor.execute("SET max_parallel_workers_per_gather = 0")
            cursor.execute("SET max_parallel_maintenance_workers = 0")


def built_year(students: int, source_name: str):  # type: ignore[no-untyped-def]
    """The district, its schools and admin if a year of `students` was imported and evaluated completely."""
    from homeroom.attendance.models import AttendanceImportRun, StudentAttendance
    from homeroom.core.models import User
    from homeroom.roster.models import District, School

    district = District.objects.filter(slug="bench").first()
    if district is None or not AttendanceImportRun.objects.filter(
            district=district, source_name=source_name, result="applied").exists():
        return None
    if StudentAttendance.objects.filter(district=district, is_current=True).count() != students:
        return None
    schools = list(School.objects.filter(district=district).order_by("pk"))
    return district, schools, User.objects.get(email="admin@bench.example")


def run_backend(students: int, school_days_in_year: int, reuse: bool, data_dir: Path) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeroom.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db import connection, transaction

    from homeroom.attendance import selectors
    from homeroom.attendance.importers.run import import_attendance
    from homeroom.attendance.models import AttendanceRecord, PresentDays

    bench_database(connection.vendor, keep=reuse)
    days = school_days(school_days_in_year + 1)
    year, next_day = days[:-1], days[-1]
    data_dir.mkdir(parents=True, exist_ok=True)
    size = f"{students}x{school_days_in_year}"
    year_file, day_file = data_dir / f"year-{size}.csv", data_dir / f"day-{size}.csv"
    if not year_file.exists():
        started = time.perf_counter()
        written = write_year(year_file, students, year)
        print(f"generated {written:,} rows ({students:,} students × {len(year)} days) in "
              f"{time.perf_counter() - started:.0f} s: {year_file}", flush=True)
    if not day_file.exists():
        write_day(day_file, students, next_day)
    rows = students * len(year)
    print(f"backend: {connection.vendor}; {rows:,} rows ({students:,} students × {len(year)} school days); "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    built = built_year(students, year_file.name) if reuse else None
    lines, ok = [], True
    if built is None:
        if reuse:
            print("no year of this size to reuse: building one", flush=True)
            bench_database(connection.vendor, keep=False)
        built = make_district(students)
    clock = CpuClock()
    if not AttendanceRecord.objects.exists():  # (a) is measured when the year is built in this run
        _none, copy_wall, copy_cpu = timed(clock, lambda: raw_copy(year_file))
        _none, csv_wall, _cpu = timed(clock, lambda: csv_pass(year_file))
        print(f"raw COPY of the CSV (reference): {copy_wall:.1f} s wall, {copy_cpu:.1f} s CPU; "
              f"one csv-reader pass: {csv_wall:.1f} s", flush=True)
        stored_wall = None
        if connection.vendor == "postgresql":
            _none, stored_wall, stored_cpu = timed(clock, lambda: stored_copy(year_file))
            print(f"the same COPY + one INSERT … SELECT into a copy of the attendance table (typed, roster ids, "
                  f"its indexes; no checks, no evaluation): {stored_wall:.1f} s wall, {stored_cpu:.1f} s CPU = "
                  f"{stored_wall / copy_wall:.1f}× the raw COPY", flush=True)
            _none, sparse_wall, sparse_cpu = timed(clock, lambda: stored_copy(year_file, exceptions_only=True))
            print(f"the same, keeping only the rows that are not plain presence: {sparse_wall:.1f} s wall, "
                  f"{sparse_cpu:.1f} s CPU = {sparse_wall / copy_wall:.1f}× the raw COPY", flush=True)
        report, wall, cpu = timed(clock, lambda: import_attendance(year_file, district=built[0], today=year[-1]))
        if not report.ok:
            print("import rejected:", *[str(p) for p in report.errors[:10]], sep="\n  ")
            return 2
        print(f"year import + evaluation of {report.evaluation.get('students', 0):,} students: {wall:.1f} s wall, "
              f"{cpu:.1f} s CPU; peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB",
              flush=True)
        if connection.vendor == "postgresql":  # what autovacuum does soon after a load this size (untimed)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        ratio, cpu_ratio = wall / copy_wall, cpu / copy_cpu if copy_cpu else float("nan")
        # The budget is a year of 20 million rows: a smaller file holds fewer days per student (or fewer
        # students), and the evaluation, a cost per student, is then a larger share of it than of a year.
        year_ok = ratio <= BUDGET_RATIO
        ok = year_ok or rows < BUDGET_YEAR_ROWS
        lines.append(f"(a) year import + evaluation = {ratio:.1f}× the raw COPY (CPU: {cpu_ratio:.1f}×), "
                     f"budget ≤ {BUDGET_RATIO:.0f}× at {BUDGET_YEAR_ROWS:,} rows: "
                     + (("met" if year_ok else "MISSED") if rows >= BUDGET_YEAR_ROWS
                        else "not at full size (the default size)")
                     + (f"; {wall / stored_wall:.1f}× the COPY into the attendance table's shape" if stored_wall
                        else ""))
    else:
        print(f"reusing the year built earlier ({AttendanceRecord.objects.count():,} attendance rows, "
              f"{PresentDays.objects.count():,} years of present days)", flush=True)
        lines.append("(a) year import: not measured in this run (--reuse)")
    district, schools, admin = built
    day_rows = students

    class _RollBack(Exception):
        pass

    def day_import():  # type: ignore[no-untyped-def]
        report = import_attendance(day_file, district=district, today=next_day)
        if connection.vendor == "postgresql":  # the foreign-key checks a commit would run (it never comes)
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        return report

    try:
        with transaction.atomic():  # leave the year as it was, for the next --reuse
            daily, day_wall, day_cpu = timed(clock, day_import)
            raise _RollBack
    except _RollBack:
        pass
    full_size = day_rows >= BUDGET_DAY_ROWS
    day_ok = day_wall <= BUDGET_DAY_SECONDS
    ok = ok and (day_ok or not full_size)
    lines.append(f"(b) a day's import ({day_rows:,} rows) + re-evaluation of {daily.evaluation.get('students', 0):,} "
                 f"students: {day_wall:.1f} s ({day_cpu:.1f} s CPU), budget ≤ {BUDGET_DAY_SECONDS:.0f} s at "
                 f"{BUDGET_DAY_ROWS:,} rows: " + (("met" if day_ok else "MISSED") if full_size
                                                  else "not at full size (--students 100000 or more)"))
    admin.refresh_from_db()
    district_p95 = p95_ms(lambda: selectors.dashboard(admin, district_id=district.pk, today=next_day))
    school_p95 = p95_ms(lambda: selectors.dashboard(admin, district_id=district.pk, school=schools[0],
                                                     today=next_day))
    dash_ok = max(district_p95, school_p95) <= BUDGET_DASHBOARD_P95_MS
    ok = ok and dash_ok
    lines.append(f"(c) dashboard p95: district {district_p95:.0f} ms, school {school_p95:.0f} ms, budget ≤ "
                 f"{BUDGET_DASHBOARD_P95_MS:.0f} ms: {'met' if dash_ok else 'MISSED'}")
    print(*lines, sep="\n")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--students", type=int, default=111_112, help="students (× 180 school days = rows)")
    parser.add_argument("--days", type=int, default=SCHOOL_DAYS,
                        help="school days in the year (fewer build a district of 100,000 students faster for (b))")
    parser.add_argument("--reuse", action="store_true", help="reuse a year of this size built by an earlier run")
    parser.add_argument("--data-dir", type=Path, help="where the CSV files are kept (HOMEROOM_DATA_DIR/bench)")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(os.environ.get("HOMEROOM_DATA_DIR") or ROOT / "var") / "bench-attendance"
    for key, value in BENCH_ENV.items():
        os.environ.setdefault(key, value)
    return run_backend(args.students, args.days, args.reuse, data_dir)


if __name__ == "__main__":
    sys.exit(main())
