"""`homeroom import-attendance PATH`: import a daily (or corrected) attendance CSV and print what changed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeroom.attendance.importers.run import import_attendance
from homeroom.core.models import User
from homeroom.roster.models import District


class Command(BaseCommand):
    help = "Import an attendance CSV (one row per student and school day) into one district."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--district", help="District slug (needed when there is more than one district)")
        parser.add_argument("--user", help="Email of the person recorded as running the import")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, then roll everything back")
        parser.add_argument("--today", type=date.fromisoformat, help=argparse_help())

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        districts = District.objects.all()
        if options["district"]:
            districts = districts.filter(slug=options["district"])
        if districts.count() != 1:
            raise CommandError("Name the district with --district (slug).")
        user = None
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"]).first()
            if user is None:
                raise CommandError(f"No user with email {options['user']}")
        report = import_attendance(path, district=districts.get(), user=user, dry_run=options["dry_run"],
                                   today=options["today"])
        for warning in report.warnings:
            self.stdout.write(f"warning: {warning}")
        for error in report.errors:
            self.stderr.write(f"error: {error}")
        if not report.ok:
            raise CommandError(f"Rejected: {len(report.errors)} problem(s); nothing was written.")
        counts = report.summary.get("attendance", {})
        self.stdout.write("rows: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        self.stdout.write("re-evaluated: " + ", ".join(f"{k} {v}" for k, v in report.evaluation.items()))
        if report.dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif report.unchanged:
            self.stdout.write(self.style.SUCCESS("No changes: every row was already there."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Applied (import run {report.import_run_id})."))


def argparse_help() -> str:
    return "The date the import counts from (default: today), for replaying old files"
