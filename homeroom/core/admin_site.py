"""The Django admin site: superusers only, signed in through allauth like every other page.

Django's own admin login form would skip allauth's throttle and the authenticator code, so it is never shown:
signed-out people are sent to allauth's sign-in page (allauth's `secure_admin_login`), and signed-in people
who are not superusers are refused.
"""

from __future__ import annotations

from typing import Any

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


class HomeroomAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return secure_admin_login(self._signed_in)(request)

    def _signed_in(self, request: HttpRequest) -> HttpResponse:
        if not self.has_permission(request):
            raise PermissionDenied
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            target = reverse("admin:index", current_app=self.name)
        return HttpResponseRedirect(target)

