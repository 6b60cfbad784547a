"""Pages about one family's children: the home cards, a child's overview, grades and profile (attendance: its own
module)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.access.access_log import record_student_access
from homeroom.portal import selectors, services
from homeroom.portal.forms import ChildProfileForm
from homeroom.roster.models import Student


def _child(request: HttpRequest, pk: int, action: str) -> Student:
    scoping.require_guardian(request.user)
    student = selectors.child_for(request.user, pk)
    record_student_access(user=request.user, student_ids=[student.pk], action=action)
    return student


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scoping.require_guardian(request.user)
    summaries = selectors.child_summaries(request.user)
    record_student_access(user=request.user, student_ids=[s.student.pk for s in summaries], action="portal.home")
    return render(request, "portal/home.html", {"summaries": summaries})


@login_required
def child(request: HttpRequest, pk: int) -> HttpResponse:
    student = _child(request, pk, "portal.child")
    return render(
        request,
        "portal/child.html",
        {"child": student, "team": selectors.child_team(student), "profile": selectors.child_profile(student)},
    )


@login_required
def child_grades(request: HttpRequest, pk: int) -> HttpResponse:
    student = _child(request, pk, "portal.grades")
    return render(request, "portal/child_grades.html", {"child": student, "classes": selectors.child_grades(student)})


@login_required
def child_profile(request: HttpRequest, pk: int) -> HttpResponse:
    student = _child(request, pk, "portal.profile")
    profile = selectors.child_profile(student)
    form = ChildProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = services.ProfileData(**{name: form.cleaned_data[name] for name in form.Meta.fields})
        services.child_profile_save(student=student, user=request.user, data=data)
        messages.success(request, _("Thank you. Your child's profile is saved."))
        return redirect("portal:child_profile", pk=student.pk)
    return render(request, "portal/child_profile.html", {"child": student, "profile": profile, "form": form})
