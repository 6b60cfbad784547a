"""The attendance import: read the file, check every row, then write and re-evaluate in one transaction (or nothing).

Only the students whose rows were created, changed or removed are re-evaluated, so a day's file touches a day's
worth of work and a re-import of the same file writes nothing at all.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeroom.attendance.classify import Day, YearDays
from homeroom.attendance.evaluation import (
    Calendars,
    DayReader,
    Summaries,
    attach_notes,
    basis_for,
    evaluate,
    load_checkpoints,
    load_tails,
    load_years,
    rules_for,
    school_year_of,
)
from homeroom.attendance.figures import figures_refresh
from homeroom.attendance.importers.in_database import stage_if_clean
from homeroom.attendance.importers.parse import FILE_NAME, AttendanceFile, AttendanceRow
from homeroom.attendance.importers.staging import StagedRow, Staging
from homeroom.attendance.models import AttendanceImportRun
from homeroom.attendance.outreach import escalate_overdue, outreach_after_evaluation
from homeroom.attendance.tasks import send_attendance_notices
from homeroom.roster.importers.problems import ImportReport, Problem, Problems
from homeroom.roster.importers.source import Limits, SourceFile
from homeroom.roster.models import District, School, Student

logger = logging.getLogger(__name__)
STORED_PROBLEMS = 5000
CHUNK = 5000  # (student, school year)s evaluated at a time: ~900,000 rows in memory
ENTITY = "attendance"
# How far back a changed row can still prompt a day-of notice (the plans' windows are a school day or a few).
NOTICE_LOOKBACK_DAYS = 31


class _DryRun(Exception):
    """Raised inside the transaction to roll a check-only run back."""


class _Rejected(Exception):
    """Raised inside the transaction when the file has errors: nothing it brought is kept."""


@dataclass
class AttendanceReport(ImportReport):
    """The roster importer's report, plus what the re-evaluation did."""

    evaluation: dict[str, int] = field(default_factory=dict)


def import_attendance(source: Path | IO[bytes], *, district: District, user: Any = None, dry_run: bool = False,
                      today: date | None = None) -> AttendanceReport:
    """Import one attendance CSV (a path or an uploaded file) into `district`."""
    today = today or timezone.localdate()
    name = _source_name(source)
    report = AttendanceReport(source_name=name, version="attendance", dry_run=dry_run)
    problems = Problems()
    rules = rules_for(district.pk)
    try:
        with transaction.atomic():
            District.objects.select_for_update().filter(pk=district.pk).first()  # one import per district at a time
            stage = Staging()
            limits = Limits.from_settings()
            attendance = AttendanceFile(_source_file(source, name), problems, frozenset(rules.reasons), limits)
            # Rows are checked against the roster only if the file itself could be read (as the roster importer
            # does): the roster's complaints wait aside until the end of the file.
            roster_problems = Problems()
            resolver = _Resolver(name, district, roster_problems, today)
            table = attendance.table
            if table is None or not stage_if_clean(table.source, table.columns, district_id=district.pk, today=today,
                                                   reasons=rules.reasons, calendars=resolver.calendars,
                                                   limits=limits):
                for row in attendance:  # the Python reading, which names every problem
                    resolved = resolver.resolve(row)
                    if resolved is not None:
                        stage.add(resolved)
            stage.finish()
            if attendance.readable:
                _merge(problems, roster_problems)
                for number, student, day, first in stage.duplicates(problems.limit):
                    problems.error(name, number, "date", _("%(student)s on %(day)s already appears on row %(row)s.")
                                   % {"student": resolver.sourced_id(student), "day": day.isoformat(), "row": first})
            if problems.errors:
                raise _Rejected
            with _collector_paused():
                _write(district.pk, stage, report, today, resolver.calendars)
            stage.drop()
            if dry_run:
                raise _DryRun
    except _Rejected:
        report.errors, report.warnings = problems.errors, problems.warnings
        if not dry_run:
            _record(report, district, user, AttendanceImportRun.Result.REJECTED)
        return report
    except _DryRun:
        pass
    report.warnings = problems.warnings
    if not dry_run:
        result = AttendanceImportRun.Result.UNCHANGED if report.unchanged else AttendanceImportRun.Result.APPLIED
        _record(report, district, user, result)
        district_id = district.pk
        transaction.on_commit(lambda: send_attendance_notices.enqueue(district_id))
    logger.info("Attendance import into district %s: %s", district.pk, report.summary.get(ENTITY))
    return report


class _Resolver:
    """Checks each row against the roster and the calendar, and gives it its database ids."""

    def __init__(self, name: str, district: District, problems: Problems, today: date) -> None:
        self.name, self.problems, self.today = name, problems, today
        self.students = {sid: (pk, school) for sid, pk, school in Student.objects.filter(district=district).exclude(
            sourced_id="").values_list("sourced_id", "pk", "school_id")}
        self.schools = dict(School.objects.filter(district=district).exclude(sourced_id="").values_list(
            "sourced_id", "pk"))
        self.calendars = Calendars(district.pk)
        self.by_pk: dict[int, str] | None = None

    def sourced_id(self, student_pk: int) -> str:
        if self.by_pk is None:
            self.by_pk = {pk: sid for sid, (pk, _school) in self.students.items()}
        return self.by_pk[student_pk]

    def resolve(self, row: AttendanceRow) -> StagedRow | None:
        name, problems = self.name, self.problems
        found = self.students.get(row.student)
        if found is None:
            problems.error(name, row.row, "studentSourcedId",
                           _("%(id)s is not a student on the roster.") % {"id": row.student})
            return None
        student_pk, home_school = found
        school_pk: int | None = home_school
        if row.school:
            school_pk = self.schools.get(row.school)
            if school_pk is None:
                problems.error(name, row.row, "schoolSourcedId",
                               _("%(id)s is not a school on the roster.") % {"id": row.school})
                return None
        if school_pk is None:
            problems.error(name, row.row, "schoolSourcedId",
                           _("The student has no school on the roster; give schoolSourcedId."))
            return None
        if row.day > self.today:
            problems.error(name, row.row, "date", _("%(day)s is in the future.") % {"day": row.day.isoformat()})
            return None
        if row.documentation_on is not None and row.documentation_on > self.today:
            problems.error(name, row.row, "documentationReceived",
                           _("%(day)s is in the future.") % {"day": row.documentation_on.isoformat()})
            return None
        if not row.delete and not self.calendars[school_pk](row.day):
            problems.warn(name, row.row, "date", _("%(day)s is not a school day on the school's calendar; the row "
                                                   "is kept but does not count.") % {"day": row.day.isoformat()})
        return (row.row, student_pk, school_pk, row.day, school_year_of(row.day), row.status, row.reason,
                row.minutes_present, row.minutes_in_day, row.documentation_on, row.documentation_kind, row.delete)


def _merge(problems: Problems, more: Problems) -> None:
    for problem in more.errors:
        problems.error(problem.file, problem.row, problem.column, problem.message)
    for problem in more.warnings:
        problems.warn(problem.file, problem.row, problem.column, problem.message)
    problems.more_errors += more.more_errors
    problems.more_warnings += more.more_warnings


def _write(district_id: int, stage: Staging, report: AttendanceReport, today: date, calendars: Calendars) -> None:
    """Merge the staged rows in SQL, then re-evaluate the (student, school year)s that changed, a chunk of
    students at a time, each from its checkpoint when every change is newer than it."""
    counts = report.counts(ENTITY)
    now = timezone.now()
    changed, unchanged = stage.merge(district_id, now)
    counts["created"] += sum(c.created for c in changed)
    counts["updated"] += sum(c.updated for c in changed)
    counts["deactivated"] += sum(c.deleted for c in changed)
    counts["unchanged"] += unchanged
    rules = rules_for(district_id)
    basis = basis_for(district_id, rules)
    notice_since = today - timedelta(days=NOTICE_LOOKBACK_DAYS)
    evaluated_total = 0
    touched_schools: set[int] = set()
    touched_years: set[int] = set()
    outreach_totals: dict[str, int] = defaultdict(int)
    summaries = Summaries(district_id, rules, basis)  # written once, after the last chunk
    for start in range(0, len(changed), CHUNK):
        gc.collect(0)  # the cycles the last chunk left, if any (see _collector_paused)
        chunk = changed[start:start + CHUNK]
        first_change = {(c.student_id, c.school_year): c.first_day for c in chunk}
        student_ids = sorted({c.student_id for c in chunk})
        checkpoints = load_checkpoints(student_ids, {c.school_year for c in chunk}, basis)
        starts = {key: found for key, found in checkpoints.items()
                  if key in first_change and first_change[key] > found[0]}
        days: dict[tuple[int, int], list[Day] | YearDays] = {}
        days.update(load_years([key for key in first_change if key not in starts]))
        read = DayReader()
        tails: dict[tuple[int, int], list[Day]] = defaultdict(list)
        for row in load_tails({key: settled for key, (settled, _state) in starts.items()}):
            tails[(row[0], school_year_of(row[1]))].append(read(row))
        days.update(tails)
        for key in first_change:
            days.setdefault(key, [])  # every row gone: the summaries are rewritten empty
        attach_notes(days)
        evaluated = evaluate(district_id, days, today=today, rules=rules, calendars=calendars, basis=basis,
                             starts=starts, into=summaries)
        evaluated_total += len(evaluated)
        touched_years.update(year for _sid, year in days)
        touched_schools.update(school for item in evaluated for school in item.result.schools)
        touched_schools.update(school for year in days.values() for school in _schools(year))
        # Rows this import created or changed carry its timestamp: only those can prompt a day-of notice.
        new_days = stage.written_since(notice_since, now, student_ids)
        for name, value in outreach_after_evaluation(district_id, evaluated, today=today, new_days=new_days,
                                                     calendars=calendars).items():
            outreach_totals[name] += value
    summaries.write()
    figures_refresh(district_id, touched_schools, touched_years)
    escalate_overdue(today=today, district_id=district_id)
    report.evaluation = {"students": evaluated_total, **outreach_totals}


def _schools(year: list[Day] | YearDays) -> set[int]:
    if isinstance(year, YearDays):
        return {*year.plain.bits, *(day.school_id for day in year.exceptions)}
    return {day.school_id for day in year}


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while the import evaluates (it collects once per chunk instead).

    The evaluation allocates millions of small objects (rows, days, counts, checkpoint states) that reference
    counting frees; the automatic collector, set off by the allocations, walked every live object again and
    again: a quarter of a day's import at 111,112 students (37 s with it, 27 s without).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _source_file(source: Path | IO[bytes], name: str) -> SourceFile:
    """How to open the file (each reading opens it afresh): a path, or an upload."""
    if isinstance(source, Path):
        return SourceFile(name, lambda: source.open("rb"))
    temporary = getattr(source, "temporary_file_path", None)
    if temporary is not None:  # a large upload, which Django has already written to disk
        path = Path(temporary())
        return SourceFile(name, lambda: path.open("rb"))
    data = source.read()  # a small upload, held in memory by Django already
    return SourceFile(name, lambda: io.BytesIO(data))


def _source_name(source: Path | IO[bytes]) -> str:
    name = source.name if isinstance(source, Path) else getattr(source, "name", "") or FILE_NAME
    return str(Path(str(name)).name)[:255]


def _stored(items: list[Problem]) -> list[dict[str, Any]]:
    return [p.as_dict() for p in items[:STORED_PROBLEMS]]


def _record(report: AttendanceReport, district: District, user: Any, result: str) -> None:
    run = AttendanceImportRun.objects.create(
        district=district, source_name=report.source_name, result=result,
        summary={"records": report.summary.get(ENTITY, {}), "evaluation": report.evaluation},
        errors=_stored(report.errors), warnings=_stored(report.warnings), finished_at=timezone.now(),
        created_by=user if user is not None and getattr(user, "is_authenticated", False) else None,
    )
    report.import_run_id = run.pk
