"""Staff pages for relational home visits: the school's visits and counts, one visit, training records."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.access.access_log import record_student_access
from homeroom.programs import reports, selectors, visits
from homeroom.programs.forms import TrainingForm, VisitForm, VisitNoteForm
from homeroom.programs.models import HomeVisit, HomeVisitTraining
from homeroom.roster.models import Guardian, Staff, Student
from homeroom.surveys.results import MIN_GROUP


def _me(request: HttpRequest) -> Staff:
    return Staff.objects.get(pk=scoping.require_staff(request.user).staff_id or 0)


@login_required
def visits_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    # The form offers the students the visitor works with; a district administrator's whole district would not
    # fit a menu, so they are offered only the schools they also serve.
    scope = scoping.scope_for(request.user)
    students = scoping.staff_students_for(request.user)
    if scope.district_ids:
        students = students.filter(school_id__in=scope.school_ids)
    trained_staff = scoping.staff_for(request.user).filter(pk__in=HomeVisitTraining.objects.values("staff_id"))
    form = VisitForm(request.POST or None, students=students.order_by("family_name", "given_name"),
                     staff=trained_staff.exclude(pk=me.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        guardian = _family_guardian(data["student"])
        if guardian is None:
            form.add_error("student", _("No guardian of this student may be contacted."))
        else:
            try:
                visit = visits.visit_schedule(user=request.user, data=visits.VisitInput(
                    student=data["student"], guardian=guardian, visitor_one=me, visitor_two=data["visitor_two"],
                    invited_on=data["invited_on"], consent=data["consent"], scheduled_for=data["scheduled_for"],
                    language=data["language"]))
            except visits.VisitError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The visit is scheduled."))
                return redirect("programs:visit", pk=visit.pk)
    shown = selectors.visits_for(request.user).select_related("student", "visitor_one", "visitor_two")[:50]
    record_student_access(user=request.user, student_ids=[v.student_id for v in shown], action="programs.visits")
    trained = visits.is_trained(me)
    if trained:  # the form's menu names the students the visitor may choose
        record_student_access(user=request.user, student_ids=form.fields["student"].queryset,  # type: ignore[attr-defined]
                              action="programs.visits")
    schools = selectors.led_schools(request.user)
    rows = []
    if schools.exists():
        school_students = Student.objects.filter(is_active=True, school__in=schools)
        visited = set(HomeVisit.objects.filter(completed_at__isnull=False, student__in=school_students)
                      .values_list("student_id", flat=True))
        rows = [r for r in reports.breakdown(school_students, visited) if r.kind != "grade"]
    return render(request, "programs/visits.html", {
        "form": form, "visits": shown, "trained": trained, "rows": rows, "min_group": MIN_GROUP,
    }, status=400 if form.errors else 200)


def _family_guardian(student: Student) -> Guardian | None:
    return (Guardian.objects.filter(scoping.family_access("student_links__"), student_links__student=student,
                                    is_active=True).order_by("-student_links__is_primary", "pk").first())


@login_required
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    item = scoping.get_in_scope(selectors.visits_for(request.user).select_related(
        "student", "guardian", "visitor_one", "visitor_two"), pk=pk)
    may_read = selectors.may_read_visit_note(request.user, item)
    me = scoping.scope_for(request.user).staff_id
    visitor = me in (item.visitor_one_id, item.visitor_two_id)
    form = VisitNoteForm(request.POST or None, initial={"note": item.note, "note_shared": item.note_shared})
    if request.method == "POST":
        if not visitor:
            return HttpResponse(status=403)
        if form.is_valid():
            visits.visit_complete(visit=item, note=form.cleaned_data["note"],
                                  note_shared=form.cleaned_data["note_shared"], user=request.user)
            messages.success(request, _("The visit is recorded."))
            return redirect("programs:visit", pk=item.pk)
    record_student_access(user=request.user, student_ids=[item.student_id], action="programs.visit")
    return render(request, "programs/visit.html", {"visit": item, "may_read": may_read, "visitor": visitor,
                                                   "form": form if visitor else None})


@login_required
def training(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        visits.training_record(staff=me, completed_on=form.cleaned_data["completed_on"],
                               provider=form.cleaned_data["provider"])
        messages.success(request, _("Your home-visit training is recorded."))
        return redirect("programs:visits")
    return render(request, "programs/visit_training.html", {"form": form,
                                                            "record": HomeVisitTraining.objects.filter(
                                                                staff=me).first()})
