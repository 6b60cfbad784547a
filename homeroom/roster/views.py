"""Roster pages for staff: thin views over roster.selectors and core.scoping."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from homeroom.core import scoping
from homeroom.roster import selectors


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    return render(request, "roster/dashboard.html", {"schools": selectors.dashboard_schools(request.user)})
