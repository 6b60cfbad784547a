"""Benchmark: the district's reach page at 100,000 students and 150,000 guardians with a year of contacts.

    DATABASE_URL=postgres://… .venv/bin/python bench/reach.py [--students 100000] [--deliveries 2000000]
        [--contacts 200000] [--replies 50000] [--sqlite]

Builds the district (bulk_create for the roster, COPY on PostgreSQL for the year of deliveries), builds the
summary once (`reach.refresh`, full), then measures, in one run on one connection:

- the district page (the whole request: figures, first page of the not-reached list with reasons, access log,
  template) as p95 over repeated requests: budget ≤ 200 ms;
- the same breakdown computed straight from the base tables (deliveries, replies, contacts, custody links) with
  one grouped query: the page must be ≥ 10× faster;
- an incremental refresh after a day's new deliveries, contacts and replies (only the families they touch);
- and checks that the summary's figure equals the base tables' figure.

Runs on PostgreSQL when DATABASE_URL is set (the budget's database), otherwise on a fresh SQLite file; `--sqlite`
runs SQLite as well. Exits non-zero on a missed budget or a mismatch.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from backends import BENCH_ENV
from timing import p95, timed

ROOT = Path(__file__).resolve().parents[1]
BUDGET_P95_MS = 200.0
BUDGET_RATIO = 10.0
STUDENTS_PER_SCHOOL = 500
LANGUAGES = ["en"] * 70 + ["es"] * 18 + ["pt"] * 3 + ["ht"] * 2 + ["zh"] * 2 + ["ar"] * 2 + ["vi"] + ["pl"] + [""]
CHANNELS = ["sms"] * 40 + ["email"] * 40 + ["voice"] * 10 + ["portal"] * 10
STATES = ["delivered"] * 70 + ["sent"] * 10 + ["failed"] * 8 + ["bounced"] * 3 + ["read"] * 9
RACES = [["white"]] * 50 + [["hispanicOrLatinoEthnicity"]] * 25 + [["blackOrAfricanAmerican"]] * 13 + \
    [["asian"]] * 6 + [["white", "asian"]] * 4 + [[]] * 2
GRADES = ["KG"] + [f"{g:02d}" for g in range(1, 13)]
DELIVERY_COLUMNS = ("message_id", "guardian_id", "channel", "address", "language", "content_language",
                    "student_ids", "state", "reason", "idempotency_key", "batch", "attempts", "provider_id", "error",
                    "created_at", "sent_at", "finished_at", "read_at")


def line(text: str) -> None:
    print(text, flush=True)


def build(students: int, deliveries: int, contacts: int, replies: int, now: dt.datetime) -> dict[str, Any]:
    from django.db import connection

    from homeroom.contacts.models import ContactLog
    from homeroom.core.models import Role, User
    from homeroom.messaging.models import Conversation, ConversationEntry, Message
    from homeroom.roster.models import District, Guardian, School, Staff, StaffRole, Student, StudentGuardian

    rng = random.Random(12)
    started = time.perf_counter()
    district = District.objects.create(name="Bench District", slug="bench")
    schools = School.objects.bulk_create([School(district=district, name=f"School {i:03d}", sourced_id=f"sch-{i}")
                                          for i in range(max(1, students // STUDENTS_PER_SCHOOL))])
    guardians_n = students * 3 // 2
    languages = [rng.choice(LANGUAGES) for _ in range(students)]
    Student.objects.bulk_create([
        Student(district=district, school=schools[i % len(schools)], sourced_id=f"s-{i}", given_name="Student",
                family_name=str(i), grade=GRADES[(i // len(schools)) % len(GRADES)], home_language=languages[i],
                english_learner=languages[i] not in ("en", "") and rng.random() < 0.4, has_iep=rng.random() < 0.15,
                free_reduced_meals=rng.random() < 0.4, race_ethnicity=rng.choice(RACES))
        for i in range(students)], batch_size=5000)
    student_ids = list(Student.objects.filter(district=district).order_by("id").values_list("id", flat=True))
    Guardian.objects.bulk_create([
        Guardian(district=district, sourced_id=f"g-{i}", given_name="Parent", family_name=str(i),
                 language=languages[i % students] or "en", email=f"p{i}@bench.example" if i % 20 else "",
                 mobile_phone=f"+1203{i:07d}" if i % 4 else "")
        for i in range(guardians_n)], batch_size=5000)
    guardian_ids = list(Guardian.objects.filter(district=district).order_by("id").values_list("id", flat=True))
    links = [StudentGuardian(student_id=student_ids[i % students], guardian_id=guardian_ids[i],
                             relationship="parent", is_primary=i < students) for i in range(guardians_n)]
    StudentGuardian.objects.bulk_create(links, batch_size=5000)
    user = User.objects.create_user(email="admin@bench.example", password=None)
    staff = Staff.objects.create(district=district, user=user, given_name="Dana", family_name="Admin")
    StaffRole.objects.create(staff=staff, role=Role.DISTRICT_ADMIN)
    roster_seconds = time.perf_counter() - started

    started = time.perf_counter()
    messages = Message.objects.bulk_create([
        Message(district=district, school=None, sender=staff, created_by=user, category="news", status="sent",
                callback_name="Office", callback_phone="+12035550100") for _ in range(60)])
    guardian_language = {gid: languages[i % students] or "en" for i, gid in enumerate(guardian_ids)}

    def delivery_rows(count: int, start: int, newest: bool = False, at: dt.datetime | None = None) -> Any:
        for n in range(count):
            guardian = rng.choice(guardian_ids)
            channel = rng.choice(CHANNELS)
            state = rng.choice(STATES)
            if channel == "portal" and state == "bounced":
                state = "delivered"
            days = rng.random() * (1 if newest else 365)
            created = (at or now) - dt.timedelta(days=days)
            language = guardian_language[guardian]
            content = language if language == "en" or rng.random() < 0.75 else "en"
            sent = max(created + dt.timedelta(seconds=30), at) if at else created + dt.timedelta(seconds=30)
            finished = sent if state in ("delivered", "failed", "bounced", "read") else None
            read = sent + dt.timedelta(hours=1) if state == "read" else None
            yield (rng.choice(messages).pk, guardian, channel, "", language, content, "[]", state, "",
                   f"b-{start + n}", 0, 1, "", "", created, sent, finished, read)

    _insert_deliveries(connection, delivery_rows(deliveries, 0))
    delivery_seconds = time.perf_counter() - started

    started = time.perf_counter()
    _contacts(district, staff, user, student_ids, guardian_ids, students, contacts, now, rng, days=365)
    _replies(district, guardian_ids, replies, now, rng, days=365)
    contact_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
    line(f"generated: {students:,} students, {guardians_n:,} guardians, {len(schools)} schools in "
         f"{roster_seconds:.1f} s; {deliveries:,} deliveries in {delivery_seconds:.1f} s "
         f"({'COPY' if connection.vendor == 'postgresql' else 'executemany'}); {contacts:,} contacts and "
         f"{replies:,} replies in {contact_seconds:.1f} s")
    del ContactLog, Conversation, ConversationEntry
    return {"district": district, "user": user, "staff": staff, "guardian_ids": guardian_ids,
            "student_ids": student_ids, "delivery_rows": delivery_rows, "rng": rng}


def _insert_deliveries(connection: Any, rows: Any) -> None:
    from django.db import transaction

    columns = ", ".join(DELIVERY_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY messaging_delivery ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO messaging_delivery ({columns}) VALUES ({', '.join(['%s'] * len(DELIVERY_COLUMNS))})"
            batch: list[Any] = []
            for row in rows:
                batch.append(tuple(connection.ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime)
                                   else v for v in row))
                if len(batch) == 10000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)


def _contacts(district: Any, staff: Any, user: Any, student_ids: list[int], guardian_ids: list[int],
              students: int, count: int, now: dt.datetime, rng: random.Random, days: float) -> None:
    from homeroom.contacts.models import ContactLog

    outcomes = ["reached"] * 6 + ["no_answer", "left_message", "wrong_number"]
    methods = ["phone"] * 5 + ["in_person", "email", "text", "letter", "home_visit", "conference", "interpreter"]
    picks = [rng.randrange(students) for _ in range(count)]
    logs = ContactLog.objects.bulk_create([
        ContactLog(district=district, staff=staff, created_by=user,
                   occurred_at=now - dt.timedelta(days=rng.random() * days), method=rng.choice(methods),
                   purpose="general", outcome=rng.choice(outcomes), language=rng.choice(["en", "es", ""]),
                   direction="school" if rng.random() < 0.85 else "family") for _ in range(count)],
        batch_size=5000)
    ContactLog.students.through.objects.bulk_create(
        [ContactLog.students.through(contactlog_id=log.pk, student_id=student_ids[p]) for log, p in zip(logs, picks,
                                                                                                        strict=True)],
        batch_size=10000)
    ContactLog.guardians.through.objects.bulk_create(
        [ContactLog.guardians.through(contactlog_id=log.pk, guardian_id=guardian_ids[p])
         for log, p in zip(logs, picks, strict=True)], batch_size=10000)


def _replies(district: Any, guardian_ids: list[int], count: int, now: dt.datetime, rng: random.Random,
             days: float) -> None:
    from homeroom.messaging.models import Conversation, ConversationEntry

    whens = [now - dt.timedelta(days=rng.random() * days) for _ in range(count)]
    threads = Conversation.objects.bulk_create([
        Conversation(district=district, guardian_id=rng.choice(guardian_ids), subject="Re: news", last_entry_at=when)
        for when in whens], batch_size=5000)
    entries = ConversationEntry.objects.bulk_create([
        ConversationEntry(conversation=thread, from_guardian=True, channel=rng.choice(["sms", "email", "portal"]),
                          body="Thank you") for thread in threads], batch_size=5000)
    # created_at is auto_now_add: move each reply to its day.
    ConversationEntry.objects.bulk_update(
        [ConversationEntry(pk=e.pk, created_at=when) for e, when in zip(entries, whens, strict=True)],
        ["created_at"], batch_size=5000)


def from_base_tables(district_id: int, since: dt.datetime, year_start: dt.datetime) -> dict[str, Any]:
    """What the district page shows, computed straight from the base tables (deliveries, replies, contacts, custody
    links, students): the 30-day breakdown as one grouped query over semi-joins, and the 12-month trend from the
    distinct (family, month) pairs of the year's reaching contacts."""
    from django.db.models import Count, F, Q
    from django.db.models.functions import Coalesce, TruncMonth

    from homeroom.access.scoping import family_access
    from homeroom.contacts.models import ContactLog
    from homeroom.messaging.models import ConversationEntry, Delivery
    from homeroom.reach.refresh import REACHED_DELIVERY
    from homeroom.roster.models import Student, StudentGuardian

    at = Coalesce("read_at", "finished_at", "sent_at", "created_at")
    two_way = Q(contactlog__outcome="reached") & ~Q(contactlog__method="letter")

    def reached_students(start: dt.datetime) -> tuple[Any, Any]:
        guardians = (Delivery.objects.annotate(at=at).filter(REACHED_DELIVERY, at__gte=start,
                                                              created_at__gte=start - dt.timedelta(days=1))
                     .values("guardian_id")
                     .union(ConversationEntry.objects.filter(from_guardian=True, created_at__gte=start)
                            .values("conversation__guardian_id"))
                     .union(ContactLog.guardians.through.objects.filter(two_way, contactlog__occurred_at__gte=start)
                            .values("guardian_id")))
        by_guardian = StudentGuardian.objects.filter(family_access(), guardian__is_active=True,
                                                     guardian_id__in=guardians).values("student_id")
        direct = ContactLog.students.through.objects.filter(two_way, contactlog__occurred_at__gte=start).values(
            "student_id")
        return by_guardian, direct

    by_guardian, direct = reached_students(since)
    rows = (Student.objects.filter(district_id=district_id, is_active=True)
            .annotate(reached=Q(pk__in=by_guardian) | Q(pk__in=direct))
            .values("school_id", "grade", "home_language", "english_learner", "has_iep", "free_reduced_meals")
            .annotate(families=Count("pk"), hits=Count("pk", filter=Q(reached=True))).order_by())
    sums: dict[str, Any] = {}
    for row in rows:
        for key in ("school_id", "grade", "home_language", "english_learner", "has_iep", "free_reduced_meals"):
            slot = sums.setdefault(key, {}).setdefault(row[key], [0, 0])
            slot[0] += row["families"]
            slot[1] += row["hits"]
    # The trend: which families were reached in which month of the year.
    links = StudentGuardian.objects.filter(family_access(), guardian__is_active=True,
                                           student__district_id=district_id, student__is_active=True)
    pairs: set[tuple[int, Any]] = set()
    guardian_months: dict[int, set[Any]] = {}
    sources = [
        Delivery.objects.annotate(at=at).filter(REACHED_DELIVERY, at__gte=year_start).annotate(month=TruncMonth("at"))
        .values_list("guardian_id", "month").distinct(),
        ConversationEntry.objects.filter(from_guardian=True, created_at__gte=year_start)
        .annotate(month=TruncMonth("created_at")).values_list("conversation__guardian_id", "month").distinct(),
        ContactLog.guardians.through.objects.filter(two_way, contactlog__occurred_at__gte=year_start)
        .annotate(month=TruncMonth("contactlog__occurred_at")).values_list("guardian_id", "month").distinct(),
    ]
    for source in sources:
        for guardian_id, month in source.iterator(chunk_size=20000):
            guardian_months.setdefault(guardian_id, set()).add(month)
    for student_id, guardian_id in links.values_list("student_id", "guardian_id").iterator(chunk_size=20000):
        for month in guardian_months.get(guardian_id, ()):
            pairs.add((student_id, month))
    for student_id, month in (ContactLog.students.through.objects.filter(
            two_way, contactlog__occurred_at__gte=year_start, student__district_id=district_id)
            .annotate(month=TruncMonth("contactlog__occurred_at")).values_list("student_id", "month").distinct()):
        pairs.add((student_id, month))
    trend: dict[Any, int] = {}
    for _student, month in pairs:
        trend[month] = trend.get(month, 0) + 1
    sums["trend"] = trend
    del F
    return sums


def run_backend(args: argparse.Namespace) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeroom.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from homeroom.reach import refresh, selectors

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    ok = True
    try:
        now = timezone.now()
        world = build(args.students, args.deliveries, args.contacts, args.replies, now)
        district, user = world["district"], world["user"]

        # The roster and the year's contacts were written before the summary existed (as after an import).
        with connection.cursor() as cursor:
            cursor.execute("UPDATE roster_student SET updated_at = %s", [now - dt.timedelta(days=1)])
            cursor.execute("UPDATE roster_guardian SET updated_at = %s", [now - dt.timedelta(days=1)])
            cursor.execute("UPDATE contacts_contactlog SET updated_at = occurred_at")
        started = time.perf_counter()
        full = refresh.refresh(full=True)
        line(f"summary built from the base tables (full refresh, {full.families:,} families): "
             f"{time.perf_counter() - started:.1f} s")

        # A day of new activity, then the incremental refresh picks up only the families it touched.
        rng = world["rng"]
        # The day's deliveries finish after the summary's watermark (created up to a day before, sent just now).
        _insert_deliveries(connection, world["delivery_rows"](args.day_deliveries, 10**8, newest=True,
                                                              at=timezone.now()))
        _contacts(district, world["staff"], user, world["student_ids"], world["guardian_ids"], args.students,
                  args.day_deliveries // 10, timezone.now(), rng, days=0.5)
        _replies(district, world["guardian_ids"], args.day_deliveries // 20, timezone.now(), rng, days=0)
        started = time.perf_counter()
        step = refresh.refresh()
        line(f"incremental refresh after {args.day_deliveries:,} new deliveries, {args.day_deliveries // 10:,} "
             f"contacts and {args.day_deliveries // 20:,} replies: {step.families:,} families recomputed in "
             f"{time.perf_counter() - started:.2f} s (full: {full.families:,})")
        again = refresh.refresh()
        line(f"incremental refresh with nothing new: {again.families:,} families in {again.seconds * 1000:.0f} ms")

        client = Client()
        client.force_login(user)
        url = "/reach/district/"
        response = client.get(url)
        if response.status_code != 200:
            line(f"district page answered {response.status_code}")
            return 2
        samples = timed(lambda: client.get(url), args.repeat)
        page_p95 = p95(samples)
        two_way_p95 = p95(timed(lambda: client.get(url, {"view": "two_way"}), args.repeat))
        school = selectors.reach_schools(user).order_by("pk").first()
        school_p95 = p95(timed(lambda: client.get(f"/reach/school/{school.pk}/"), args.repeat))

        since = selectors.window_start()
        year_start = now - dt.timedelta(days=366)
        started = time.perf_counter()
        base = from_base_tables(district.pk, since, year_start)
        base_ms = (time.perf_counter() - started) * 1000
        base_runs = [base_ms, *timed(lambda: from_base_tables(district.pk, since, year_start), args.base_repeat - 1)]
        base_median = statistics.median(base_runs)

        summary = selectors.page(user, school=None, now=timezone.now())
        base_reached = sum(v[1] for v in base["school_id"].values())
        base_families = sum(v[0] for v in base["school_id"].values())
        line(f"backend: {connection.vendor}")
        line(f"district page p95: {page_p95:.0f} ms (median {statistics.median(samples):.0f} ms; two-way view p95 "
             f"{two_way_p95:.0f} ms; a school's page p95 {school_p95:.0f} ms) — budget ≤ {BUDGET_P95_MS:.0f} ms")
        ratio = base_median / page_p95
        line(f"the same breakdown from the base tables: median {base_median:.0f} ms over {len(base_runs)} runs = "
             f"{ratio:.1f}× the page's p95 (budget ≥ {BUDGET_RATIO:.0f}×)")
        summary_trend = [g.reached for g in summary.trend]
        base_trend = [base["trend"].get(m, 0) for m in sorted(base["trend"])][-len(summary_trend):]
        line(f"families reached per month, last 12: summary {summary_trend}; base tables {base_trend}")
        if summary_trend[-len(base_trend):] != base_trend[-len(summary_trend):]:
            line("MISMATCH in the trend between the summary and the base tables")
            ok = False
        line(f"families reached in the last 30 days: summary {summary.overall.reached:,} of "
             f"{summary.overall.families:,}; base tables {base_reached:,} of {base_families:,}")
        if (summary.overall.reached, summary.overall.families) != (base_reached, base_families):
            line("MISMATCH between the summary and the base tables")
            ok = False
        ok = ok and page_p95 <= BUDGET_P95_MS and two_way_p95 <= BUDGET_P95_MS and school_p95 <= BUDGET_P95_MS \
            and ratio >= BUDGET_RATIO
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    line("PASS" if ok else "FAIL")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--deliveries", type=int, default=2_000_000)
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--replies", type=int, default=50_000)
    parser.add_argument("--day-deliveries", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--base-repeat", type=int, default=3, help="runs of the base-table computation")
    parser.add_argument("--sqlite", action="store_true", help="also run on a fresh SQLite file")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.backend:
        return run_backend(args)
    forwarded = [a for a in sys.argv[1:] if a != "--sqlite"]
    worst = 0
    with tempfile.TemporaryDirectory() as data_dir:
        runs = []
        if os.environ.get("DATABASE_URL"):
            runs.append(("postgresql", dict(os.environ) | BENCH_ENV))
        if args.sqlite or not runs:
            runs.append(("sqlite", {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | BENCH_ENV | {
                "HOMEROOM_DATA_DIR": data_dir, "HOMEROOM_TEST_SQLITE": str(Path(data_dir) / "bench.sqlite3")}))
        for name, env in runs:
            line(f"== {name}")
            code = subprocess.call([sys.executable, __file__, *forwarded, "--backend", name], env=env, cwd=ROOT)
            worst = max(worst, code)
    return worst


if __name__ == "__main__":
    sys.exit(main())
