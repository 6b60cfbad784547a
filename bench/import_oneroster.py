"""Benchmark: import a synthetic OneRoster district (100k students, 150k guardians) and compare with a raw copy.

    .venv/bin/python bench/import_oneroster.py [--students 100000]

Runs on a fresh SQLite database, and also on PostgreSQL when DATABASE_URL is set. The reference workload is
a raw bulk copy of the same CSV rows into staging tables on the same connection, in the same run; the budget
is ≤ 120 s and ≤ 10× that copy.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from backends import run_per_backend

ROOT = Path(__file__).resolve().parents[1]
BUDGET_SECONDS = 120.0
BUDGET_RATIO = 10.0
CLASSES_PER_STUDENT = 4
CLASS_SIZE = 25
STAMP = "2024-08-01T00:00:00Z"
GIVEN = ["Ana", "Luis", "Sofia", "Mateo", "Liam", "Emma", "Noah", "Olivia", "Ava", "Elijah", "Mia", "Lucas"]
FAMILY = ["Garcia", "Smith", "Nguyen", "Johnson", "Lopez", "Brown", "Silva", "Kowalski", "Chen", "Okafor"]
LANGS = ["en", "en", "en", "es", "es", "pt-BR", "ht", "zh-Hans", "ar", "pl"]


def write_csv(path: Path, header: list[str], rows: object) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:  # type: ignore[attr-defined]
            writer.writerow(row)
            count += 1
    return count


def generate(folder: Path, students: int) -> dict[str, int]:
    """A 1.1 bulk export: one district, 1 school per 500 students, 1.5 guardians and 4 classes per student."""
    rng = random.Random(42)
    schools = max(1, students // 500)
    classes = max(1, students * CLASSES_PER_STUDENT // CLASS_SIZE)
    teachers = max(1, classes // 5)
    guardians = students * 3 // 2
    sizes: dict[str, int] = {}
    (folder / "manifest.csv").write_text(
        "propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\nfile.orgs,bulk\nfile.academicSessions,bulk\n"
        "file.classes,bulk\nfile.users,bulk\nfile.enrollments,bulk\nfile.courses,absent\nfile.demographics,absent\n",
        encoding="utf-8",
    )
    sizes["orgs"] = write_csv(folder / "orgs.csv", ["sourcedId", "status", "dateLastModified", "name", "type",
                                                     "identifier", "parentSourcedId"],
                              [["dst-1", "active", STAMP, "Bench District", "district", "BD", ""]]
                              + [[f"sch-{i}", "active", STAMP, f"School {i}", "school", f"S{i}", "dst-1"]
                                 for i in range(schools)])
    sizes["academicSessions"] = write_csv(
        folder / "academicSessions.csv",
        ["sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate", "parentSourcedId",
         "schoolYear"],
        [["term-1", "active", STAMP, "Fall", "term", "2024-08-26", "2024-12-20", "", "2025"]])
    sizes["classes"] = write_csv(
        folder / "classes.csv",
        ["sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classCode", "classType",
         "location", "schoolSourcedId", "termSourcedIds", "subjects", "periods"],
        ([f"cls-{i}", "active", STAMP, f"Class {i}", "05", f"crs-{i % 40}", f"C{i}", "scheduled", f"Room {i % 30}",
          f"sch-{i % schools}", "term-1", "Math", str(i % 7 + 1)] for i in range(classes)))
    header = ["sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username",
              "userIds", "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone",
              "agentSourcedIds", "grades", "password", "metadata.language", "metadata.householdSourcedId",
              "metadata.smsConsent"]

    def users():
        for i in range(teachers):
            yield [f"t-{i}", "active", STAMP, "true", f"sch-{i % schools}", "teacher", f"t{i}", "", rng.choice(GIVEN),
                   rng.choice(FAMILY), "", f"T{i}", f"t{i}@bench.example", "", "", "", "", "", "", "", ""]
        for i in range(students):
            yield [f"s-{i}", "active", STAMP, "true", f"sch-{(i // 500) % schools}", "student", f"s{i}", "",
                   rng.choice(GIVEN), rng.choice(FAMILY), "", str(100000 + i), "", "", "", f"g-{i}", "05", "",
                   rng.choice(LANGS), f"hh-{i}", ""]
        for j in range(guardians):
            child = j if j < students else (j - students) * 2
            agents = "" if j < students else f"s-{child}"
            yield [f"g-{j}", "active", STAMP, "true", f"sch-{(child // 500) % schools}", "parent", f"g{j}", "",
                   rng.choice(GIVEN), rng.choice(FAMILY), "", "", f"g{j}@family.example",
                   f"(203) {200 + j // 10000 % 800:03d}-{j % 10000:04d}", "", agents, "", "", rng.choice(LANGS),
                   f"hh-{child}", "true"]

    sizes["users"] = write_csv(folder / "users.csv", header, users())

    def enrollments():
        for c in range(classes):
            yield [f"e-t-{c}", "active", STAMP, f"cls-{c}", f"sch-{c % schools}", f"t-{c % teachers}", "teacher",
                   "true", "2024-08-26", ""]
        for i in range(students):
            for k in range(CLASSES_PER_STUDENT):
                c = (i * CLASSES_PER_STUDENT + k) % classes
                yield [f"e-{i}-{k}", "active", STAMP, f"cls-{c}", f"sch-{c % schools}", f"s-{i}", "student", "false",
                       "2024-08-26", ""]

    sizes["enrollments"] = write_csv(folder / "enrollments.csv", ["sourcedId", "status", "dateLastModified",
                                                                  "classSourcedId", "schoolSourcedId",
                                                                  "userSourcedId", "role", "primary", "beginDate",
                                                                  "endDate"], enrollments())
    return sizes


def raw_copy(folder: Path) -> float:
    """The reference: read every CSV row and insert it as text into a staging table, in one transaction."""
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for path in sorted(folder.glob("*.csv")):
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.reader(handle)
                header = next(reader)
                table = f"staging_{path.stem.lower()}"
                columns = ", ".join(f"c{i} text" for i in range(len(header)))
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
                cursor.execute(f"CREATE TABLE {table} ({columns})")
                marks = ", ".join(["%s"] * len(header))
                sql = f"INSERT INTO {table} VALUES ({marks})"
                batch: list[list[str]] = []
                for row in reader:
                    batch.append(row)
                    if len(batch) >= 5000:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
    return time.perf_counter() - start


def run_backend(students: int) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeroom.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db import connection

    from homeroom.roster.importers import import_oneroster
    from homeroom.roster.models import Enrollment, Guardian, Student

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        sizes = generate(folder, students)
        print(f"generated {sizes} in {time.perf_counter() - started:.1f} s")
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            reference = raw_copy(folder)
            started = time.perf_counter()
            report = import_oneroster(folder, district_slug="bench")
            seconds = time.perf_counter() - started
            if not report.ok:
                print("import rejected:", *[str(p) for p in report.errors[:10]], sep="\n  ")
                return 2
            again_started = time.perf_counter()
            again = import_oneroster(folder, district_slug="bench")
            again_seconds = time.perf_counter() - again_started
            counts = (Student.objects.count(), Guardian.objects.count(), Enrollment.objects.count())
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    ratio = seconds / reference
    ok = seconds <= BUDGET_SECONDS and ratio <= BUDGET_RATIO
    print(f"backend: {connection.vendor}; students/guardians/enrollments written: {counts}")
    print(f"raw copy of the same rows (reference): {reference:.1f} s")
    print(f"import: {seconds:.1f} s = {ratio:.1f}× the reference; re-import (unchanged={again.unchanged}): "
          f"{again_seconds:.1f} s")
    print(f"{'PASS' if ok else 'FAIL'} (budget ≤ {BUDGET_SECONDS:.0f} s and ≤ {BUDGET_RATIO:.0f}×)")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.backend:
        return run_backend(args.students)
    return run_per_backend(__file__, ["--students", str(args.students)])


if __name__ == "__main__":
    sys.exit(main())
