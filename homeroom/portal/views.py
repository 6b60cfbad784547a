"""Family portal pages: what a guardian sees about their own children."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from homeroom.core import scoping


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scoping.require_guardian(request.user)
    children = scoping.students_for(request.user).select_related("school")
    return render(request, "portal/home.html", {"children": children})
