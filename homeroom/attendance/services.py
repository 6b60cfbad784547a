"""Attendance writes by people: notes that excuse an absence (staff-recorded or family-sent, then accepted) and
closing an outreach task by logging the contact it asked for. Every change re-evaluates that one student."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeroom.attendance.evaluation import evaluate_students, school_year_of
from homeroom.attendance.figures import figures_refresh
from homeroom.attendance.models import AbsenceNote, OutreachTask
from homeroom.attendance.outreach import outreach_after_evaluation
from homeroom.contacts.models import Outcome, Purpose
from homeroom.contacts.services import ContactInput, contact_log_create
from homeroom.roster.models import Guardian, Staff, Student


def _reevaluate(student: Student, day: date, today: date | None = None) -> None:
    today = today or timezone.localdate()
    year = school_year_of(day)
    evaluated = evaluate_students(student.district_id, [student.pk], [year], today=today)
    outreach_after_evaluation(student.district_id, evaluated, today=today)
    figures_refresh(student.district_id, [s for item in evaluated for s in item.result.schools], [year])


@transaction.atomic
def absence_note_record(*, student: Student, day: date, kind: str, received_on: date, text: str, user: Any,
                        today: date | None = None) -> AbsenceNote:
    """Staff record a parent's or a medical note they received: it counts at once."""
    note = AbsenceNote.objects.create(
        district_id=student.district_id, student=student, day=day, kind=kind, received_on=received_on, text=text,
        state=AbsenceNote.State.ACCEPTED, submitted_by=user, reviewed_by=user, reviewed_at=timezone.now(),
    )
    _reevaluate(student, day, today)
    return note


@transaction.atomic
def absence_note_submit(*, student: Student, guardian: Guardian, day: date, text: str, user: Any,
                        today: date | None = None) -> AbsenceNote:
    """A family's note from the portal: received today, counted once staff accept it."""
    return AbsenceNote.objects.create(
        district_id=student.district_id, student=student, day=day, kind="parent",
        received_on=today or timezone.localdate(), text=text, state=AbsenceNote.State.PENDING, guardian=guardian,
        submitted_by=user,
    )


@transaction.atomic
def absence_note_review(*, note: AbsenceNote, accept: bool, kind: str, user: Any,
                        today: date | None = None) -> AbsenceNote:
    """Accept (as a parent's or medical note) or decline a family's note; accepting re-evaluates the student."""
    note.state = AbsenceNote.State.ACCEPTED if accept else AbsenceNote.State.DECLINED
    if accept and kind:
        note.kind = kind
    note.reviewed_by = user
    note.reviewed_at = timezone.now()
    note.save(update_fields=["state", "kind", "reviewed_by", "reviewed_at"])
    if accept:
        _reevaluate(note.student, note.day, today)
    return note


@transaction.atomic
def outreach_task_close(*, task: OutreachTask, staff: Staff, user: Any, data: ContactInput) -> bool:
    """Log the contact; a contact that reached the family closes the task (True), any other is kept as an
    attempt and leaves the task open (False)."""
    data.purpose = Purpose.ATTENDANCE
    if task.student not in data.students:
        data.students = [task.student, *data.students]
    contact = contact_log_create(staff=staff, created_by=user, data=data)
    if contact.outcome != Outcome.REACHED:
        return False
    task.contact = contact
    task.closed_at = timezone.now()
    task.closed_by = user
    task.save(update_fields=["contact", "closed_at", "closed_by"])
    return True
