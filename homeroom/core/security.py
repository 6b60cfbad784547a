"""Response headers that lock pages down: Content-Security-Policy, Permissions-Policy, Cache-Control.

Everything we serve is same-origin and there are no inline scripts or styles (htmx is
self-hosted and reads its CSRF header from an attribute), so the policy can be strict.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

DEFAULT_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # The authenticator QR code is an inline data: image.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
DEFAULT_PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "interest-cohort", "browsing-topics"]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = getattr(settings, "HOMEROOM_CONTENT_SECURITY_POLICY", DEFAULT_CSP)
        self.permissions = getattr(settings, "HOMEROOM_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # A view that needs something else (a PDF preview, say) sets its own header.
        if self.csp and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.csp
        if self.permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions
        return response


# Pages, exports and API answers under these prefixes carry student or family records: no browser or proxy
# may keep a copy (a shared school computer's back button, a disk cache). Static files never get here.
DEFAULT_NO_STORE_PREFIXES = ("/roster/", "/contacts/", "/calendar/", "/messaging/", "/family/", "/api/", "/programs/",
                             "/access-log/", "/accounts/", "/admin/")


# Public pages (the school and district websites) are the same for everyone and may be cached by anyone: the
# middleware that looks at the signed-in user leaves them alone, so no session is read and no `Vary: Cookie`.
DEFAULT_PUBLIC_PREFIXES = ("/schools/",)


def is_public_path(path: str) -> bool:
    return path.startswith(tuple(getattr(settings, "HOMEROOM_PUBLIC_PREFIXES", DEFAULT_PUBLIC_PREFIXES)))


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "HOMEROOM_NO_STORE_PREFIXES", DEFAULT_NO_STORE_PREFIXES))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(self.prefixes):
            patch_cache_control(response, no_store=True, private=True)
        return response
