"""`homeroom reach-refresh [--full]`: bring the reach page's summary up to date (run every few minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from homeroom.reach import refresh


class Command(BaseCommand):
    help = "Update the reach summary from what changed since the last run (--full: every family)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="recompute every family, e.g. after custody changes")

    def handle(self, *args: Any, **options: Any) -> None:
        done = refresh.refresh(full=options["full"])
        self.stdout.write(f"reach: {done.families} families recomputed in {done.seconds:.1f} s"
                          f"{' (full)' if done.full else ''}")
