"""Navigation for the signed-in user, by what they hold."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from homeroom.access.i18n import offered_languages
from homeroom.access.scoping import scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    scope = scope_for(getattr(request, "user", None))
    # The dev outbox page exists only in DEBUG (messaging.views.outbox): no link to a 404 otherwise.
    user = getattr(request, "user", None)
    return {"scope": scope, "dev_outbox_page": settings.DEBUG,
            # The language picker's choices, each named in itself; asked only when a page shows the picker.
            "offered_languages": SimpleLazyObject(lambda: offered_languages(user))}
