"""`homeroom event-reminders`: remind families who said they will come to an event in the next 24 hours (once).

Run it every hour or so from cron or a systemd timer, beside `conference-reminders`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from homeroom.programs.events import reminders_send


class Command(BaseCommand):
    help = "Remind families of the events they answered yes to, in the next 24 hours."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{reminders_send()} event reminders sent")
