"""Re-evaluating students after their rows or notes change: classify each touched student's year, then rewrite
their per-school summaries, month rows and checkpoints in bulk (nobody else's).

A checkpoint holds a student's counts up to the last day whose outcome can no longer change. The importer
classifies from it when every row it brings is newer, so a day's file costs a few days per student, not a year.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from django.db import connection

from homeroom.attendance import bulk, present_days
from homeroom.attendance.classify import (
    PRESENT,
    Checkpoint,
    Day,
    Document,
    IsSchoolDay,
    PlainDays,
    SchoolCounts,
    YearDays,
    YearResult,
    YearState,
    classify_year,
    month_key,
)
from homeroom.attendance.models import (
    AbsenceNote,
    AttendanceCheckpoint,
    AttendanceMonth,
    AttendanceRecord,
    DistrictRules,
    PresentDays,
    StudentAttendance,
)
from homeroom.attendance.rules import Rules, build_rules, merge, shipped_rules
from homeroom.roster.models import District, School, Student
from homeroom.schoolcalendar.days import calendar_for
from homeroom.schoolcalendar.models import Closure, SchoolCalendar

CHUNK = 5000  # students per query (the importer evaluates 5,000 at a time)
# Part of every checkpoint's basis: a checkpoint stored in an earlier form (see YearState.as_json) is not read, and
# the student's whole year is classified again, once.
CHECKPOINT_FORMAT = 2
RECORD_COLUMNS = ("student_id", "day", "school_id", "status", "reason", "minutes_present", "minutes_in_day",
                  "documentation_received_on", "documentation_kind")


def school_year_of(day: date) -> int:
    """School years run July to June and are named by the year they start in."""
    return day.year if day.month >= 7 else day.year - 1


def rules_for(district_id: int) -> Rules:
    overrides = DistrictRules.objects.filter(district_id=district_id).values_list("overrides", flat=True).first()
    return build_rules(merge(shipped_rules(), overrides or {}))


def basis_for(district_id: int, rules: Rules) -> str:
    """A fingerprint of what classification depends on besides the rows: the rules and the district's calendars."""
    calendars = list(SchoolCalendar.objects.filter(district_id=district_id).order_by("pk").values_list(
        "school_id", "start_date", "end_date"))
    closures = list(Closure.objects.filter(district_id=district_id).order_by("pk").values_list(
        "school_id", "start_date", "end_date"))
    text = json.dumps([CHECKPOINT_FORMAT, rules.source, calendars, closures], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class Calendars(dict[int, IsSchoolDay]):
    """School id → is_school_day, loaded on first use."""

    def __init__(self, district_id: int) -> None:
        super().__init__()
        self.district_id = district_id

    def __missing__(self, school_id: int) -> IsSchoolDay:
        calendar = calendar_for(SimpleNamespace(pk=school_id, district_id=self.district_id))
        # A year has a few hundred days and a district's students ask about the same ones: remember them.
        is_school_day = lru_cache(maxsize=4096)(calendar.is_school_day)
        self[school_id] = is_school_day
        return is_school_day


@dataclass
class Evaluated:
    student_id: int
    school_year: int
    result: YearResult
    # Classified from a checkpoint: the months before this one are as the checkpoint left them (not rewritten).
    months_from: date | None = None

    @property
    def current(self) -> SchoolCounts | None:
        return self.result.current_school()


class DayReader:
    """Attendance rows (RECORD_COLUMNS first) → Days.

    A row with a status and nothing else becomes a Day shared by every student with that status at that school
    that day: the rules only read Days, and a day's file or a chunk of absences has many alike (load_years reads
    the plain present days as PresentDays' bits instead). Days are therefore never changed in place (attach_notes
    gives a day with notes a Day of its own).
    """

    def __init__(self) -> None:
        self._plain: dict[tuple[date, int, str], Day] = {}

    def __call__(self, row: tuple) -> Day:  # type: ignore[type-arg]
        day, school, status, reason, present, in_day, received = row[1], row[2], row[3], row[4], row[5], row[6], row[7]
        if not reason and present is None and in_day is None and received is None:
            key = (day, school, status)
            found = self._plain.get(key)
            if found is None:
                found = self._plain[key] = Day(day, school, status)
            return found
        documents = [Document(row[8] or "parent", received)] if received else []
        return Day(day, school, status, reason, present, in_day, documents)


def load_days(student_ids: Iterable[int], school_years: Iterable[int]) -> dict[tuple[int, int], list[Day]]:
    """(student, school year) → days, with the accepted notes attached: a few students' years, day by day."""
    ids, years = list(student_ids), list(school_years)
    found: dict[tuple[int, int], list[Day]] = defaultdict(list)
    read = DayReader()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for row in bulk.rows(AttendanceRecord.objects.filter(student_id__in=chunk, school_year__in=years).values_list(
                *RECORD_COLUMNS, "school_year").order_by()):
            found[(row[0], row[-1])].append(read(row))
        for student, school, year, text in bulk.rows(PresentDays.objects.filter(
                student_id__in=chunk, school_year__in=years).values_list(
                "student_id", "school_id", "school_year", "days").order_by()):
            found[(student, year)].extend(read(_present(student, day, school))
                                          for day in present_days.days_of(year, text))
    attach_notes(found)
    return found


def latest_day(student_id: int) -> date | None:
    """The student's last day on record, present or not."""
    found = list(AttendanceRecord.objects.filter(student_id=student_id).order_by("-day").values_list(
        "day", flat=True)[:1])
    for year, text in PresentDays.objects.filter(student_id=student_id).values_list("school_year", "days"):
        last = present_days.last_of(year, text)
        if last is not None:
            found.append(last)
    return max(found, default=None)


def _present(student_id: int, day: date, school_id: int) -> tuple:  # type: ignore[type-arg]
    """A PresentDays day as an attendance row (RECORD_COLUMNS)."""
    return (student_id, day, school_id, PRESENT, "", None, None, None, None)


def load_years(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], YearDays]:
    """(student, school year) → every day of those years, a chunk of students per query: the attendance rows as
    Days, and the plain present days as bits per school (PresentDays). Notes are attached by the caller."""
    wanted = set(keys)
    found: dict[tuple[int, int], YearDays] = {}
    ids = sorted({student for student, _year in wanted})
    years = sorted({year for _student, year in wanted})
    read = DayReader()
    records = connection.ops.quote_name(AttendanceRecord._meta.db_table)
    present = connection.ops.quote_name(PresentDays._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            students, params = bulk.ids_condition("student_id", ids[start:start + CHUNK])
            within = f"{students} AND school_year IN ({', '.join(['%s'] * len(years))})"
            cursor.execute(f"SELECT student_id, school_year, school_id, days FROM {present} "  # noqa: S608
                           f"WHERE {within}", [*params, *years])
            for student, year, school, text in cursor.fetchall():
                if (student, year) in wanted:
                    _year_days(found, (student, year)).plain.bits[school] = present_days.as_bits(text)
            columns = ", ".join(connection.ops.quote_name(c) for c in (*RECORD_COLUMNS, "school_year"))
            cursor.execute(f"SELECT {columns} FROM {records} WHERE {within}", [*params, *years])  # noqa: S608
            # PostgreSQL gives dates as dates: its rows are read as they come (a million a year's evaluation).
            dated = connection.vendor == "postgresql"
            for row in cursor.fetchall():
                key = (row[0], row[-1])
                if key in wanted:
                    _year_days(found, key).exceptions.append(
                        read(row if dated else (row[0], _as_date(row[1]), *row[2:7], _as_date(row[7]), row[8])))
    return found


def _year_days(found: dict[tuple[int, int], YearDays], key: tuple[int, int]) -> YearDays:
    """The (student, school year)'s entry, made empty (its bits from July 1) when first seen."""
    entry = found.get(key)
    if entry is None:
        entry = found[key] = YearDays([], PlainDays(present_days.origin(key[1])))
    return entry


def load_checkpoints(student_ids: Iterable[int], school_years: Iterable[int],
                     basis: str) -> dict[tuple[int, int], tuple[date, list]]:  # type: ignore[type-arg]
    """(student, school year) → (settled through, state as JSON) for the checkpoints computed under `basis`."""
    ids, years = list(student_ids), list(school_years)
    found = {}
    for start in range(0, len(ids), CHUNK):
        # As the driver returns them (a JSON column as text, on both databases): the ORM's per-row conversion
        # cost as much as the query for a day's file.
        for student, year, settled, state in bulk.rows(bulk.with_ids(AttendanceCheckpoint.objects.filter(
                school_year__in=years, basis=basis), "student_id", ids[start:start + CHUNK]).values_list(
                "student_id", "school_year", "settled_through", "state")):
            found[(student, year)] = (settled if isinstance(settled, date) else date.fromisoformat(settled),
                                      json.loads(state) if isinstance(state, str) else state)
    return found


def load_tails(after: dict[tuple[int, int], date]) -> list[tuple]:  # type: ignore[type-arg]
    """The days of each (student, school year) after its own day, as attendance rows (RECORD_COLUMNS): the
    attendance rows a chunk at a time, each student's by the index; the PresentDays all in one query on
    PostgreSQL (a chunk's were looked up one by one by the index, 1.7 s of a day's file: all of them are hashed
    in a third of that)."""
    records = connection.ops.quote_name(AttendanceRecord._meta.db_table)
    present = connection.ops.quote_name(PresentDays._meta.db_table)
    columns = ", ".join(f"r.{connection.ops.quote_name(c)}" for c in RECORD_COLUMNS)
    join = "AS r JOIN after AS a ON r.student_id = a.student_id AND r.school_year = a.school_year"
    position = present_days.position_sql("a.day", "a.school_year")
    keys = list(after.items())
    rows: list[tuple] = []  # type: ignore[type-arg]
    years: list[tuple] = []  # type: ignore[type-arg]
    with connection.cursor() as cursor:
        later = f"SELECT {columns} FROM {records} {join} WHERE r.day > a.day"  # noqa: S608
        for start in range(0, len(keys), CHUNK):
            cursor.execute(*_after(keys[start:start + CHUNK], later))
            rows.extend(cursor.fetchall())
        # Only the characters after the day: a day's file wants one or two of a year's 366.
        rest = f"SELECT r.student_id, r.school_id, a.day, substr(r.days, {position} + 2) FROM {present} {join}"  # noqa: S608
        whole = max(len(keys), 1) if connection.vendor == "postgresql" else CHUNK
        for start in range(0, len(keys), whole):
            cursor.execute(*_after(keys[start:start + whole], rest))
            years.extend(cursor.fetchall())
    found = [(r[0], _as_date(r[1]), *r[2:7], _as_date(r[7]), r[8]) for r in rows]
    for student, school, day, text in years:
        settled = day if isinstance(day, date) else date.fromisoformat(day)
        found.extend(_present(student, later, school) for later in present_days.days_after(settled, text))
    return found


def _after(keys: list[tuple[tuple[int, int], date]], select: str) -> tuple[str, list[Any]]:
    """`select` with the (student, school year, day)s as a table named `after`, and its parameters."""
    if connection.vendor == "postgresql":  # three arrays: a thousand placeholders cost more than the query
        starts = "SELECT * FROM unnest(%s::integer[], %s::integer[], %s::date[])"
        params: list[Any] = [bulk.array_literal(student for (student, _year), _day in keys),
                             bulk.array_literal(year for (_student, year), _day in keys),
                             bulk.array_literal(day for _key, day in keys)]
    else:
        starts = "VALUES " + ", ".join(["(%s, %s, %s)"] * len(keys))
        params = [value for (student, year), day in keys for value in (student, year, day)]
    # Column names of a VALUES list differ between databases: name them with a CTE.
    return f"WITH after (student_id, school_year, day) AS ({starts}) {select}", params


def _as_date(value: date | str | None) -> date | None:
    """A raw cursor may give a date back as text (SQLite, through a CTE, loses the column's declared type)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def attach_notes(days: Mapping[tuple[int, int], list[Day] | YearDays]) -> None:
    """Give each day the accepted notes about it (plain days have none to be given: a note only changes what an
    absence counts as)."""
    student_ids = sorted({student for student, _year in days})
    by_day: dict[tuple[int, date], list[Document]] = defaultdict(list)
    for start in range(0, len(student_ids), CHUNK):
        for student, day, kind, received in bulk.with_ids(AbsenceNote.objects.filter(
                state=AbsenceNote.State.ACCEPTED), "student_id", student_ids[start:start + CHUNK]).values_list(
                "student_id", "day", "kind", "received_on"):
            by_day[(student, day)].append(Document(kind, received))
    if not by_day:
        return
    for (student, _year), year in days.items():
        entries = year.exceptions if isinstance(year, YearDays) else year
        for i, entry in enumerate(entries):
            notes = by_day.get((student, entry.day))
            if notes:
                entries[i] = replace(entry, documents=[*entry.documents, *notes])


def evaluate(district_id: int, days: Mapping[tuple[int, int], list[Day] | YearDays], *, today: date,
             rules: Rules | None = None, calendars: Calendars | None = None, basis: str | None = None,
             starts: dict[tuple[int, int], tuple[date, list]] | None = None,  # type: ignore[type-arg]
             into: Summaries | None = None) -> list[Evaluated]:
    """Classify each (student, year) given with all its days (or, with a start, its days after the start), and
    rewrite those students' summaries and checkpoints (or, with `into`, add their rows to it for the caller to
    write)."""
    rules = rules or rules_for(district_id)
    calendars = calendars or Calendars(district_id)
    basis = basis or basis_for(district_id, rules)
    starts = starts or {}
    evaluated = []
    for key, entries in days.items():
        start = starts.get(key)
        checkpoint = Checkpoint(start[0], YearState.from_json(start[1])) if start is not None else None
        evaluated.append(Evaluated(key[0], key[1], classify_year(entries, rules, calendars, today, checkpoint,
                                                                 plain_outcomes=False),
                                   start[0].replace(day=1) if start is not None else None))
    if into is not None:
        into.add(evaluated)
    else:
        summaries = Summaries(district_id, rules, basis)
        summaries.add(evaluated)
        summaries.write()
    return evaluated


SUMMARY_COLUMNS = ("district_id", "student_id", "school_id", "school_year", "is_current", "days_enrolled",
                   "days_present", "absences", "excused", "unexcused", "disciplinary", "tardies", "early_dismissals",
                   "missing_documentation", "at_risk", "chronic", "truant", "truant_since", "first_day", "last_day")
MONTH_COLUMNS = ("district_id", "student_id", "school_id", "school_year", "month", "days_enrolled", "absences",
                 "chronic")


CHECKPOINT_COLUMNS = ("district_id", "student_id", "school_year", "settled_through", "basis", "state")


class Summaries:
    """The summary, month and checkpoint rows of evaluated students, gathered chunk by chunk, then written in one
    bulk.replace per table and group of students evaluated alike (rows left as they were are not written).

    Each replace reads its whole table once: written after every chunk of 5,000 students, a day's import read the
    three tables twenty times over at 100,000 students, and its time grew with the square of the district.
    """

    def __init__(self, district_id: int, rules: Rules, basis: str) -> None:
        self.district_id, self.rules, self.basis = district_id, rules, basis
        # (school year, first month rewritten) → (students, summary rows, month rows, checkpoint rows)
        self.groups: dict[tuple[int, date | None], tuple[list[int], list[tuple], list[tuple], list[tuple]]] = {}  # type: ignore[type-arg]

    def add(self, evaluated: list[Evaluated]) -> None:
        alike: dict[tuple[int, date | None], list[Evaluated]] = defaultdict(list)
        for item in evaluated:
            alike[(item.school_year, item.months_from)].append(item)
        for key, items in alike.items():
            students, summaries, months, checkpoints = self.groups.setdefault(key, ([], [], [], []))
            more_summaries, more_months, more_checkpoints = _summary_rows(self.district_id, items, self.rules,
                                                                          self.basis)
            students.extend(item.student_id for item in items)
            summaries.extend(more_summaries)
            months.extend(more_months)
            checkpoints.extend(more_checkpoints)

    def write(self) -> None:
        # What the rows refer to, held as their (unchecked) foreign keys' checks would (see StudentAttendance).
        bulk.hold(District, [self.district_id])
        bulk.hold(Student, (student for students, _s, _m, _c in self.groups.values() for student in students))
        bulk.hold(School, (row[2] for _st, summaries, _m, _c in self.groups.values() for row in summaries))
        for (year, months_from), (students, summaries, months, checkpoints) in self.groups.items():
            month_rows = AttendanceMonth.objects.filter(school_year=year)
            if months_from is not None:  # a day's file: this month's rows, not the year's (ten times fewer)
                month_rows = month_rows.filter(month__gte=months_from)
            bulk.replace(StudentAttendance, ("student_id", "school_id", "school_year"), SUMMARY_COLUMNS, summaries,
                         bulk.with_ids(StudentAttendance.objects.filter(school_year=year), "student_id", students))
            bulk.replace(AttendanceMonth, ("student_id", "school_id", "month"), MONTH_COLUMNS, months,
                         bulk.with_ids(month_rows, "student_id", students))
            bulk.replace(AttendanceCheckpoint, ("student_id", "school_year"), CHECKPOINT_COLUMNS, checkpoints,
                         bulk.with_ids(AttendanceCheckpoint.objects.filter(school_year=year), "student_id",
                                       students))
        self.groups = {}


def _summary_rows(district_id: int, evaluated: list[Evaluated], rules: Rules,
                  basis: str) -> tuple[list[tuple], list[tuple], list[tuple]]:  # type: ignore[type-arg]
    """The StudentAttendance, AttendanceMonth and AttendanceCheckpoint rows of the students evaluated."""
    summaries: list[tuple] = []  # type: ignore[type-arg]
    months: list[tuple] = []  # type: ignore[type-arg]
    checkpoints: list[tuple] = []  # type: ignore[type-arg]
    for item in evaluated:
        checkpoint = item.result.checkpoint
        if checkpoint is not None:
            checkpoints.append((district_id, item.student_id, item.school_year, checkpoint.settled_through, basis,
                                json.dumps(checkpoint.state.as_json(
                                    months_from=month_key(checkpoint.settled_through)))))
        current = item.current
        months_from = month_key(item.months_from) if item.months_from is not None else ""
        for counts in item.result.schools.values():
            summaries.append((
                district_id, item.student_id, counts.school_id, item.school_year, counts is current,
                counts.days_enrolled, counts.days_present, counts.absences, counts.excused, counts.unexcused,
                counts.disciplinary, counts.tardies, counts.early_dismissals, counts.missing_documentation,
                counts.at_risk_since is not None, counts.chronic_since is not None, item.result.truant,
                item.result.truant_since, counts.first_day, counts.last_day,
            ))
            for month, (enrolled, absent) in counts.months.items():
                if month >= months_from:  # "YYYY-MM" strings compare as the months do
                    months.append((district_id, item.student_id, counts.school_id, item.school_year,
                                   date.fromisoformat(month + "-01"), enrolled, absent,
                                   enrolled > 0 and absent >= rules.chronic_ratio * enrolled))
    return summaries, months, checkpoints


def evaluate_students(district_id: int, student_ids: Iterable[int], school_years: Iterable[int], *,
                      today: date) -> list[Evaluated]:
    """Reload and re-evaluate a few students (after a note, say)."""
    return evaluate(district_id, load_days(student_ids, school_years), today=today)
