"""Plain present days are stored as PresentDays characters, the other days as attendance rows: files that correct,
move and remove days keep each day in exactly one place, and the evaluation reads the same year either way."""

from __future__ import annotations

import importlib
from datetime import date
from types import SimpleNamespace

from django.apps import apps as django_apps
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homeroom.attendance.classify import classify_year
from homeroom.attendance.evaluation import Calendars, latest_day, load_days, rules_for
from homeroom.attendance.models import AttendanceRecord, PresentDays, StudentAttendance
from tests.attendance.helpers import run_import, stored_days, weekdays

TODAY = date(2025, 10, 31)
DAYS = weekdays(date(2025, 9, 1), 12)
HEADER = "studentSourcedId,date,status,reasonCode,minutesPresent,minutesInDay,schoolSourcedId,recordStatus"
STATUS_WORDS = {"present": "present", "absent": "absent_full", "tardy": "tardy", "absent half day": "absent_half"}


def _row(student, day, status="present", reason="", school="", minutes=("", ""), record=""):  # type: ignore[no-untyped-def]
    return (student.sourced_id, day.isoformat(), status, reason, *minutes, school, record)


def _import(world, rows):  # type: ignore[no-untyped-def]
    report = run_import(world, rows, today=TODAY, header=HEADER)
    assert report.ok, [str(p) for p in report.errors]
    return report.summary["attendance"]


def test_a_present_day_is_a_character_and_an_absence_a_row(world):
    counts = _import(world, [_row(world.sofia, day) for day in DAYS[:3]] + [_row(world.sofia, DAYS[3], "absent")])
    assert counts["created"] == 4
    assert AttendanceRecord.objects.get().day == DAYS[3]
    year = PresentDays.objects.get()
    assert (year.student_id, year.school_id, year.school_year) == (world.sofia.pk, world.sofia.school_id, 2025)
    assert year.days.index("1") == (DAYS[0] - date(2025, 7, 1)).days and year.days.count("1") == 3
    assert latest_day(world.sofia.pk) == DAYS[3]


def test_a_present_day_with_a_reason_or_minutes_is_a_row(world):
    _import(world, [_row(world.sofia, DAYS[0], reason="illness"), _row(world.sofia, DAYS[1], minutes=("200", "390"))])
    assert AttendanceRecord.objects.count() == 2 and not PresentDays.objects.exists()


def test_a_present_day_corrected_to_an_absence_and_back(world):
    _import(world, [_row(world.sofia, day) for day in DAYS])
    counts = _import(world, [_row(world.sofia, DAYS[4], "absent")])
    assert (counts["updated"], counts["created"]) == (1, 0)
    assert stored_days(world.sofia)[(world.sofia.pk, DAYS[4])] == (world.sofia.school_id, "absent_full")
    assert StudentAttendance.objects.get(student=world.sofia).absences == 1
    counts = _import(world, [_row(world.sofia, DAYS[4])])
    assert counts["updated"] == 1
    assert not AttendanceRecord.objects.exists()
    assert PresentDays.objects.get().days.count("1") == len(DAYS)
    assert StudentAttendance.objects.get(student=world.sofia).absences == 0


def test_a_present_day_moved_to_another_school(world):
    _import(world, [_row(world.sofia, day) for day in DAYS])
    other = world.washington if world.sofia.school_id != world.washington.pk else world.lincoln
    counts = _import(world, [_row(world.sofia, day, school=other.sourced_id) for day in DAYS[6:]])
    assert counts["updated"] == len(DAYS) - 6
    by_school = dict(PresentDays.objects.values_list("school_id", "days"))
    assert by_school[world.sofia.school_id].count("1") == 6 and by_school[other.pk].count("1") == len(DAYS) - 6
    assert {school for school, _status in stored_days(world.sofia).values()} == {world.sofia.school_id, other.pk}


def test_removing_every_present_day_removes_the_year(world):
    _import(world, [_row(world.sofia, day) for day in DAYS[:2]])
    counts = _import(world, [_row(world.sofia, day, record="tobedeleted") for day in DAYS[:2]])
    assert counts["deactivated"] == 2
    assert not PresentDays.objects.exists() and not stored_days()
    assert not StudentAttendance.objects.filter(student=world.sofia).exists()


def test_the_same_present_days_again_write_nothing(world):
    rows = [_row(world.sofia, day) for day in DAYS]
    _import(world, rows)
    before = list(PresentDays.objects.values_list("pk", "days", "updated_at"))
    counts = _import(world, rows[3:])
    assert (counts["unchanged"], counts["updated"], counts["created"]) == (len(DAYS) - 3, 0, 0)
    assert list(PresentDays.objects.values_list("pk", "days", "updated_at")) == before


kinds = st.sampled_from(["present", "present", "present", "absent", "tardy", "illness", "minutes", "delete"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(files=st.lists(st.lists(st.tuples(st.integers(0, 1), st.integers(0, len(DAYS) - 1), kinds, st.booleans()),
                               min_size=1, max_size=14), min_size=1, max_size=4))
def test_any_run_of_files_stores_each_day_once_and_evaluates_as_day_by_day(world, files):  # type: ignore[no-untyped-def]
    """Each file's rows land as a dict of the days would have them; the importer's evaluation (from PresentDays'
    bits, or from a checkpoint) counts what classifying the stored days one by one counts."""
    students, schools = [world.sofia, world.liam], [world.lincoln, world.washington]
    with transaction.atomic():
        expected: dict[tuple[int, date], tuple[int, str]] = {}
        for rows in files:
            latest: dict[tuple[int, date], tuple] = {}  # type: ignore[type-arg]
            for student_index, day_index, kind, at_second in rows:  # one row per student and day in a file
                student, day, school = students[student_index], DAYS[day_index], schools[int(at_second)]
                latest[(student.pk, day)] = (student, day, kind, school)
            file_rows = []
            for (student_pk, day), (student, _day, kind, school) in latest.items():
                status = {"absent": "absent", "tardy": "tardy"}.get(kind, "present")
                minutes = ("300", "390") if kind == "minutes" else ("", "")
                file_rows.append(_row(student, day, status, reason="illness" if kind == "illness" else "",
                                      school=school.sourced_id, minutes=minutes,
                                      record="tobedeleted" if kind == "delete" else ""))
                if kind == "delete":
                    expected.pop((student_pk, day), None)
                else:
                    expected[(student_pk, day)] = (school.pk, STATUS_WORDS[status])
            _import(world, file_rows)
            assert stored_days() == expected
            rules, calendars = rules_for(world.district.pk), Calendars(world.district.pk)
            for student in students:
                days = load_days([student.pk], [2025]).get((student.pk, 2025), [])
                result = classify_year(days, rules, calendars, TODAY)
                found = {row[0]: row[1:] for row in StudentAttendance.objects.filter(student=student).values_list(
                    "school_id", "days_enrolled", "days_present", "absences", "tardies")}
                assert found == {school: (c.days_enrolled, c.days_present, c.absences, c.tardies)
                                 for school, c in result.schools.items()}
        transaction.set_rollback(True)


def test_the_migration_moves_stored_present_days_apart_and_back(world):
    """Attendance stored before PresentDays (a row per day) becomes PresentDays, and the reverse restores it."""
    migration = importlib.import_module("homeroom.attendance.migrations.0005_present_days_apart")
    editor = SimpleNamespace(connection=connection)
    now = timezone.now()

    def row(day, status="present", **more):  # type: ignore[no-untyped-def]
        return AttendanceRecord(district=world.district, student=world.sofia, school_id=world.sofia.school_id, day=day,
                                school_year=2025, status=status, updated_at=now, **more)

    AttendanceRecord.objects.bulk_create([row(day) for day in DAYS[:5]] + [
        row(DAYS[5], "absent_full"), row(DAYS[6], reason="illness"), row(DAYS[7], minutes_present=200,
                                                                         minutes_in_day=390)])
    before = stored_days()
    migration.present_days_apart(django_apps, editor)
    assert stored_days() == before
    assert AttendanceRecord.objects.count() == 3 and PresentDays.objects.get().days.count("1") == 5
    migration.present_days_back(django_apps, editor)
    assert not PresentDays.objects.exists() and AttendanceRecord.objects.count() == 8
    assert stored_days() == before
