"""`homeroom conference-reminders`: remind families of conferences in the next 24 hours (each booking once).

Run it every hour or so from cron or a systemd timer.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from homeroom.meetings.conferences import reminders_send


class Command(BaseCommand):
    help = "Remind families of their parent-teacher conferences in the next 24 hours."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{reminders_send()} conference reminders sent")
