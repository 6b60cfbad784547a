"""Staff pages: the import upload, a student's attendance (with notes), closing an outreach task, dashboards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeroom.access import scoping
from homeroom.access.access_log import record_student_access
from homeroom.attendance import charts, selectors, services
from homeroom.attendance.forms import ImportForm, ReviewForm, StaffNoteForm, TaskContactForm
from homeroom.attendance.importers.run import import_attendance
from homeroom.attendance.models import AbsenceNote, AttendanceImportRun
from homeroom.contacts.services import ContactInput
from homeroom.core.models import Role
from homeroom.roster.models import District, Staff

HISTORY_LENGTH = 50


def _admin_district(request: HttpRequest) -> District:
    scope = scoping.require_role(request.user, Role.DISTRICT_ADMIN)
    staff = Staff.objects.select_related("district").filter(pk=scope.staff_id or 0).first()
    if staff is None:
        raise PermissionDenied
    return staff.district


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    district = _admin_district(request)
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = import_attendance(form.cleaned_data["file"], district=district, user=request.user,
                                   dry_run=form.cleaned_data["dry_run"])
        form = ImportForm()
    runs = AttendanceImportRun.objects.filter(district=district).select_related("created_by")[:HISTORY_LENGTH]
    status = 400 if form.errors else 422 if report is not None and not report.ok else 200
    return render(request, "attendance/import.html", {
        "form": form, "report": report, "runs": runs, "district": district,
        "counts": report.summary.get("attendance") if report else None,
    }, status=status)


@login_required
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    district = _admin_district(request)
    run = scoping.get_in_scope(AttendanceImportRun.objects.filter(district=district), pk=pk)
    return render(request, "attendance/import_run.html", {"run": run, "counts": run.summary.get("records")})


@login_required
def student(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    pupil = scoping.get_in_scope(scoping.staff_students_for(request.user).select_related("school"), pk=pk)
    form = StaffNoteForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.absence_note_record(student=pupil, day=form.cleaned_data["day"], kind=form.cleaned_data["kind"],
                                     received_on=form.cleaned_data["received_on"], text=form.cleaned_data["text"],
                                     user=request.user)
        messages.success(request, _("Note recorded; the absence was counted again."))
        return redirect("attendance:student", pk=pupil.pk)
    record_student_access(user=request.user, student_ids=[pupil.pk], action="attendance_viewed")
    return render(request, "attendance/student.html", {
        "student": pupil, "year": selectors.year_view(pupil), "form": form,
        "tasks": selectors.tasks_in_scope(request.user).filter(student=pupil),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def note_review(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    note = scoping.get_in_scope(selectors.pending_notes_for(request.user), pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to accept the note."))
    else:
        accept = form.cleaned_data["decision"] == "accept"
        services.absence_note_review(note=note, accept=accept, kind=form.cleaned_data["kind"], user=request.user)
        messages.success(request, _("Note accepted; the absence was counted again.") if accept else
                         _("Note not accepted."))
    return redirect("attendance:student", pk=note.student_id)


@login_required
def task_close(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scoping.require_staff(request.user)
    task = scoping.get_in_scope(selectors.open_tasks_for(request.user), pk=pk)
    guardians = scoping.guardians_for(request.user).filter(
        student_links__student=task.student, student_links__is_active=True,
        student_links__has_educational_rights=True).distinct()
    form = TaskContactForm(request.POST or None, guardians=guardians,
                           initial={"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        staff = Staff.objects.get(pk=scope.staff_id or 0)
        closed = services.outreach_task_close(task=task, staff=staff, user=request.user, data=ContactInput(
            occurred_at=data["occurred_at"], method=data["method"], purpose="attendance", students=[task.student],
            guardians=list(data["guardians"]), outcome=data["outcome"], notes=data["notes"]))
        if closed:
            messages.success(request, _("Contact logged; the task is closed."))
            return redirect("contacts:my_week")
        messages.info(request, _("Contact logged. The task stays open until the family is reached."))
        return redirect("attendance:task_close", pk=task.pk)
    record_student_access(user=request.user, student_ids=[task.student_id], action="attendance_task_viewed")
    return render(request, "attendance/task_close.html", {"task": task, "form": form},
                  status=400 if form.errors else 200)


def _charts(board: selectors.Dashboard) -> dict[str, charts.Chart]:
    line_label = _("Review team line: %(percent)s%%") % {"percent": round(board.review_line)}
    return {
        "grade": charts.bar_chart(_("Chronically absent, by grade (%)"),
                                  [(r.label, r.percent) for r in board.by_grade], line=board.review_line,
                                  line_label=line_label),
        "month": charts.bar_chart(_("Chronically absent at the end of each month (%)"),
                                  [(r.label, r.percent) for r in board.by_month], line=board.review_line,
                                  line_label=line_label),
    }


def _log_names(request: HttpRequest, board: selectors.Dashboard) -> None:
    """The dashboards name the students who crossed a line this week: that is a view of their record."""
    if board.crossings:
        record_student_access(user=request.user, student_ids=sorted({c.student_id for c in board.crossings}),
                              action="attendance_dashboard")


@login_required
def district_dashboard(request: HttpRequest) -> HttpResponse:
    district = _admin_district(request)
    board = selectors.dashboard(request.user, district_id=district.pk)
    _log_names(request, board)
    return render(request, "attendance/dashboard.html", {"board": board, "charts": _charts(board),
                                                          "district": district})


@login_required
def school_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scoping.require_role(request.user, Role.DISTRICT_ADMIN, Role.PRINCIPAL, Role.SOCIAL_WORKER)
    schools = scoping.schools_for(request.user)
    if not scope.district_ids:
        schools = schools.filter(pk__in=scope.school_ids)
    school = scoping.get_in_scope(schools, pk=pk)
    board = selectors.dashboard(request.user, district_id=school.district_id, school=school)
    _log_names(request, board)
    return render(request, "attendance/dashboard.html", {"board": board, "charts": _charts(board),
                                                          "school": school})


@login_required
def note_list(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    notes = selectors.pending_notes_for(request.user).order_by("created_at")[:200]
    return render(request, "attendance/notes.html", {"notes": notes, "review_form": ReviewForm(),
                                                      "states": AbsenceNote.State})
