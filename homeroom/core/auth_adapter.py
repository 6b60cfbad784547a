"""allauth adapter: accounts come from the roster; nobody signs up on their own."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class HomeroomAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> Any:
        from homeroom.core.scoping import scope_for

        scope = scope_for(request.user)
        if scope.is_guardian and not scope.is_staff_member:
            return "/family/"
        return super().get_login_redirect_url(request)
