"""Activate the signed-in user's chosen language for everything rendered for them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def _supported(code: str) -> str | None:
    codes = {c for c, _ in settings.LANGUAGES}
    if code in codes:
        return code
    base = code.split("-")[0]
    return base if base in codes else None


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if chosen and not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
            code = _supported(chosen)
            if code:
                translation.activate(code)
                request.LANGUAGE_CODE = code
        return self.get_response(request)
