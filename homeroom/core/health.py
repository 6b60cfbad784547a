"""/healthz answered before sessions, languages and users are looked up: the trivial reference page.

A load balancer (and the page benchmark) compares every page with this one, so it must cost nothing: no
session row, no user, no language lookup, even when the browser sends a session cookie.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PATH = "/healthz"


def healthz_response() -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


class HealthzMiddleware:
    """Placed after the security headers and before the session middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == PATH:
            return healthz_response()
        return self.get_response(request)
