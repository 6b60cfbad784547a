"""Notes against an absence: staff record a parent's or a medical note, families send one from the portal for
staff to accept; the absence's excused status is counted again each time."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from homeroom.attendance import services
from homeroom.attendance.models import AbsenceNote, StudentAttendance
from tests.attendance.helpers import run_import, weekdays

DAYS = weekdays(date(2025, 9, 1), 20)
TODAY = DAYS[-1]


def _month(world, absent_on):
    rows = [(world.sofia.sourced_id, d.isoformat(), "absent" if d in absent_on else "present", "", "", "")
            for d in DAYS]
    run_import(world, rows, today=TODAY)


def _summary(world):
    return StudentAttendance.objects.get(student=world.sofia, is_current=True)


def test_a_parent_note_recorded_by_staff_excuses_the_absence(world):
    _month(world, absent_on=DAYS[10:11])
    assert (_summary(world).excused, _summary(world).unexcused) == (0, 1)
    services.absence_note_record(student=world.sofia, day=DAYS[10], kind="parent", received_on=DAYS[12],
                                 text="She had a fever.", user=world.teacher.user, today=TODAY)
    assert (_summary(world).excused, _summary(world).unexcused) == (1, 0)


def test_a_note_received_too_late_leaves_the_absence_unexcused(world):
    _month(world, absent_on=DAYS[0:1])
    services.absence_note_record(student=world.sofia, day=DAYS[0], kind="parent", received_on=DAYS[12],
                                 text="", user=world.teacher.user, today=TODAY)
    assert (_summary(world).excused, _summary(world).unexcused) == (0, 1)


def test_a_familys_note_counts_only_once_staff_accept_it(world):
    _month(world, absent_on=DAYS[15:16])
    note = services.absence_note_submit(student=world.sofia, guardian=world.ana, day=DAYS[15],
                                        text="Estaba enferma.", user=world.ana.user, today=DAYS[16])
    assert note.state == "pending" and note.received_on == DAYS[16]
    assert _summary(world).unexcused == 1
    services.absence_note_review(note=note, accept=True, kind="parent", user=world.teacher.user, today=TODAY)
    assert (_summary(world).excused, _summary(world).unexcused) == (1, 0)


def test_a_declined_note_does_not_count(world):
    _month(world, absent_on=DAYS[15:16])
    note = services.absence_note_submit(student=world.sofia, guardian=world.ana, day=DAYS[15], text="",
                                        user=world.ana.user, today=DAYS[16])
    services.absence_note_review(note=note, accept=False, kind="", user=world.teacher.user, today=TODAY)
    assert _summary(world).unexcused == 1


def test_staff_accept_a_familys_note_on_the_students_page(world, client_for):
    _month(world, absent_on=DAYS[15:16])
    note = services.absence_note_submit(student=world.sofia, guardian=world.ana, day=DAYS[15], text="Fiebre",
                                        user=world.ana.user, today=DAYS[16])
    teacher = client_for("teacher")
    page = teacher.get(reverse("attendance:student", args=[world.sofia.pk])).content.decode()
    assert "Fiebre" in page and reverse("attendance:note_review", args=[note.pk]) in page
    response = teacher.post(reverse("attendance:note_review", args=[note.pk]), {"decision": "accept",
                                                                                 "kind": "medical"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.state, note.kind, note.reviewed_by) == ("accepted", "medical", world.teacher.user)
    assert AbsenceNote.objects.count() == 1


def test_another_schools_teacher_cannot_review_the_note(world, client_for):
    note = services.absence_note_submit(student=world.sofia, guardian=world.ana, day=DAYS[15], text="",
                                        user=world.ana.user, today=DAYS[16])
    response = client_for("other_teacher").post(reverse("attendance:note_review", args=[note.pk]),
                                                {"decision": "accept"})
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.state == "pending"
