"""The paused-provider banner on staff pages (district administrators), see pauses."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from homeroom.access.scoping import scope_for
from homeroom.core.models import Role
from homeroom.messaging.engine.pauses import open_pauses, provider_label
from homeroom.messaging.selectors import staff_unread_count


def provider_pauses(request: HttpRequest) -> dict[str, Any]:
    """Open pauses, for district administrators only (one small query on their pages, none on anyone else's)."""
    scope = scope_for(getattr(request, "user", None))
    if not scope.is_staff_member or Role.DISTRICT_ADMIN not in scope.roles:
        return {}
    return {"provider_pauses": [(provider_label(p.provider), p) for p in open_pauses()]}


def inbox_unread(request: HttpRequest) -> dict[str, Any]:
    """The unread count beside "Family messages" in the staff navigation: this person's own inbox, one query.

    Lazy, so a page that does not render the navigation (a download, a partial) costs nothing.
    """
    scope = scope_for(getattr(request, "user", None))
    if not scope.is_staff_member:
        return {}
    return {"inbox_unread": _LazyCount(lambda: staff_unread_count(request.user))}


class _LazyCount:
    def __init__(self, compute: Any) -> None:
        self._compute, self._value = compute, None

    def __int__(self) -> int:
        if self._value is None:
            self._value = self._compute()
        return int(self._value or 0)

    def __bool__(self) -> bool:
        return int(self) > 0

    def __str__(self) -> str:
        return str(int(self))
