"""Activate the signed-in user's chosen language for everything rendered for them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from homeroom.access.i18n import language_for_user, supported_language
from homeroom.core.security import is_public_path


def _supported(code: str) -> str | None:
    return supported_language(code)


class UserLanguageMiddleware:
    """A language picked on this device (the cookie) wins; otherwise the account's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_public_path(request.path):  # a public page picks its language from its link alone
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
            code = language_for_user(user)
            if code:
                translation.activate(code)
                request.LANGUAGE_CODE = code
        return self.get_response(request)
