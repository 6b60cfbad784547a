"""Benchmark: import a synthetic OneRoster district (100k students, 150k guardians) and compare with a raw copy.

    .venv/bin/python bench/import_oneroster.py [--students 100000]

Runs on a fresh SQLite database, and also on PostgreSQL when DATABASE_URL is set. Two references load the same
CSV rows into staging tables on the same connection, in the same run:
  - executemany: every row sent as INSERT parameters, as the importer itself writes (the budget's reference);
  - COPY (PostgreSQL only): the files streamed through `COPY ... FROM STDIN`, the fastest load there is.
The budget is ≤ 120 s, ≤ 10× the executemany reference, and a peak resident memory (RSS) of ≤ 1 GB for the
whole process, which must not grow with the files: the importer streams them row by row.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from backends import run_per_backend

ROOT = Path(__file__).resolve().parents[1]
BUDGET_SECONDS = 120.0
BUDGET_RATIO = 10.0
BUDGET_RSS_MB = 1024.0
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


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _staging(cursor, path: Path) -> tuple[str, int]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        width = len(next(csv.reader(handle)))
    table = f"staging_{path.stem.lower()}"
    columns = ", ".join(f"c{i} text" for i in range(width))
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(f"CREATE TABLE {table} ({columns})")
    return table, width


def true_copy(folder: Path) -> float | None:
    """The floor on PostgreSQL: each CSV streamed into its staging table by COPY, in one transaction."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        return None
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for path in sorted(folder.glob("*.csv")):
            table, _ = _staging(cursor, path)
            # cursor.cursor: the psycopg cursor under Django's wrapper, which has copy().
            with path.open("rb") as handle, cursor.cursor.copy(
                    f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                while chunk := handle.read(1024 * 1024):
                    copy.write(chunk)
    return time.perf_counter() - start


def raw_copy(folder: Path) -> float:
    """The reference: read every CSV row and insert it as text into a staging table (executemany), in one
    transaction."""
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for path in sorted(folder.glob("*.csv")):
            table, width = _staging(cursor, path)
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.reader(handle)
                next(reader)
                marks = ", ".join(["%s"] * width)
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
            copy_reference = true_copy(folder)
            rss_before = peak_rss_mb()
            started = time.perf_counter()
            report = import_oneroster(folder, district_slug="bench")
            seconds = time.perf_counter() - started
            rss_import = peak_rss_mb()
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
    rss = peak_rss_mb()
    ok = seconds <= BUDGET_SECONDS and ratio <= BUDGET_RATIO and rss <= BUDGET_RSS_MB
    print(f"backend: {connection.vendor}; students/guardians/enrollments written: {counts}")
    print(f"reference 1, executemany of the same rows: {reference:.1f} s")
    if copy_reference is None:
        print("reference 2, COPY: not available on this database")
    else:
        print(f"reference 2, true COPY of the same CSV files: {copy_reference:.1f} s")
    print(f"import: {seconds:.1f} s = {ratio:.1f}× executemany"
          + ("" if copy_reference is None else f" = {seconds / copy_reference:.0f}× COPY")
          + f"; re-import (unchanged={again.unchanged}): {again_seconds:.1f} s")
    print(f"peak RSS: {rss_before:.0f} MB before the import, {rss_import:.0f} MB after it, {rss:.0f} MB after the "
          f"re-import")
    print(f"{'PASS' if ok else 'FAIL'} (budget ≤ {BUDGET_SECONDS:.0f} s, ≤ {BUDGET_RATIO:.0f}× executemany, "
          f"peak RSS ≤ {BUDGET_RSS_MB:.0f} MB)")
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
