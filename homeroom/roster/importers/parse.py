"""Parsing: the manifest and the organisation, session, course, class and enrollment files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from homeroom.roster.importers.cells import Row
from homeroom.roster.importers.i18n import gettext as _
from homeroom.roster.importers.problems import Problems
from homeroom.roster.importers.records import (
    ClassRecord,
    CourseRecord,
    EnrollmentRecord,
    OrgRecord,
    Record,
    SessionRecord,
)
from homeroom.roster.importers.source import Table

STATUS = {"active": "active", "tobedeleted": "tobedeleted", "inactive": "inactive"}
ORG_TYPES = {t.lower(): t for t in ("district", "school", "department", "local", "state", "national")}
SESSION_TYPES = {t.lower(): t for t in ("gradingPeriod", "semester", "schoolYear", "term")}
CLASS_TYPES = {"homeroom": "homeroom", "scheduled": "scheduled"}
ENROLLMENT_ROLES = {r.lower(): r for r in ("student", "teacher", "aide", "administrator", "proctor", "guardian")}
VERSIONS = ("1.1", "1.2")
MODES = ("bulk", "delta", "absent")
DISTRICT_NAME_LENGTH = 200  # roster.District.name

R = TypeVar("R", bound=Record)


def base(row: Row, delta: bool) -> tuple[str, bool, datetime | None]:
    """sourcedId, whether the record is active, and dateLastModified."""
    sourced_id = row.text("sourcedId", required=True)
    status = row.choice("status", STATUS)
    modified = row.datetime("dateLastModified")
    if delta and not status:
        row.error("status", _("A delta file needs a status on every row (active or tobedeleted)."))
    if delta and modified is None and not row.values.get("dateLastModified", "").strip():
        row.error("dateLastModified", _("A delta file needs a dateLastModified on every row."))
    return sourced_id, status not in ("tobedeleted", "inactive"), modified


def keyed(table: Table, problems: Problems, build: Callable[[Row], R | None]) -> dict[str, R]:
    """Build one record per row, refusing a sourcedId that appears twice."""
    records: dict[str, R] = {}
    for number, values in table.rows:
        row = Row(table.name, number, values, problems)
        record = build(row)
        if record is None or not record.sourced_id or problems.full:
            continue  # once the export is sure to be refused, its rows are only checked, not kept
        earlier = records.get(record.sourced_id)
        if earlier is not None:
            row.error("sourcedId", _("%(id)s already appears on row %(row)s.") % {"id": record.sourced_id,
                                                                                   "row": earlier.row})
            continue
        records[record.sourced_id] = record
    return records


def parse_manifest(table: Table, problems: Problems) -> tuple[str, dict[str, str]]:
    """The OneRoster version and each file's mode (bulk, delta or absent)."""
    version = ""
    modes: dict[str, str] = {}
    for number, values in table.rows:
        row = Row(table.name, number, values, problems)
        name = row.text("propertyName")
        value = row.text("value")
        if name == "oneroster.version":
            if value not in VERSIONS:
                row.error("value", _("OneRoster version “%(value)s” is not supported; use 1.1 or 1.2.")
                          % {"value": value})
            version = value
        elif name.startswith("file."):
            mode = value.lower()
            if mode and mode not in MODES:
                row.error("value", _("“%(value)s” is not bulk, delta or absent.") % {"value": value})
                continue
            modes[name.removeprefix("file.").lower()] = mode or "absent"
    if not version:
        problems.error(table.name, None, "oneroster.version", _("The manifest does not say which OneRoster version "
                                                                 "this is (1.1 or 1.2)."))
    return version, modes


def parse_orgs(table: Table, problems: Problems, delta: bool) -> dict[str, OrgRecord]:
    def build(row: Row) -> OrgRecord:
        sourced_id, active, modified = base(row, delta)
        org_type = row.choice("type", ORG_TYPES, default="school")
        # A district's name has less room than a school's: too long is a problem, never a cut.
        longest = DISTRICT_NAME_LENGTH if org_type == "district" else 255
        return OrgRecord(
            sourced_id, row.number, active, modified,
            name=row.text("name", required=True, max_length=longest),
            org_type=org_type,
            identifier=row.text("identifier"),
            parent_id=row.text("parentSourcedId"),
        )

    return keyed(table, problems, build)


def parse_sessions(table: Table, problems: Problems, delta: bool) -> dict[str, SessionRecord]:
    def build(row: Row) -> SessionRecord:
        sourced_id, active, modified = base(row, delta)
        record = SessionRecord(
            sourced_id, row.number, active, modified,
            title=row.text("title", required=True),
            session_type=row.choice("type", SESSION_TYPES, default="term"),
            start_date=row.date("startDate"),
            end_date=row.date("endDate"),
            parent_id=row.text("parentSourcedId"),
            school_year=row.text("schoolYear", max_length=16),
        )
        if record.start_date and record.end_date and record.end_date < record.start_date:
            row.error("endDate", _("The session ends before it starts."))
        return record

    return keyed(table, problems, build)


def parse_courses(table: Table, problems: Problems, delta: bool) -> dict[str, CourseRecord]:
    def build(row: Row) -> CourseRecord:
        sourced_id, active, modified = base(row, delta)
        return CourseRecord(sourced_id, row.number, active, modified,
                            title=row.text("title", required=True))

    return keyed(table, problems, build)


def parse_classes(table: Table, problems: Problems, delta: bool) -> dict[str, ClassRecord]:
    def build(row: Row) -> ClassRecord:
        sourced_id, active, modified = base(row, delta)
        return ClassRecord(
            sourced_id, row.number, active, modified,
            title=row.text("title", required=True),
            school_id=row.text("schoolSourcedId", required=True),
            course_id=row.text("courseSourcedId"),
            class_code=row.text("classCode"),
            class_type=row.choice("classType", CLASS_TYPES, default="scheduled"),
            location=row.text("location"),
            grades=row.refs("grades"),
            subjects=row.refs("subjects"),
            periods=row.refs("periods"),
            term_ids=row.refs("termSourcedIds"),
        )

    return keyed(table, problems, build)


def parse_enrollments(table: Table, problems: Problems, delta: bool) -> dict[str, EnrollmentRecord]:
    def build(row: Row) -> EnrollmentRecord:
        sourced_id, active, modified = base(row, delta)
        record = EnrollmentRecord(
            sourced_id, row.number, active, modified,
            class_id=row.text("classSourcedId", required=True),
            user_id=row.text("userSourcedId", required=True),
            role=row.choice("role", ENROLLMENT_ROLES),
            primary=bool(row.boolean("primary")),
            begin_date=row.date("beginDate"),
            end_date=row.date("endDate"),
        )
        if not record.role and not row.values.get("role", "").strip():
            row.error("role", _("A value is required."))
        return record

    return keyed(table, problems, build)
