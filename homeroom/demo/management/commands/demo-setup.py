"""`homeroom demo-setup`: load the demo district into an empty database, once (re-running keeps the data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from homeroom.demo.logins import DEMO_PASSWORD
from homeroom.demo.setup import DemoSetupError, demo_setup
from homeroom.roster.models import District


class Command(BaseCommand):
    help = ("Generate a demo district and import it through the OneRoster importer, if the database has no "
            "district yet. Re-running keeps the data.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--students", type=int, default=600, help="number of students (default 600)")
        parser.add_argument("--seed", type=int, default=1, help="random seed of the generator (default 1)")
        parser.add_argument("--folder", type=Path, default=None,
                            help="where to write the OneRoster files (default: HOMEROOM_DATA_DIR/demo)")
        parser.add_argument("--demo-passwords", action="store_true",
                            help=f"give demo staff the password {DEMO_PASSWORD!r} (implied by HOMEROOM_DEBUG)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["students"] < 1:
            raise CommandError("--students must be at least 1")
        folder: Path = options["folder"] or Path(settings.DATA_DIR) / "demo"
        set_passwords = bool(settings.DEBUG or options["demo_passwords"])
        try:
            result = demo_setup(students=options["students"], folder=folder, seed=options["seed"],
                                set_passwords=set_passwords)
        except DemoSetupError as exc:
            raise CommandError(str(exc)) from exc
        if not result.loaded:
            names = ", ".join(District.objects.order_by("pk").values_list("name", flat=True)[:3])
            self.stdout.write(f"The database already has a district ({names}): nothing changed. "
                              "Re-running keeps the data.")
            if connection.vendor == "sqlite":
                self.stdout.write(f"To start over, stop Homeroom and delete {settings.DATABASES['default']['NAME']}.")
            return
        summary = result.summary
        assert summary is not None
        self.stdout.write(
            f"Generated a demo district in {folder}: {summary.schools} schools, {summary.students} students, "
            f"{summary.guardians} guardians, {summary.staff} staff, {summary.sections} classes."
        )
        created = {name: counts.get("created", 0) for name, counts in result.import_summary.items()}
        self.stdout.write("Imported through the OneRoster importer: " + ", ".join(
            f"{count} {name.replace('_', ' ')}" for name, count in created.items() if count))
        if result.warnings:
            self.stdout.write(f"The importer noted {result.warnings} warning(s); see the import run page.")
        attendance = result.attendance
        if attendance is not None and attendance.rows:
            self.stdout.write(f"Imported attendance through the attendance importer: {attendance.rows} school days so "
                              f"far this year for {attendance.students} students ({attendance.chronic} chronically "
                              "absent so far).")
        if result.passwords_set:
            self.stdout.write(f"Demo staff sign in with the password {DEMO_PASSWORD!r}.")
        else:
            self.stdout.write("No demo passwords were set (HOMEROOM_DEBUG is off and --demo-passwords not given).")
