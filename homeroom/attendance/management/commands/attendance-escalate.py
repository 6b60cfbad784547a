"""`homeroom attendance-escalate`: daily, hand tasks whose deadline passed to the person the plan names."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from homeroom.attendance.outreach import escalate_overdue


class Command(BaseCommand):
    help = "Escalate outreach tasks past their deadline (the truancy meeting: to the principal)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"escalated: {escalate_overdue()}")
