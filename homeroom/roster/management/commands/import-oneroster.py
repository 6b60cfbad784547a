"""`homeroom import-oneroster PATH`: import a OneRoster export and print what changed and what was wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeroom.core.models import User
from homeroom.roster.importers import ImportReport, import_oneroster


def format_summary(report: ImportReport) -> list[str]:
    lines = [f"{'':20} {'created':>9} {'updated':>9} {'deactivated':>12} {'unchanged':>10}"]
    for entity, counts in report.summary_rows():
        lines.append(f"{entity:20} {counts['created']:>9} {counts['updated']:>9} {counts['deactivated']:>12} "
                     f"{counts['unchanged']:>10}")
    return lines


class Command(BaseCommand):
    help = "Import a OneRoster 1.1/1.2 CSV export (a .zip or a folder) into one district."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--district", help="District slug (default: from the district org in orgs.csv)")
        parser.add_argument("--user", help="Email of the person recorded as running the import")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, then roll everything back")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        user = None
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"]).first()
            if user is None:
                raise CommandError(f"No user with email {options['user']}")
        report = import_oneroster(path, district_slug=options["district"], user=user, dry_run=options["dry_run"])
        for warning in report.warnings:
            self.stdout.write(f"warning: {warning}")
        for error in report.errors:
            self.stderr.write(f"error: {error}")
        if report.more_errors or report.more_warnings:
            self.stderr.write(f"... and {report.more_errors} more error(s), {report.more_warnings} more warning(s), "
                              f"counted but not listed (HOMEROOM_IMPORT_MAX_PROBLEMS).")
        if not report.ok:
            raise CommandError(f"Rejected: {len(report.errors) + report.more_errors} problem(s); nothing was written.")
        for line in format_summary(report):
            self.stdout.write(line)
        if report.dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif report.unchanged:
            self.stdout.write(self.style.SUCCESS("No changes: the roster already matches this export."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Applied (import run {report.import_run_id})."))
