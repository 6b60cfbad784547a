"""Response headers that lock pages down: Content-Security-Policy and Permissions-Policy.

Everything we serve is same-origin and there are no inline scripts or styles (htmx is
self-hosted and reads its CSRF header from an attribute), so the policy can be strict.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
