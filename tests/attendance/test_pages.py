"""The staff pages: the upload with "check only", recording a note on a student's page, the teacher's "My week"."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from homeroom.attendance.models import AbsenceNote, AttendanceImportRun, AttendanceRecord, OutreachTask
from tests.attendance.helpers import csv_bytes, weekdays

DAYS = weekdays(date(2025, 9, 1), 3)


def _file(world, student_id=None):
    return csv_bytes([(student_id or world.sofia.sourced_id, d.isoformat(), "absent", "", "", "") for d in DAYS])


def test_check_only_on_the_upload_page_saves_nothing(world, client_for):
    response = client_for("admin").post(reverse("attendance:import"), {"file": _file(world), "dry_run": "on"})
    assert response.status_code == 200
    assert "This was a check only: nothing was saved." in response.content.decode()
    assert not AttendanceRecord.objects.exists() and not AttendanceImportRun.objects.exists()


def test_the_upload_page_applies_a_correct_file_and_lists_it(world, client_for):
    response = client_for("admin").post(reverse("attendance:import"), {"file": _file(world)})
    assert response.status_code == 200
    assert AttendanceRecord.objects.filter(student=world.sofia).count() == 3
    run = AttendanceImportRun.objects.get()
    assert reverse("attendance:import_run", args=[run.pk]) in response.content.decode()


def test_a_rejected_upload_names_the_row_and_column(world, client_for):
    response = client_for("admin").post(reverse("attendance:import"), {"file": _file(world, "stu-nobody")})
    assert response.status_code == 422
    body = response.content.decode()
    assert "attendance.csv row 2" in body and "studentSourcedId" in body
    assert "stu-nobody is not a student on the roster." in body
    assert not AttendanceRecord.objects.exists()


def test_a_teacher_records_a_medical_note_on_the_students_page(world, client_for):
    client_for("admin").post(reverse("attendance:import"), {"file": _file(world)})
    response = client_for("teacher").post(reverse("attendance:student", args=[world.sofia.pk]), {
        "day": DAYS[0].isoformat(), "kind": "medical", "received_on": DAYS[2].isoformat(), "text": "Clinic note"})
    assert response.status_code == 302
    note = AbsenceNote.objects.get()
    assert (note.kind, note.state, note.submitted_by) == ("medical", "accepted", world.teacher.user)


def test_the_homeroom_teacher_finds_the_personal_contact_task_on_my_week(world, client_for):
    OutreachTask.objects.create(district=world.district, student=world.sofia, school=world.lincoln,
                                school_year=2025, threshold="at_risk", kind="personal_contact",
                                assigned_to=world.teacher, due_on=date(2025, 10, 1))
    week = client_for("teacher").get(reverse("contacts:my_week")).content.decode()
    assert "Personal contact with the family" in week and "Sofia Garcia" in week
    other = client_for("other_teacher").get(reverse("contacts:my_week")).content.decode()
    assert "Personal contact with the family" not in other
