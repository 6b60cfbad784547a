"""The API's documentation (/api/v1/docs) and schema (/api/v1/openapi.json): for signed-in staff only.

The API answers only staff, so its description is for them too; a signed-out visitor learns nothing about
the instance. The page is django-ninja's Swagger UI, served from our own /static/ninja/ (ninja is an installed
app), so the Content-Security-Policy needs no CDN.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from homeroom.access import scoping


def staff_only_docs(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not scoping.scope_for(request.user).is_staff_member:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
