"""Roster pages for staff: thin views over roster.selectors and access.scoping."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from homeroom.access import scoping
from homeroom.access.access_log import record_student_access
from homeroom.portal.selectors import child_profile_for_staff
from homeroom.roster import selectors
from homeroom.roster.forms import SearchForm


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    board = selectors.dashboard_for(request.user)
    shown = [s.pk for s in (*(board.students or []), *(board.caseload or []))]
    record_student_access(user=request.user, student_ids=shown, action="dashboard")
    return render(request, "roster/dashboard.html", {"board": board})


@login_required
@require_GET
def school(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    overview = selectors.school_overview(request.user, school_id=pk)
    return render(request, "roster/school.html", {"overview": overview, "school": overview.school})


@login_required
@require_GET
def section(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    roster = selectors.section_roster(request.user, section_id=pk)
    record_student_access(user=request.user, student_ids=roster.student_ids, action="view_section_roster")
    return render(request, "roster/section.html", {"roster": roster, "section": roster.section})


@login_required
@require_GET
def student(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    record = selectors.student_record(request.user, student_id=pk)
    record_student_access(user=request.user, student_ids=[record.student.pk], action="view_student")
    child_profile = child_profile_for_staff(request.user, record.student)
    return render(
        request,
        "roster/student.html",
        {"record": record, "student": record.student, "child_profile": child_profile},
    )


@login_required
@require_GET
def guardian(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    record = selectors.guardian_record(request.user, guardian_id=pk)
    record_student_access(user=request.user, student_ids=[child.link.student_id for child in record.children],
                          action="view_guardian")
    return render(request, "roster/guardian.html", {"record": record, "guardian": record.guardian})


@login_required
@require_GET
def household(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    members = selectors.household_members(request.user, household_id=pk)
    record_student_access(user=request.user, student_ids=[s.pk for s in members.students], action="view_household")
    return render(request, "roster/household.html", {"members": members, "household": members.household})


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    form = SearchForm(request.POST if request.method == "POST" else None)
    results = selectors.search_people(request.user, query=form.cleaned_data["q"]) if form.is_valid() else None
    if results is not None:
        record_student_access(user=request.user, student_ids=[s.pk for s in results.students],
                              action="search_results")
    # htmx asks for the results fragment only (and stays quiet while fewer than two letters are typed);
    # without JavaScript the same POST renders the whole page.
    live = bool(getattr(request, "htmx", False))
    template = "roster/_search_results.html" if live else "roster/search.html"
    return render(request, template, {"form": form, "results": results, "show_errors": not live})
