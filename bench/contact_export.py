"""Benchmark: export a 20,000-contact month of the family contact log as XLSX, against CSV of the same rows.

    .venv/bin/python bench/contact_export.py [--contacts 20000]

Builds a synthetic district on a fresh SQLite database (and PostgreSQL too when DATABASE_URL is set), then,
as a district administrator, runs the real export path (scoped query → rows → writer → temporary file) for
CSV (the reference workload, same run, same rows) and for XLSX (one sheet per month, and one per staff member).
Budget: XLSX ≤ 5 s and ≤ 4× the CSV export. Memory is measured in a second pass with tracemalloc (peak
Python allocations) so that the timing pass is not slowed by it; the peak must stay under 64 MB, and must
not grow with the month (a quarter-size month is measured as the comparison).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path

from backends import run_per_backend

ROOT = Path(__file__).resolve().parents[1]
BUDGET_SECONDS = 5.0
BUDGET_RATIO = 4.0
BUDGET_PEAK_MB = 64.0


def build_district(contacts: int) -> object:
    """Roster and contacts straight in with bulk_create; returns the district administrator's user."""
    from django.utils import timezone

    from homeroom.contacts.models import ContactLog
    from homeroom.core.models import Role, User
    from homeroom.roster.models import District, Guardian, School, Staff, StaffRole, Student, StudentGuardian

    rng = random.Random(11)
    district = District.objects.create(name="Bench", slug="bench")
    schools = School.objects.bulk_create([School(district=district, name=f"School {i}", sourced_id=f"s{i}")
                                          for i in range(10)])
    students = Student.objects.bulk_create(
        [Student(district=district, school=schools[i % 10], sourced_id=f"st{i}", given_name=f"Kid{i}",
                 family_name=f"Family{i}", grade="05") for i in range(4000)], batch_size=2000)
    guardians = Guardian.objects.bulk_create(
        [Guardian(district=district, sourced_id=f"g{i}", given_name=f"Parent{i}", family_name=f"Family{i // 2}",
                  email=f"p{i}@example.net") for i in range(8000)], batch_size=2000)
    StudentGuardian.objects.bulk_create(
        [StudentGuardian(student=students[i // 2], guardian=guardians[i], relationship=rng.choice(
            ["mother", "father", "grandparent", "guardian"])) for i in range(8000)], batch_size=2000)
    users = User.objects.bulk_create([User(email=f"staff{i}@bench.example", username=f"staff{i}@bench.example")
                                      for i in range(200)])
    staff = Staff.objects.bulk_create([Staff(district=district, user=users[i], sourced_id=f"t{i}",
                                             given_name=f"Teacher{i}", family_name=f"Staff{i:03d}")
                                       for i in range(200)])
    StaffRole.objects.create(staff=staff[0], role=Role.DISTRICT_ADMIN)
    start = timezone.make_aware(datetime(2025, 10, 1, 7))
    methods = ["phone", "email", "text", "in_person", "conference", "letter"]
    purposes = ["positive", "academic", "attendance", "behaviour", "health", "special_education", "general"]
    outcomes = ["reached"] * 6 + ["left_message", "no_answer", "wrong_number"]
    rows = [
        ContactLog(district=district, staff=staff[i % 200], created_by_id=users[i % 200].pk,
                   occurred_at=start + timedelta(minutes=rng.randrange(30 * 24 * 60)),
                   method=rng.choice(methods), purpose=rng.choice(purposes), outcome=rng.choice(outcomes),
                   direction=rng.choice(["school", "school", "family"]), language=rng.choice(["en", "es", "pt"]),
                   interpreter_used=rng.random() < 0.1, notes=f"Talked about week {i % 5}; next steps agreed.",
                   follow_up_on=(start + timedelta(days=rng.randrange(40))).date() if rng.random() < 0.3 else None)
        for i in range(contacts)
    ]
    ContactLog.objects.bulk_create(rows, batch_size=2000)
    student_links, guardian_links = [], []
    for contact in rows:
        child = rng.randrange(4000)
        student_links.append(ContactLog.students.through(contactlog_id=contact.pk, student_id=students[child].pk))
        guardian_links.append(ContactLog.guardians.through(contactlog_id=contact.pk,
                                                           guardian_id=guardians[child * 2].pk))
    ContactLog.students.through.objects.bulk_create(student_links, batch_size=5000)
    ContactLog.guardians.through.objects.bulk_create(guardian_links, batch_size=5000)
    return users[0]


def export(user: object, kind: str, group: str = "month", month_of: int = 1) -> tuple[float, int, float]:
    """One export as the view runs it; returns (wall seconds, bytes written, CPU seconds)."""
    from datetime import date

    from homeroom.contacts import exports, monthly

    filters = monthly.MonthlyFilters(month=date(2025, 10, 1), through=date(2025, 10, 1), group=group)
    started, cpu = time.perf_counter(), time.process_time()
    contacts = monthly.monthly_contacts(user, filters)
    if month_of > 1:  # a smaller month, for the memory comparison
        contacts = contacts.filter(id__in=contacts.order_by("id").values("id")[: contacts.count() // month_of])
    with_notes = monthly.export_includes_notes(user, contacts)
    rows = monthly.export_rows(user, contacts, order_by_staff=group == "staff")
    with tempfile.TemporaryFile("w+b") as out:
        if kind == "csv":
            for chunk in exports.csv_lines(rows, with_notes=with_notes):
                out.write(chunk.encode("utf-8"))
        else:
            exports.write_xlsx(rows, out, with_notes=with_notes, group=group)
        size = out.tell()
    return time.perf_counter() - started, size, time.process_time() - cpu


def peak_mb(user: object, kind: str, group: str = "month", month_of: int = 1) -> float:
    tracemalloc.start()
    try:
        export(user, kind, group, month_of)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def run_backend(contacts: int) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeroom.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db import connection
    from django.utils import translation

    translation.activate("en")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        started = time.perf_counter()
        user = build_district(contacts)
        print(f"district with {contacts} contacts in one month built in {time.perf_counter() - started:.1f} s")
        export(user, "csv")  # warm caches (query plans, translations) for a fair comparison
        t_csv, csv_bytes, cpu_csv = min(export(user, "csv") for _ in range(3))
        t_xlsx, xlsx_bytes, cpu_xlsx = min(export(user, "xlsx") for _ in range(3))
        t_staff, _size, _cpu = export(user, "xlsx", group="staff")
        ratio = t_xlsx / t_csv
        peak_csv = peak_mb(user, "csv")
        peak_xlsx = peak_mb(user, "xlsx")
        peak_quarter = peak_mb(user, "xlsx", month_of=4)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ok = t_xlsx <= BUDGET_SECONDS and ratio <= BUDGET_RATIO and peak_xlsx <= BUDGET_PEAK_MB
        print(f"backend: {connection.vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"CPU time: CSV {cpu_csv:.2f} s, XLSX {cpu_xlsx:.2f} s = {cpu_xlsx / cpu_csv:.2f}×")
        print(f"CSV (reference): {t_csv:.2f} s, {csv_bytes / 2**20:.1f} MB; tracemalloc peak {peak_csv:.1f} MB")
        print(f"XLSX, one sheet per month: {t_xlsx:.2f} s = {ratio:.2f}× CSV, {xlsx_bytes / 2**20:.1f} MB; "
              f"tracemalloc peak {peak_xlsx:.1f} MB (a quarter-size month: {peak_quarter:.1f} MB)")
        print(f"XLSX, one sheet per staff member (200 sheets): {t_staff:.2f} s")
        print(f"process peak RSS (whole run, district build included): {rss:.0f} MB")
        print(f"{'PASS' if ok else 'FAIL'} (budget XLSX ≤ {BUDGET_SECONDS:.0f} s, ≤ {BUDGET_RATIO:.0f}× CSV, "
              f"tracemalloc peak ≤ {BUDGET_PEAK_MB:.0f} MB)")
        return 0 if ok else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.backend:
        return run_backend(args.contacts)
    return run_per_backend(__file__, ["--contacts", str(args.contacts)])


if __name__ == "__main__":
    sys.exit(main())
