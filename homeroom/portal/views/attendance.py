"""A child's attendance for the family: days present, absences and why they count as they do, notes still
needed, and a form to send the school a note about an absence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeroom.access import scoping
from homeroom.access.access_log import record_student_access
from homeroom.attendance import selectors as attendance
from homeroom.attendance.classify import UNEXCUSED
from homeroom.attendance.forms import FamilyNoteForm
from homeroom.attendance.services import absence_note_submit
from homeroom.portal import selectors
from homeroom.portal.models import GuideKind
from homeroom.roster.models import Guardian


def _note_days(year: attendance.YearView) -> list:  # type: ignore[type-arg]
    """Absences a note could still change: the unexcused ones."""
    return [line.outcome.day for line in year.absences if line.outcome.category == UNEXCUSED]


@login_required
def child_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_guardian(request.user)
    student = selectors.child_for(request.user, pk)
    record_student_access(user=request.user, student_ids=[student.pk], action="portal.attendance")
    year = attendance.year_view(student)
    form = FamilyNoteForm(days=_note_days(year))
    return _render(request, student, year, form)


def _render(request: HttpRequest, student: object, year: attendance.YearView, form: FamilyNoteForm,
            status: int = 200) -> HttpResponse:
    rules = selectors.guide_entries(request.user, kind=GuideKind.EXPECTATION, topic="attendance")
    guardian_id = scoping.scope_for(request.user).guardian_id
    sent = [note for note in year.notes if note.guardian_id == guardian_id]
    return render(request, "portal/child_attendance.html", {
        "child": student, "rules": rules, "year": year, "form": form, "sent_notes": sent,
    }, status=status)


@login_required
@require_POST
def child_absence_note(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scoping.require_guardian(request.user)
    student = selectors.child_for(request.user, pk)
    year = attendance.year_view(student)
    form = FamilyNoteForm(request.POST, days=_note_days(year))
    if not form.is_valid():
        return _render(request, student, year, form, status=400)
    guardian = Guardian.objects.get(pk=scope.guardian_id or 0)
    absence_note_submit(student=student, guardian=guardian, day=form.cleaned_data["day"],
                        text=form.cleaned_data["text"], user=request.user)
    messages.success(request, _("Thank you. Your note was sent to the school."))
    return redirect("portal:child_attendance", pk=student.pk)
