"""Staff are signed out after HOMEROOM_STAFF_SESSION_IDLE_HOURS without a request; families stay signed in.

Families keep the long default (SESSION_COOKIE_AGE, HOMEROOM_FAMILY_SESSION_DAYS): their phone is theirs, and
a code every few days would keep them away. A staff session holds student records on a shared school computer,
so its expiry slides: every request pushes it forward, and an idle one lapses in the session store itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from homeroom.access.accounts import is_staff_account
from homeroom.core.security import is_public_path

SEEN_KEY = "_homeroom_seen"


def _refresh_every(idle: int) -> int:
    # Saving the session on every request would be a database write per page; a few minutes' slack is fine.
    return max(1, min(300, idle // 10))


def keep_staff_session_short(request: HttpRequest, user: Any = None) -> None:
    user = user or getattr(request, "user", None)
    session = getattr(request, "session", None)
    if session is None or user is None or not user.is_authenticated or not is_staff_account(user):
        return
    idle = settings.HOMEROOM_STAFF_SESSION_IDLE_SECONDS
    now = int(timezone.now().timestamp())  # the session store's clock
    if session.get("_session_expiry") != idle or now - int(session.get(SEEN_KEY, 0)) >= _refresh_every(idle):
        session.set_expiry(idle)
        session[SEEN_KEY] = now


class StaffSessionIdleMiddleware:
    """After the view, so a sign-in's own response (allauth sets the long expiry there) is shortened too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_public_path(request.path):  # public pages never open the session (no Vary: Cookie)
            keep_staff_session_short(request)
        return response


@receiver(user_logged_in, dispatch_uid="homeroom.access.sessions.staff_session_at_sign_in")
def staff_session_at_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Short from the start (the middleware above re-applies it if allauth lengthens it afterwards)."""
    if request is not None:
        keep_staff_session_short(request, user)
