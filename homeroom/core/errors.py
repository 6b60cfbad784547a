"""The page a refused form gets (settings.CSRF_FAILURE_VIEW): in the reader's language, saying what to do next."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # The reason ("CSRF cookie not set.") helps a developer and means nothing to a family: DEBUG only.
    context = {"reason": reason if settings.DEBUG else ""}
    return render(request, "403_csrf.html", context, status=403)
