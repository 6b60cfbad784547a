"""Staff pages for events: the list, a new event, an event's page (RSVPs, invitations, attendance), the tablet
sign-in sheet and the attendance report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeroom.access import scoping
from homeroom.programs import events, reports, selectors, tasks
from homeroom.programs.forms import EventCancelForm, EventForm
from homeroom.programs.models import Attendance, AttendanceHow, Event
from homeroom.roster.models import Student
from homeroom.surveys.results import MIN_GROUP
from homeroom.surveys.services import SurveyError


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    visible = selectors.events_for(request.user).select_related("school")
    return render(request, "programs/events.html", {
        "upcoming": selectors.upcoming(visible), "may_create": selectors.led_schools(request.user).exists(),
        "past": visible.filter(ends_at__lt=events.timezone.now()).order_by("-starts_at")[:20]})


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    schools = selectors.led_schools(request.user)
    if not schools.exists():
        raise PermissionDenied
    form = EventForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        school = form.cleaned_data["school"]
        if school is None and not selectors.runs_district_teams(request.user):
            form.add_error("school", _("Choose a school."))
        else:
            district_id = school.district_id if school else scoping.administered_district(request.user).pk
            try:
                event = events.event_save(district_id=district_id, school_id=school.pk if school else None,
                                          data=form.event(), user=request.user)
            except events.EventError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The event is saved."))
                return redirect("programs:event", pk=event.pk)
    return render(request, "programs/event_new.html", {"form": form}, status=400 if form.errors else 200)


def _event(request: HttpRequest, pk: int, *, run: bool = False) -> Event:
    scoping.require_staff(request.user)
    source = selectors.events_run_by(request.user) if run else selectors.events_for(request.user)
    return scoping.get_in_scope(source.select_related("school"), pk=pk)  # type: ignore[no-any-return]


@login_required
def event(request: HttpRequest, pk: int) -> HttpResponse:
    item = _event(request, pk)
    runs = selectors.events_run_by(request.user).filter(pk=item.pk).exists()
    rsvps = item.rsvps.filter(cancelled_at__isnull=True).select_related("guardian") if runs else []
    came = set(item.attendances.exclude(guardian=None).values_list("guardian_id", flat=True))
    return render(request, "programs/event.html", {
        "event": item, "runs": runs, "rsvps": rsvps, "came": came,
        "attended": item.attendances.count(),
        "interpreters": sorted({r.interpreter_language for r in rsvps if r.interpreter_language}),
        "childcare": sum(r.childcare_children for r in rsvps)})


@login_required
@require_POST
def event_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the invitations (one message per family) as a background task; the page returns at once."""
    item = _event(request, pk, run=True)
    if item.cancelled_at:
        messages.error(request, _("This event is cancelled."))
    else:
        user_id = request.user.pk
        transaction.on_commit(lambda: tasks.event_invite_task.enqueue(item.pk, user_id))  # type: ignore[arg-type]
        messages.success(request, _("The invitations are being sent; each family gets its own link."))
    return redirect("programs:event", pk=item.pk)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The new-event form, filled in; the same people may use it (those who run the event's school or district)."""
    item = _event(request, pk, run=True)
    if item.cancelled_at:
        raise PermissionDenied
    form = EventForm(request.POST or None, schools=selectors.led_schools(request.user), initial=EventForm.initial_for(
        item))
    form.fields.pop("school")  # an event stays with its school or district
    if request.method == "POST" and form.is_valid():
        try:
            events.event_save(district_id=item.district_id, school_id=item.school_id, data=form.event(),
                              user=request.user, event=item)
        except events.EventError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The event is saved."))
            return redirect("programs:event", pk=item.pk)
    return render(request, "programs/event_edit.html", {"form": form, "event": item,
                                                        "cancel_form": EventCancelForm()},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    item = _event(request, pk, run=True)
    form = EventCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
        return redirect("programs:event_edit", pk=item.pk)
    try:
        told = events.event_cancel(event=item, user=request.user, reason=form.cleaned_data["reason"])
    except events.EventError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The event is cancelled; %(count)d families were told.") % {"count": told})
    return redirect("programs:event", pk=item.pk)


@login_required
def sign_in_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The tablet at the door (or staff ticking names): each name pressed is one attendance."""
    item = _event(request, pk, run=True)
    names = events.sign_in_names(item)
    if request.method == "POST":
        how = AttendanceHow.SIGN_IN if request.POST.get("how") == AttendanceHow.SIGN_IN else AttendanceHow.TICKED
        chosen = {int(v) for v in request.POST.getlist("guardian") if v.isdigit()}
        for guardian in names:
            if guardian.pk in chosen:
                events.attendance_record(event=item, guardian=guardian, how=how, user=request.user)
        messages.success(request, _("Attendance recorded."))
        return redirect(request.path + ("?tablet=1" if how == AttendanceHow.SIGN_IN else ""))
    came = set(Attendance.objects.filter(event=item).exclude(guardian=None).values_list("guardian_id", flat=True))
    return render(request, "programs/sign_in.html", {"event": item, "names": names, "came": came,
                                                     "tablet": request.GET.get("tablet") == "1"})


@login_required
def event_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Whom the school's events reached and missed, by language, grade and subgroup (no group under 10)."""
    item = _event(request, pk, run=True)
    students = Student.objects.filter(is_active=True, school_id=item.school_id) if item.school_id else \
        Student.objects.filter(is_active=True, district_id=item.district_id)
    guardian_ids = item.attendances.exclude(guardian=None).values_list("guardian_id", flat=True)
    reached = reports.students_of_guardians(guardian_ids, students)
    return render(request, "programs/report.html", {"event": item, "rows": reports.breakdown(students, reached),
                                                    "min_group": MIN_GROUP})


@login_required
@require_POST
def event_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    item = _event(request, pk, run=True)
    try:
        sent = events.feedback_send(event=item, user=request.user)
    except (events.EventError, SurveyError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The feedback card went to %(count)d families.") % {"count": sent})
    return redirect("programs:event", pk=item.pk)
