"""Importing attendance.csv: parse → validate → write, all or nothing, idempotent, only touched students counted."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection

from homeroom.attendance.evaluation import evaluate, load_days
from homeroom.attendance.importers.staging import Staging
from homeroom.attendance.models import (
    AttendanceCheckpoint,
    AttendanceImportRun,
    AttendanceMonth,
    AttendanceRecord,
    PresentDays,
    StudentAttendance,
)
from homeroom.roster.models import Student
from homeroom.schoolcalendar.models import Closure
from tests.attendance.helpers import csv_bytes, run_import, stored_days, weekdays

TODAY = date(2025, 9, 30)
DAYS = weekdays(date(2025, 9, 1), 20)
STORED = (AttendanceRecord, PresentDays)


def _month(world, student, absent_on=()):
    return [(student.sourced_id, d.isoformat(), "absent full day" if d in absent_on else "present", "", "", "")
            for d in DAYS]


def _summary(student):
    return StudentAttendance.objects.get(student=student, is_current=True)


def test_a_file_creates_one_row_per_student_and_day_and_counts_each_student(world):
    report = run_import(world, _month(world, world.sofia, absent_on=DAYS[:2]) + _month(world, world.liam),
                        today=TODAY)
    assert report.ok, report.errors
    assert report.summary["attendance"]["created"] == 40
    assert report.evaluation["students"] == 2
    sofia = _summary(world.sofia)
    assert (sofia.days_enrolled, sofia.absences, sofia.unexcused, sofia.chronic) == (20, 2, 2, True)
    assert AttendanceImportRun.objects.get().result == "applied"


def test_the_same_file_again_changes_nothing(world):
    rows = _month(world, world.sofia, absent_on=DAYS[:1])
    run_import(world, rows, today=TODAY)
    before = [list(model.objects.order_by("pk").values_list("pk", "updated_at")) for model in STORED]
    summary = _summary(world.sofia).pk
    again = run_import(world, rows, today=TODAY)
    assert again.unchanged
    assert again.summary["attendance"]["unchanged"] == 20
    assert [list(model.objects.order_by("pk").values_list("pk", "updated_at")) for model in STORED] == before
    assert _summary(world.sofia).pk == summary
    assert AttendanceImportRun.objects.order_by("pk").last().result == "unchanged"


def test_a_delta_file_corrects_an_earlier_day(world):
    run_import(world, _month(world, world.sofia, absent_on=DAYS[:3]), today=TODAY)
    correction = [(world.sofia.sourced_id, DAYS[1].isoformat(), "tardy", "", "", "")]
    report = run_import(world, correction, today=TODAY)
    assert report.summary["attendance"]["updated"] == 1
    assert AttendanceRecord.objects.get(student=world.sofia, day=DAYS[1]).status == "tardy"
    summary = _summary(world.sofia)
    assert (summary.absences, summary.tardies, summary.days_enrolled) == (2, 1, 20)


def test_a_file_with_stored_days_and_a_new_one_adds_the_new_one(world):
    run_import(world, _month(world, world.sofia), today=TODAY)
    more = [*_month(world, world.sofia), (world.sofia.sourced_id, "2025-09-29", "absent", "", "", "")]
    report = run_import(world, more, today=TODAY)
    assert report.ok, report.errors
    assert (report.summary["attendance"]["created"], report.summary["attendance"]["unchanged"]) == (1, 20)
    assert len(stored_days(world.sofia)) == 21


def test_removing_a_student_removes_their_attendance(world):
    run_import(world, _month(world, world.sofia) + _month(world, world.liam), today=TODAY)
    sofia = world.sofia.pk
    assert AttendanceMonth.objects.filter(student_id=sofia).exists()
    world.sofia.delete()
    assert not [day for (student, _day), day in stored_days().items() if student == sofia]
    assert len(stored_days(world.liam)) == 20
    for model in (StudentAttendance, AttendanceMonth, AttendanceCheckpoint):  # unchecked keys: Django's CASCADE
        assert not model.objects.filter(student_id=sofia).exists()
        assert model.objects.filter(student_id=world.liam.pk).exists()


def test_summaries_of_a_student_gone_from_the_roster_are_refused(world):
    run_import(world, _month(world, world.sofia), today=TODAY)
    years = load_days([world.sofia.pk], [2025])
    Student.objects.filter(pk=world.sofia.pk).delete()
    with pytest.raises(IntegrityError, match="1 of the students written about are gone"):
        evaluate(world.district.pk, years, today=TODAY)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the students are locked on PostgreSQL")
def test_a_student_removed_from_the_roster_during_the_import_fails_it(world, monkeypatch):
    finish = Staging.finish

    def finish_then_remove_sofia(self):
        finish(self)
        Student.objects.filter(pk=world.sofia.pk).delete()

    monkeypatch.setattr(Staging, "finish", finish_then_remove_sofia)
    with pytest.raises(IntegrityError, match="during the import: 1 of the file's students"):
        run_import(world, _month(world, world.sofia) + _month(world, world.liam), today=TODAY)
    assert not stored_days()
    assert Student.objects.filter(pk=world.sofia.pk).exists()


def test_a_delta_row_marked_tobedeleted_removes_the_day(world):
    run_import(world, _month(world, world.sofia, absent_on=DAYS[:1]), today=TODAY)
    header = "studentSourcedId,date,status,recordStatus"
    report = run_import(world, [(world.sofia.sourced_id, DAYS[0].isoformat(), "absent", "tobedeleted")],
                        today=TODAY, header=header)
    assert report.summary["attendance"]["deactivated"] == 1
    assert (_summary(world.sofia).days_enrolled, _summary(world.sofia).absences) == (19, 0)


def test_only_the_students_a_file_touches_are_counted_again(world):
    run_import(world, _month(world, world.sofia) + _month(world, world.liam), today=TODAY)
    liam = _summary(world.liam).pk
    report = run_import(world, [(world.sofia.sourced_id, DAYS[0].isoformat(), "absent", "", "", "")], today=TODAY)
    assert report.evaluation["students"] == 1
    assert _summary(world.liam).pk == liam
    assert _summary(world.sofia).absences == 1


def test_every_problem_names_the_file_row_and_field_and_nothing_is_written(world):
    sid = world.sofia.sourced_id
    rows = [
        (sid, DAYS[0].isoformat(), "present", "", "", ""),
        ("stu-nobody", DAYS[0].isoformat(), "present", "", "", ""),
        (sid, "2025-13-01", "present", "", "", ""),
        (sid, DAYS[1].isoformat(), "on holiday", "", "", ""),
        (sid, DAYS[2].isoformat(), "absent", "beach", "", ""),
        (sid, DAYS[0].isoformat(), "absent", "", "", ""),
        (sid, "2025-10-20", "present", "", "", ""),
        (sid, DAYS[3].isoformat(), "absent", "illness", "", "medical"),
    ]
    report = run_import(world, rows, today=TODAY)
    problems = {str(p) for p in report.errors}
    assert "attendance.csv row 3, studentSourcedId: stu-nobody is not a student on the roster." in problems
    assert "attendance.csv row 4, date: “2025-13-01” is not a date in the form YYYY-MM-DD." in problems
    assert any(p.startswith("attendance.csv row 5, status: “on holiday” is not one of") for p in problems)
    assert any(p.startswith("attendance.csv row 6, reasonCode: “beach” is not one of") for p in problems)
    assert f"attendance.csv row 7, date: {sid} on {DAYS[0].isoformat()} already appears on row 2." in problems
    assert ("attendance.csv row 9, documentationReceived: A documentationType needs the date the documentation "
            "was received.") in problems
    assert not stored_days()
    assert AttendanceImportRun.objects.get().result == "rejected"


def test_a_date_in_the_future_is_refused(world):
    report = run_import(world, [(world.sofia.sourced_id, "2025-10-20", "present", "", "", "")], today=TODAY)
    assert [str(p) for p in report.errors] == ["attendance.csv row 2, date: 2025-10-20 is in the future."]


def test_a_file_without_a_required_column_is_refused(world):
    report = run_import(world, [(world.sofia.sourced_id, DAYS[0].isoformat())], today=TODAY,
                        header="studentSourcedId,date")
    assert [str(p) for p in report.errors] == ["attendance.csv row 1, status: The required column status is missing."]


def test_a_oneroster_style_attendance_file_is_refused_naming_the_columns_it_lacks(world):
    header = "sourcedId,classSourcedId,userSourcedId,date,status"
    report = run_import(world, [("att-1", "cls-5a", world.sofia.sourced_id, DAYS[0].isoformat(), "present")],
                        today=TODAY, header=header)
    assert "attendance.csv row 1, studentSourcedId: The required column studentSourcedId is missing." in {
        str(p) for p in report.errors}
    assert not stored_days()


def test_check_only_counts_the_changes_and_writes_nothing(world):
    report = run_import(world, _month(world, world.sofia), today=TODAY, dry_run=True)
    assert report.ok and report.summary["attendance"]["created"] == 20
    assert not stored_days()
    assert StudentAttendance.objects.count() == 0
    assert AttendanceImportRun.objects.count() == 0


def test_a_row_on_a_closed_day_is_kept_with_a_warning_and_does_not_count(world):
    Closure.objects.create(district=world.district, start_date=DAYS[0], end_date=DAYS[0], reason="Storm")
    report = run_import(world, _month(world, world.sofia, absent_on=DAYS[:1]), today=TODAY)
    assert [str(p) for p in report.warnings] == [
        f"attendance.csv row 2, date: {DAYS[0].isoformat()} is not a school day on the school's calendar; the row "
        "is kept but does not count."]
    assert len(stored_days()) == 20
    assert (_summary(world.sofia).days_enrolled, _summary(world.sofia).absences) == (19, 0)


def test_the_command_imports_a_file_and_refuses_a_bad_one(world, tmp_path):
    good = tmp_path / "attendance.csv"
    good.write_bytes(csv_bytes(_month(world, world.sofia)).getvalue())
    call_command("import-attendance", str(good), "--district", world.district.slug, "--today", TODAY.isoformat())
    assert len(stored_days()) == 20
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([("stu-nobody", DAYS[0].isoformat(), "present", "", "", "")]).getvalue())
    with pytest.raises(CommandError, match="Rejected: 1 problem"):
        call_command("import-attendance", str(bad), "--district", world.district.slug, "--today",
                     TODAY.isoformat())


def test_a_file_that_is_not_utf8_is_refused(world):
    from homeroom.attendance.importers.run import import_attendance

    handle = csv_bytes([])
    handle = type(handle)(b"studentSourcedId,date,status\nstu-1,2025-09-01,pr\xe9sent\n")
    handle.name = "attendance.csv"
    report = import_attendance(handle, district=world.district, today=TODAY)
    assert [str(p) for p in report.errors] == [
        "attendance.csv row 2: This file is not UTF-8 text (byte 48). Save it as “CSV UTF-8”."]
