"""The front door: sends each person to the part of Homeroom that is theirs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from homeroom.core.scoping import scope_for


def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if scope.is_staff_member:
        return redirect("roster:dashboard")
    if scope.is_guardian:
        return redirect("portal:home")
    return render(request, "core/welcome.html")


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
