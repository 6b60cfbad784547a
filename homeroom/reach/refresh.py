"""Keeping the reach summary tables true, incrementally.

`recompute(student_ids)` rebuilds the summary rows of those students' families from the base tables (messaging's
deliveries and conversations, the contact log, the roster), in batches of set-based queries. `refresh()` finds
which families changed since the stored watermark and recomputes only those:

- a delivery sent, finished (delivered, failed, bounced) or read since then (`sent_at`, `finished_at`,
  `read_at`: every state change stamps one of them; partial indexes on each, added by this app's migration);
- a conversation with a new entry (`Conversation.last_entry_at`, indexed);
- a contact logged or edited (`ContactLog.updated_at`, indexed by this app's migration);
- a student or guardian changed by an import or by staff (`updated_at`), and active students with no row yet.

The watermark is the refresh's start time; the next refresh reads from `MARGIN` before it, so a row committed
late with an earlier timestamp is still seen (a recompute is idempotent, so reading a row twice is harmless).
A change to custody links alone has no timestamp: it is picked up with the family's next contact, or by
`homeroom reach-refresh --full`.

"Reached" (the page states it): a call answered (a voice delivery the provider reports completed), a text or email
confirmed delivered and not bounced (delivered or read), a portal message opened, a logged contact that reached
the family both ways (outcome "reached", any method but a letter), or a reply from the family (any channel).
"Two-way" counts only the last two.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Count, F, Max, Q, QuerySet, When
from django.db.models.functions import Coalesce, Left, Lower, TruncMonth
from django.db.models.lookups import Exact
from django.utils import timezone

from homeroom.access import scoping
from homeroom.contacts.models import ContactLog, Direction, Method, Outcome, Source
from homeroom.messaging.models import Conversation, ConversationEntry, Delivery, DeliveryState
from homeroom.reach.models import FamilyReach, FamilyReachMonth, ReachMonthCount, ReachWatermark
from homeroom.roster.models import Guardian, Student, StudentGuardian

S = DeliveryState
BATCH = 2000
HISTORY_DAYS = 400  # 13 months: the trend shows 12
MARGIN = dt.timedelta(minutes=5)
WATERMARK = "events"

# A text or email the provider confirmed (read implies delivered; a bounce after delivery moves it to bounced).
CONFIRMED = Q(channel__in=["sms", "email"], state__in=[S.DELIVERED, S.READ])
ANSWERED = Q(channel="voice", state__in=[S.DELIVERED, S.READ])  # Twilio "completed": the call was answered
OPENED = Q(channel="portal", read_at__isnull=False)
REACHED_DELIVERY = CONFIRMED | ANSWERED | OPENED
ATTEMPTED = Q(state__in=[S.SENT, S.DELIVERED, S.READ, S.FAILED, S.BOUNCED])

RACE_COLUMNS = {
    "americanIndianOrAlaskaNative": "american_indian",
    "asian": "asian",
    "blackOrAfricanAmerican": "black",
    "nativeHawaiianOrOtherPacificIslander": "pacific_islander",
    "white": "white",
}


def race_group(columns: Iterable[str]) -> str:
    """One reporting group, as federal and Connecticut reports count: Hispanic or Latino of any race first, then
    two or more races, then the one race; "" when the roster has none."""
    values = set(columns or [])
    if "hispanicOrLatinoEthnicity" in values:
        return "hispanic"
    races = [RACE_COLUMNS[c] for c in RACE_COLUMNS if c in values]
    if "demographicRaceTwoOrMoreRaces" in values or len(races) > 1:
        return "two_or_more"
    return races[0] if races else ""


@dataclass
class Facts:
    """For one guardian or student: the latest reached, two-way, attempted and attempted-in-language times, and the
    months in which they were reached (month → reached two-way)."""

    last: list[dt.datetime | None] = field(default_factory=lambda: [None] * 4)
    months: dict[dt.date, bool] = field(default_factory=dict)

    def latest(self, values: Iterable[dt.datetime | None]) -> None:
        last = self.last
        for index, value in enumerate(values):
            if value is not None and (last[index] is None or value > last[index]):  # type: ignore[operator]
                last[index] = value

    def month(self, month: Any, two_way: bool) -> None:
        if month is None:
            return
        key = month.date() if isinstance(month, dt.datetime) else month
        self.months[key] = self.months.get(key, False) or two_way


def _facts(rows: QuerySet[Any], key: str, *, at: Any, reached: Q, two_way: Q | None, attempted: Q | None,
           in_language: Q | None, facts: dict[int, Facts]) -> None:
    """Two grouped queries over one source: the latest times per key, and the distinct months reached per key."""
    aggregates: dict[str, Any] = {"reached": Max(at, filter=reached)}
    if two_way is not None:
        aggregates["two_way"] = Max(at, filter=two_way)
    if attempted is not None:
        aggregates["attempted"] = Max(at, filter=attempted)
    if in_language is not None:
        aggregates["in_language"] = Max(at, filter=in_language)
    for row in rows.values(key).annotate(**aggregates).order_by():
        facts[row[key]].latest((row["reached"], row.get("two_way"), row.get("attempted"), row.get("in_language")))
    months = rows.filter(reached).annotate(month=TruncMonth(at)).values(key, "month")
    if two_way is None:
        for row in months.distinct().order_by():
            facts[row[key]].month(row["month"], False)
    else:
        for row in months.annotate(two=Max(Case(When(two_way, then=1), default=0))).order_by():
            facts[row[key]].month(row["month"], bool(row["two"]))


def _delivery_facts(guardian_ids: list[int], since: dt.datetime) -> dict[int, Facts]:
    facts: dict[int, Facts] = defaultdict(Facts)
    at = Coalesce("read_at", "finished_at", "sent_at", "created_at")
    rows = Delivery.objects.filter(ATTEMPTED | OPENED, guardian_id__in=guardian_ids, created_at__gte=since)
    _facts(rows, "guardian_id", at=at, reached=REACHED_DELIVERY, two_way=None, attempted=ATTEMPTED,
           in_language=ATTEMPTED & _same_language("content_language", "language"), facts=facts)
    return facts


def _same_language(first: str, second: str) -> Q:
    """The two BCP 47 tags share their primary language ("es" and "es-MX"), or the second is not recorded."""
    return Q(**{second: ""}) | Q(Exact(Lower(Left(first, 2)), Lower(Left(second, 2))))


def _reply_facts(guardian_ids: list[int], since: dt.datetime) -> dict[int, Facts]:
    facts: dict[int, Facts] = defaultdict(Facts)
    rows = ConversationEntry.objects.filter(from_guardian=True, conversation__guardian_id__in=guardian_ids,
                                            created_at__gte=since)
    mine = Q(from_guardian=True)
    _facts(rows, "conversation__guardian_id", at=F("created_at"), reached=mine, two_way=mine, attempted=None,
           in_language=None, facts=facts)
    return facts


def _contact_facts(guardian_ids: list[int], student_ids: list[int], since: dt.datetime
                   ) -> tuple[dict[int, Facts], dict[int, Facts]]:
    by_guardian: dict[int, Facts] = defaultdict(Facts)
    by_student: dict[int, Facts] = defaultdict(Facts)
    two_way = Q(contactlog__outcome=Outcome.REACHED) & ~Q(contactlog__method=Method.LETTER)
    school = Q(contactlog__direction=Direction.SCHOOL)
    for through, key, ids, language, facts in (
            (ContactLog.guardians.through, "guardian_id", guardian_ids, "guardian__language", by_guardian),
            (ContactLog.students.through, "student_id", student_ids, "student__home_language", by_student)):
        # Only contacts staff logged: the ledger's message and conversation rows stand for deliveries and
        # replies, which are read from messaging itself above.
        rows = through.objects.filter(**{f"{key}__in": ids}, contactlog__occurred_at__gte=since,
                                      contactlog__source=Source.LOGGED)
        _facts(rows, key, at=F("contactlog__occurred_at"), reached=two_way, two_way=two_way, attempted=school,
               in_language=school & (Q(contactlog__interpreter_used=True)
                                     | _same_language(language, "contactlog__language")), facts=facts)
    return by_guardian, by_student


def recompute(student_ids: Iterable[int], *, now: dt.datetime | None = None) -> int:
    """Rebuild the summary rows of these students' families from the base tables; returns how many."""
    now = now or timezone.now()
    ids = sorted(set(student_ids))
    touched: set[tuple[int, int | None, dt.date]] = set()
    for start in range(0, len(ids), BATCH):
        touched |= _recompute_batch(ids[start:start + BATCH], now)
    _recount(touched)
    return len(ids)


def _recompute_batch(ids: list[int], now: dt.datetime) -> set[tuple[int, int | None, dt.date]]:
    since = now - dt.timedelta(days=HISTORY_DAYS)
    students = list(Student.objects.filter(pk__in=ids).values(
        "id", "district_id", "school_id", "is_active", "grade", "home_language", "english_learner", "has_iep",
        "free_reduced_meals", "race_ethnicity"))
    links: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for student_id, guardian_id, language in StudentGuardian.objects.filter(
            scoping.family_access(), student_id__in=ids, guardian__is_active=True).order_by(
            "-is_primary", "id").values_list("student_id", "guardian_id", "guardian__language"):
        links[student_id].append((guardian_id, language))
    guardian_ids = sorted({g for pairs in links.values() for g, _lang in pairs})
    deliveries = _delivery_facts(guardian_ids, since)
    replies = _reply_facts(guardian_ids, since)
    contacts_g, contacts_s = _contact_facts(guardian_ids, ids, since)

    rows: list[tuple[Any, ...]] = []
    months: list[tuple[Any, ...]] = []
    for student in students:
        merged = Facts()
        sources = [contacts_s.get(student["id"])]
        for guardian_id, _lang in links.get(student["id"], []):
            sources += [deliveries.get(guardian_id), replies.get(guardian_id), contacts_g.get(guardian_id)]
        for source in sources:
            if source is None:
                continue
            merged.latest(source.last)
            for month, two in source.months.items():
                merged.months[month] = merged.months.get(month, False) or two
        guardian_languages = [lang for _g, lang in links.get(student["id"], []) if lang]
        language = student["home_language"] or (guardian_languages[0] if guardian_languages else "")
        rows.append((
            student["id"], student["district_id"], student["school_id"], student["is_active"], student["grade"],
            language, student["english_learner"], student["has_iep"], student["free_reduced_meals"],
            race_group(student["race_ethnicity"]), *merged.last, now,
        ))
        if student["is_active"]:
            months.extend((student["id"], student["district_id"], student["school_id"], month, two)
                          for month, two in merged.months.items())
    touched = {(district_id, school_id, month) for _s, district_id, school_id, month, _t in months}
    with transaction.atomic():
        old = FamilyReachMonth.objects.filter(student_id__in=ids)
        touched |= set(old.values_list("district_id", "school_id", "month").distinct())
        old._raw_delete(old.db)  # type: ignore[attr-defined]  # no cascades, no signals: one DELETE
        _write(rows, months)
    return touched


SUMMARY_COLUMNS = ("student_id", "district_id", "school_id", "is_active", "grade", "language", "english_learner",
                   "special_education", "free_reduced_meals", "race", "last_reached_at", "last_two_way_at",
                   "last_attempt_at", "last_in_language_at", "refreshed_at")
MONTH_COLUMNS = ("student_id", "district_id", "school_id", "month", "two_way")


def _write(rows: list[tuple[Any, ...]], months: list[tuple[Any, ...]]) -> None:
    """Upsert the summary rows and insert the month rows with plain parameterised statements (no model instances:
    a full refresh writes a row per student)."""
    ops = connection.ops

    def adapt(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime) else
                     ops.adapt_datefield_value(v) if isinstance(v, dt.date) else v for v in row)

    summary = ops.quote_name(FamilyReach._meta.db_table)
    updates = ", ".join(f"{c} = excluded.{c}" for c in SUMMARY_COLUMNS[1:])
    marks = ", ".join(["%s"] * len(SUMMARY_COLUMNS))
    upsert = (f"INSERT INTO {summary} ({', '.join(SUMMARY_COLUMNS)}) VALUES ({marks})"  # noqa: S608 - constant names
              f" ON CONFLICT (student_id) DO UPDATE SET {updates}")
    insert = (f"INSERT INTO {ops.quote_name(FamilyReachMonth._meta.db_table)} ({', '.join(MONTH_COLUMNS)})"  # noqa: S608
              f" VALUES ({', '.join(['%s'] * len(MONTH_COLUMNS))})")
    with connection.cursor() as cursor:
        if rows:
            cursor.executemany(upsert, [adapt(row) for row in rows])
        if months:
            cursor.executemany(insert, [adapt(row) for row in months])


def _recount(touched: set[tuple[int, int | None, dt.date]]) -> None:
    """Rebuild the per-school monthly counts for the (district, school, month) cells a recompute touched."""
    cells: dict[tuple[int, int | None], set[dt.date]] = defaultdict(set)
    for district_id, school_id, month in touched:
        cells[(district_id, school_id)].add(month)
    with transaction.atomic():
        for (district_id, school_id), month_set in cells.items():
            where = Q(school_id=school_id) if school_id is not None else Q(school_id__isnull=True)
            counts = (FamilyReachMonth.objects.filter(where, district_id=district_id, month__in=month_set)
                      .values("month").annotate(reached=Count("id"), two_way=Count("id", filter=Q(two_way=True))))
            ReachMonthCount.objects.filter(where, district_id=district_id, month__in=month_set).delete()
            ReachMonthCount.objects.bulk_create([
                ReachMonthCount(district_id=district_id, school_id=school_id, month=row["month"],
                                reached=row["reached"], two_way=row["two_way"]) for row in counts])


def changed_students(since: dt.datetime) -> set[int]:
    """Students whose family's summary may have changed since `since` (see the module's docstring)."""
    guardians: set[int] = set()
    guardians.update(Delivery.objects.filter(Q(sent_at__gt=since) | Q(finished_at__gt=since) | Q(read_at__gt=since))
                     .values_list("guardian_id", flat=True).distinct())
    guardians.update(Conversation.objects.filter(last_entry_at__gt=since).values_list("guardian_id", flat=True))
    guardians.update(ContactLog.guardians.through.objects.filter(contactlog__updated_at__gt=since)
                     .values_list("guardian_id", flat=True))
    guardians.update(Guardian.objects.filter(updated_at__gt=since).values_list("id", flat=True))
    students: set[int] = set()
    if guardians:
        ordered = sorted(guardians)
        for start in range(0, len(ordered), 5000):
            students.update(StudentGuardian.objects.filter(guardian_id__in=ordered[start:start + 5000])
                            .values_list("student_id", flat=True))
    students.update(ContactLog.students.through.objects.filter(contactlog__updated_at__gt=since)
                    .values_list("student_id", flat=True))
    students.update(Student.objects.filter(updated_at__gt=since).values_list("id", flat=True))
    students.update(Student.objects.filter(is_active=True).exclude(
        pk__in=FamilyReach.objects.values("student_id")).values_list("id", flat=True))
    return students


@dataclass
class Refreshed:
    families: int
    full: bool
    seconds: float


def refresh(*, full: bool = False, now: dt.datetime | None = None) -> Refreshed:
    """Bring the summary up to date: only what changed since the watermark, or everything with `full`."""
    import time

    started = time.perf_counter()
    now = now or timezone.now()
    with transaction.atomic():
        mark, _created = ReachWatermark.objects.select_for_update().get_or_create(name=WATERMARK)
        whole = full or mark.at is None
        ids = (set(Student.objects.values_list("id", flat=True)) if whole or mark.at is None
               else changed_students(mark.at - MARGIN))
        count = recompute(ids, now=now)
        mark.at = now
        mark.finished_at = timezone.now()
        mark.save(update_fields=["at", "finished_at"])
    if whole:
        _analyze()
    return Refreshed(count, whole, time.perf_counter() - started)


def _analyze() -> None:
    """Fresh planner statistics after a full rebuild: estimated from the empty tables, the not-reached list's
    query read every not-reached family of the district (67,000 at 100,000 students) instead of its index's first
    rows."""
    with connection.cursor() as cursor:
        for model in (FamilyReach, FamilyReachMonth, ReachMonthCount):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def refreshed_at() -> dt.datetime | None:
    return ReachWatermark.objects.filter(name=WATERMARK).values_list("at", flat=True).first()
