"""`homeroom demo-logins`: the address to open and who to sign in as, for each demo role."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from homeroom.core.checks import DEV_OUTBOX_EMAIL_BACKENDS
from homeroom.demo.logins import DEMO_PASSWORD, select_demo_logins


def base_url() -> str:
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{'127.0.0.1' if host in {'0.0.0.0', '[::]'} else host}:{port}/"  # noqa: S104 - display only


class Command(BaseCommand):
    help = "Print the address of Homeroom and how to sign in as each demo role."

    def handle(self, *args: Any, **options: Any) -> None:
        url = base_url()
        logins = select_demo_logins()
        if not logins:
            self.stdout.write(f"Homeroom: {url}\nNo demo district yet: run `homeroom demo-setup` first.")
            return
        users = get_user_model().objects.in_bulk([login.user_id for login in logins])
        width = max(len(login.label) for login in logins)
        self.stdout.write(f"\nHomeroom is at {url}\n\nSign in as:")
        for login in logins:
            self.stdout.write(f"  {login.label:<{width}}  {login.email}  ({login.detail})")
            user = users.get(login.user_id)
            if login.by_password:
                if user is not None and user.check_password(DEMO_PASSWORD):
                    how = f"password: {DEMO_PASSWORD}"
                else:
                    how = f"no demo password set: `homeroom changepassword {login.email}` gives one"
            elif settings.DEBUG and settings.EMAIL_BACKEND in DEV_OUTBOX_EMAIL_BACKENDS:
                # The outbox page shows sign-in codes to nobody but their owner; the dev outbox prints them.
                how = "one-time code: enter the email; the code is printed in the server console (dev outbox)"
            elif "console" in settings.EMAIL_BACKEND:
                how = "one-time code: enter the email; the code is printed in the server console"
            else:
                how = "one-time code: enter the email; the code is emailed to that address"
            self.stdout.write(f"  {'':<{width}}  {how}")
        self.stdout.write("")
