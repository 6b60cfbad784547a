"""Pages that need no one's scope: the web app manifest, the health check, and the switched-off email page.

The front door and the access log page ask who the user is on the roster: they live in access.views."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language, gettext

from homeroom.core import health, icons


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

