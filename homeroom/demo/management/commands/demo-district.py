"""`homeroom demo-district`: write a synthetic district as OneRoster CSV files."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeroom.demo import generate_district
from homeroom.demo.columns import VERSIONS


class Command(BaseCommand):
    help = "Write a realistic synthetic school district as OneRoster CSV files (the same --seed, the same files)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        # Our --version is the OneRoster version; it replaces Django's "print the Django version".
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--students", type=int, default=600, help="number of students (default 600)")
        parser.add_argument("--out", type=Path, required=True, help="folder to write the CSV files into")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--version", dest="oneroster_version", choices=VERSIONS, default="1.1",
                            help="OneRoster version of the files (default 1.1)")
        parser.add_argument("--school-year", type=int, default=None,
                            help="calendar year the school year starts in (default: the current school year)")

    def handle(self, *args, **options) -> None:
        if options["students"] < 1:
            raise CommandError("--students must be at least 1")
        started = time.monotonic()
        summary = generate_district(options["out"], students=options["students"], seed=options["seed"],
                                    version=options["oneroster_version"], school_year=options["school_year"])
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Wrote OneRoster {summary.version} to {summary.directory} in {seconds:.1f}s: {summary.schools} schools, "
            f"{summary.households} households, {summary.students} students, {summary.guardians} guardians, "
            f"{summary.staff} staff, {summary.sections} classes, {summary.enrollments} enrollments, "
            f"{summary.results} results."
        )
