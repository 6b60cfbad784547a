"""The front door (sends each person to the part of Homeroom that is theirs) and the access log page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language, gettext

from homeroom.access import scoping
from homeroom.access.access_log import access_log_for
from homeroom.access.forms import AccessLogFilterForm
from homeroom.access.scoping import scope_for
from homeroom.core import health, icons
from homeroom.core.models import Role

ACCESS_LOG_ROWS = 200


def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if scope.is_staff_member:
        return redirect("roster:dashboard")
    if scope.is_guardian:
        return redirect("portal:home")
    return render(request, "core/welcome.html")


def roster_owns_email(request: HttpRequest) -> HttpResponse:
    raise Http404


def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest, so a family can put Homeroom on a phone's home screen (in the reader's language)."""
    data = {
        "name": "Homeroom",
        "short_name": "Homeroom",
        "description": gettext("Messages, contacts and school news between families and schools."),
        "lang": get_language(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": icons.ACCENT,
        "icons": [
            {"src": static("homeroom/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            *({"src": static(f"homeroom/{name}"), "sizes": f"{size}x{size}", "type": "image/png",
               "purpose": "any maskable"} for name, size in icons.PNG_SIZES.items() if name.startswith("icon-")),
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    patch_cache_control(response, max_age=3600)
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """Normally answered by health.HealthzMiddleware before this view is reached; kept for reverse()."""
    return health.healthz_response()


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """Who viewed which student's record, for district administrators and principals."""
    scoping.require_role(request.user, Role.DISTRICT_ADMIN, Role.PRINCIPAL)
    viewers = scoping.staff_for(request.user).exclude(user=None)
    form = AccessLogFilterForm(request.POST or None, viewers=viewers)
    filters: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        filters = {"since": data["since"], "until": data["until"]}
        if data["viewer"] is not None:
            filters["viewer_id"] = data["viewer"].user_id
        if data["student_number"]:
            filters["student_number"] = data["student_number"].strip()
    elif request.method == "GET" and request.GET.get("student", "").isdigit():
        # Linked from a student's page by primary key, which says nothing about the student.
        filters["student_id"] = int(request.GET["student"])
    rows = list(access_log_for(request.user, **filters)[: ACCESS_LOG_ROWS + 1])
    return render(
        request,
        "core/access_log.html",
        {"form": form, "rows": rows[:ACCESS_LOG_ROWS], "truncated": len(rows) > ACCESS_LOG_ROWS},
    )
