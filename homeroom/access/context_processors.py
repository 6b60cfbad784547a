"""Navigation for the signed-in user, by what they hold."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from homeroom.access.scoping import scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    scope = scope_for(getattr(request, "user", None))
    # The dev outbox page exists only in DEBUG (messaging.views.outbox): no link to a 404 otherwise.
    return {"scope": scope, "dev_outbox_page": settings.DEBUG}
