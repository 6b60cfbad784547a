"""The import entry point: read, check everything, then write everything in one transaction (or nothing)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from homeroom.roster import models as m
from homeroom.roster.importers.i18n import gettext as _
from homeroom.roster.importers.i18n import remembered_messages
from homeroom.roster.importers.load import load_export
from homeroom.roster.importers.problems import ImportReport, Problem, Problems
from homeroom.roster.importers.records import Export
from homeroom.roster.importers.validate import validate
from homeroom.roster.importers.write import accounts, grades, people, roster
from homeroom.roster.importers.write.analyze import analyze_touched
from homeroom.roster.signals import roster_imported

logger = logging.getLogger(__name__)
Progress = Callable[[str], None]  # told "reading", "checking" and "writing" as the import moves on


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


@remembered_messages()
def import_oneroster(
    source: Path | IO[bytes],
    *,
    district_slug: str | None = None,
    user: Any = None,
    dry_run: bool = False,
    run: m.ImportRun | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a OneRoster export (.zip, folder, or an open .zip file) into one district.

    `run` is the ImportRun a background import already created (it receives the outcome); without it, a run is
    recorded here. Nothing is written unless the whole export is correct.
    """
    step = progress or _quiet
    problems = Problems(limit=settings.IMPORT_MAX_PROBLEMS)
    report = ImportReport(source_name=run.source_name if run else _source_name(source), dry_run=dry_run)
    step("reading")
    export = load_export(source, problems)
    report.version = export.version
    district, slug = roster.find_district(export, district_slug)
    # References are checked only once every file could be read; otherwise each would repeat the same complaint.
    # Past the problem limit the records were no longer kept, so references could not be checked either.
    if not problems.full and not any(p.row in (None, 1) for p in problems.errors):
        step("checking")
        validate(export, problems, district.pk if district else None)
    report.more_errors, report.more_warnings = problems.more_errors, problems.more_warnings
    if problems.errors:
        report.errors, report.warnings = problems.errors, problems.warnings
        if not dry_run or run is not None:
            _record(report, district, user, m.ImportRun.Status.REJECTED, run)
        return report
    step("writing")
    try:
        with transaction.atomic():
            district = _write(export, district, slug, report, problems, user)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    if report.stale:
        problems.warn(_("delta files"), None, "dateLastModified",
                      _("%(count)s rows were older than what Homeroom already had and were left alone.")
                      % {"count": report.stale})
    report.warnings, report.more_warnings = problems.warnings, problems.more_warnings
    if dry_run and run is not None:
        _record(report, district, user, m.ImportRun.Status.CHECKED, run)
    if not dry_run:
        status = m.ImportRun.Status.UNCHANGED if report.unchanged else m.ImportRun.Status.APPLIED
        _record(report, district, user, status, run)
        if not report.unchanged:
            # Fresh statistics, or the planner keeps choosing plans made for the empty tables of before.
            analyze_touched(report.summary)
        if not report.unchanged and district is not None:
            district_id = district.pk
            transaction.on_commit(lambda: roster_imported.send(sender=m.District, district_id=district_id))
    logger.info("OneRoster import into district %s: %s", slug, "unchanged" if report.unchanged else "applied")
    return report


def _write(export: Export, district: m.District | None, slug: str, report: ImportReport,
           problems: Problems, user: Any) -> m.District:
    district = roster.write_district(export, district, slug, report)
    # One import per district at a time (PostgreSQL; SQLite serialises writers anyway).
    m.District.objects.select_for_update().filter(pk=district.pk).first()
    d = district.pk
    schools = roster.write_schools(export, d, report).ids if export.mode("orgs") else _ids(m.School, d)
    if export.mode("academicsessions"):
        roster.write_sessions(export, d, report)
    students, guardians, staff = people.split_people(export)
    if export.mode("users") or export.demographics or export.staff_demographics:
        households = accounts.write_households(export, d, [*students, *guardians], report).ids
        languages = {g.email.lower(): g.language for g in guardians if g.email and g.language}
        user_ids = accounts.write_users([*staff, *guardians], languages, report)
        staff_ids = people.write_staff(export, d, staff, user_ids, report, problems, user).ids
        people.write_staff_roles(export, staff, staff_ids, schools, report)
        student_ids = people.write_students(export, d, students, schools, households, report).ids
        guardian_ids = people.write_guardians(export, d, guardians, user_ids, households, report, problems).ids
    else:
        staff_ids, student_ids, guardian_ids = _ids(m.Staff, d), _ids(m.Student, d), _ids(m.Guardian, d)
    if export.mode("users") or export.relationships:
        people.write_links(export, d, student_ids, guardian_ids, report)
    people.write_caseloads(export, d, staff_ids, student_ids, report)
    # The people are written: their records (the largest part of an export) make room for the enrollments.
    del students, guardians, staff
    export.release_people()
    sections = roster.write_sections(export, d, schools, report).ids if export.mode("classes") else _ids(m.Section, d)
    if export.mode("enrollments"):
        roster.write_enrollments(export, d, sections, student_ids, staff_ids, report)
    grades.write_grades(export, d, sections, student_ids, report)
    return district


def _ids(model: Any, district_id: int) -> dict[str, int]:
    return dict(model.objects.filter(district_id=district_id).exclude(sourced_id="").values_list("sourced_id", "pk"))


def _source_name(source: Path | IO[bytes]) -> str:
    name = source.name if isinstance(source, Path) else getattr(source, "name", "") or "upload.zip"
    return str(Path(str(name)).name)[:255]


def _quiet(stage: str) -> None:
    """No one is watching: an import run from the command line or a test."""


def _stored(items: list[Problem]) -> list[dict[str, Any]]:
    return [p.as_dict() for p in items]


def _record(report: ImportReport, district: m.District | None, user: Any, status: str,
            run: m.ImportRun | None) -> None:
    outcome = {
        "district": district, "version": report.version, "status": status, "summary": dict(report.summary),
        "errors": _stored(report.errors), "warnings": _stored(report.warnings),
        "more_errors": report.more_errors, "more_warnings": report.more_warnings, "finished_at": timezone.now(),
    }
    if run is None:
        run = m.ImportRun.objects.create(
            source_name=report.source_name,
            created_by=user if user is not None and getattr(user, "is_authenticated", False) else None,
            **outcome,
        )
    else:
        for name, value in outcome.items():
            setattr(run, name, value)
        run.save(update_fields=list(outcome))
    report.import_run_id = run.pk
