"""Reading every file of an export into an Export of plain records (no database access)."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from homeroom.roster.importers import parse, parse_grades, parse_people
from homeroom.roster.importers.i18n import gettext as _
from homeroom.roster.importers.problems import Problems
from homeroom.roster.importers.records import Export
from homeroom.roster.importers.source import ExportFiles, Limits, SourceFile, Table, read_header
from homeroom.roster.importers.spec import IGNORED_FILES, SPECS, display_name

# Homeroom's own files are not listed in a standard manifest; present means a full snapshot.
EXTENSION_FILES = frozenset({"relationships", "caseloads"})


def load_export(source: Path | IO[bytes], problems: Problems, limits: Limits | None = None) -> Export:
    """Parse every file of the export, streaming each one; the records are all that stays in memory."""
    limits = limits or Limits.from_settings()
    with ExportFiles(source, problems, limits) as files:
        if problems.errors:
            return Export()
        return _load(files, problems, limits)


def _load(files: dict[str, SourceFile], problems: Problems, limits: Limits) -> Export:
    export = Export()
    if "manifest" not in files:
        problems.error("manifest.csv", None, "", _("The export has no manifest.csv, so its version and which files "
                                                     "are full snapshots are unknown."))
        return export
    manifest = read_header("manifest", files.pop("manifest"), problems, limits)
    if manifest is None:
        return export
    export.version, declared = parse.parse_manifest(manifest, problems)
    tables: dict[str, Table] = {}
    for key, source in files.items():
        name = source.name
        if key in IGNORED_FILES:
            problems.warn(name, None, "", _("Homeroom does not read this file; it was ignored."))
            continue
        if key not in SPECS:
            problems.warn(name, None, "", _("This is not a OneRoster file Homeroom knows; it was ignored."))
            continue
        mode = declared.get(key, "bulk" if key in EXTENSION_FILES else "absent")
        if mode == "absent":
            problems.warn(name, None, "", _("The manifest lists this file as absent, so it was ignored."))
            continue
        table = read_header(key, source, problems, limits)
        if table is not None:
            tables[key] = table
            export.modes[key] = mode
            export.file_names[key] = name
    for key, mode in declared.items():
        if mode in ("bulk", "delta") and key in SPECS and key not in files:
            problems.error(manifest.name, None, f"file.{key}", _("The manifest lists %(file)s as %(mode)s but the "
                                                                   "file is not in the export.")
                           % {"file": display_name(key), "mode": mode})
    if export.version == "1.2" and "users" in tables and "roles" not in tables and not tables["users"].has("role"):
        problems.error(display_name("roles"), None, "", _("A OneRoster 1.2 export needs roles.csv to say who is a "
                                                            "student, guardian or member of staff."))
    _parse_tables(export, tables, problems)
    return export


def _parse_tables(export: Export, tables: dict[str, Table], problems: Problems) -> None:
    def delta(key: str) -> bool:
        return export.modes.get(key) == "delta"

    if "orgs" in tables:
        export.orgs = parse.parse_orgs(tables["orgs"], problems, delta("orgs"))
    if "academicsessions" in tables:
        export.sessions = parse.parse_sessions(tables["academicsessions"], problems, delta("academicsessions"))
    if "courses" in tables:
        export.courses = parse.parse_courses(tables["courses"], problems, delta("courses"))
    if "classes" in tables:
        export.classes = parse.parse_classes(tables["classes"], problems, delta("classes"))
    if "users" in tables:
        export.users = parse_people.parse_users(tables["users"], problems, delta("users"), export.version)
    if "roles" in tables:
        parse_people.parse_roles(tables["roles"], problems, delta("roles") or delta("users"), export.users,
                                 export.name("users"))
    if "demographics" in tables:
        export.demographics = parse_people.parse_demographics(tables["demographics"], problems, delta("demographics"))
    if "relationships" in tables:
        export.relationships = parse_people.parse_relationships(tables["relationships"], problems)
    if "caseloads" in tables:
        export.caseloads = parse_people.parse_caseloads(tables["caseloads"], problems)
    if "enrollments" in tables:
        export.enrollments = parse.parse_enrollments(tables["enrollments"], problems, delta("enrollments"))
    if "categories" in tables:
        export.categories = parse_grades.parse_categories(tables["categories"], problems, delta("categories"))
    if "lineitems" in tables:
        export.line_items = parse_grades.parse_line_items(tables["lineitems"], problems, delta("lineitems"))
    if "results" in tables:
        export.results = parse_grades.parse_results(tables["results"], problems, delta("results"))
