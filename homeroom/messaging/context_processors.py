"""The paused-provider banner on staff pages (district administrators), see pauses."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from homeroom.access.scoping import scope_for
from homeroom.core.models import Role
from homeroom.messaging.engine.pauses import open_pauses, provider_label


def provider_pauses(request: HttpRequest) -> dict[str, Any]:
    """Open pauses, for district administrators only (one small query on their pages, none on anyone else's)."""
    scope = scope_for(getattr(request, "user", None))
    if not scope.is_staff_member or Role.DISTRICT_ADMIN not in scope.roles:
        return {}
    return {"provider_pauses": [(provider_label(p.provider), p) for p in open_pauses()]}
