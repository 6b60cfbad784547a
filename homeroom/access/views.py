"""The front door (sends each person to the part of Homeroom that is theirs) and the access log page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from homeroom.access import scoping
from homeroom.access.access_log import access_log_for
from homeroom.access.forms import AccessLogFilterForm
from homeroom.access.scoping import scope_for
from homeroom.core.models import Role

ACCESS_LOG_ROWS = 200


def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if scope.is_staff_member:
        return redirect("roster:dashboard")
    if scope.is_guardian:
        return redirect("portal:home")
    return render(request, "access/welcome.html")


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """Who viewed which student's record, for district administrators and principals."""
    scoping.require_role(request.user, Role.DISTRICT_ADMIN, Role.PRINCIPAL)
    viewers = scoping.staff_for(request.user).exclude(user=None)
    form = AccessLogFilterForm(request.POST or None, viewers=viewers)
    filters: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        filters = {"since": data["since"], "until": data["until"]}
        if data["viewer"] is not None:
            filters["viewer_id"] = data["viewer"].user_id
        if data["student_number"]:
            filters["student_number"] = data["student_number"].strip()
    elif request.method == "GET" and request.GET.get("student", "").isdigit():
        # Linked from a student's page by primary key, which says nothing about the student.
        filters["student_id"] = int(request.GET["student"])
    rows = list(access_log_for(request.user, **filters)[: ACCESS_LOG_ROWS + 1])
    return render(
        request,
        "access/access_log.html",
        {"form": form, "rows": rows[:ACCESS_LOG_ROWS], "truncated": len(rows) > ACCESS_LOG_ROWS},
    )
