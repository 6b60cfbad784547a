"""`homeroom messages-sweep`: send scheduled messages that are due and re-queue batches left owing.

Deferred task runs cover the normal path; run this every minute from cron (or a systemd timer) as the
safety net after a crash, a rate-limit pause or quiet hours.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from homeroom.messaging.engine.tasks import messages_sweep


class Command(BaseCommand):
    help = "Send scheduled messages that are due and re-queue delivery batches left owing."

    def handle(self, *args: Any, **options: Any) -> None:
        count = messages_sweep()
        self.stdout.write(f"{count} messages or batches handed to the workers")
