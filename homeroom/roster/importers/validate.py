"""Validation across files: every reference must lead somewhere, and every role must make sense."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Model

from homeroom.roster import models as m
from homeroom.roster.importers.i18n import gettext as _
from homeroom.roster.importers.parse_people import GUARDIAN_ROLES, STUDENT_ROLES
from homeroom.roster.importers.problems import Problems
from homeroom.roster.importers.records import Export

STAFF_ENROLLMENT_ROLES = frozenset({"teacher", "aide", "administrator", "proctor"})


def _db_ids(model: type[Model], district_id: int | None) -> frozenset[str]:
    if district_id is None:
        return frozenset()
    return frozenset(
        model._default_manager.filter(district_id=district_id).exclude(sourced_id="").values_list("sourced_id",
                                                                                                  flat=True)
    )


@dataclass
class Known:
    """Sourced ids that exist: in the export, or in the database when the export's file is not a full snapshot."""

    export: Export
    district_id: int | None
    students: set[str] = field(default_factory=set)
    guardians: set[str] = field(default_factory=set)
    staff: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for user in self.export.users.values():
            roles = user.role_names
            if roles & STUDENT_ROLES:
                self.students.add(user.sourced_id)
            if roles & GUARDIAN_ROLES:
                self.guardians.add(user.sourced_id)
            if roles - STUDENT_ROLES - GUARDIAN_ROLES:
                self.staff.add(user.sourced_id)
        if self.export.mode("users") != "bulk":
            self.students |= _db_ids(m.Student, self.district_id)
            self.guardians |= _db_ids(m.Guardian, self.district_id)
            self.staff |= _db_ids(m.Staff, self.district_id)

    def _ids(self, key: str, in_file: set[str] | frozenset[str], model: type[Model]) -> frozenset[str]:
        if self.export.mode(key) == "bulk":
            return frozenset(in_file)
        return frozenset(in_file) | _db_ids(model, self.district_id)

    @cached_property
    def schools(self) -> frozenset[str]:
        in_file = {sid for sid, org in self.export.orgs.items() if org.org_type != "district"}
        return self._ids("orgs", in_file, m.School)

    @cached_property
    def district_orgs(self) -> frozenset[str]:
        return frozenset(sid for sid, org in self.export.orgs.items() if org.org_type == "district")

    @cached_property
    def sessions(self) -> frozenset[str]:
        return self._ids("academicsessions", set(self.export.sessions), m.AcademicSession)

    @cached_property
    def classes(self) -> frozenset[str]:
        return self._ids("classes", set(self.export.classes), m.Section)

    @cached_property
    def categories(self) -> frozenset[str]:
        return self._ids("categories", set(self.export.categories), m.GradeCategory)

    @cached_property
    def line_items(self) -> frozenset[str]:
        return self._ids("lineitems", set(self.export.line_items), m.LineItem)

    @cached_property
    def users(self) -> frozenset[str]:
        return frozenset(self.export.users) | self.students | self.guardians | self.staff


def validate(export: Export, problems: Problems, district_id: int | None) -> Known:
    known = Known(export, district_id)
    _validate_orgs(export, problems)
    _validate_classes(export, problems, known)
    _validate_users(export, problems, known)
    _validate_enrollments(export, problems, known)
    _validate_people_files(export, problems, known)
    _validate_grades(export, problems, known)
    return known


def _missing(problems: Problems, file: str, row: int, column: str, sourced_id: str, where: str) -> None:
    problems.error(file, row, column, _("%(id)s is not in %(file)s.") % {"id": sourced_id, "file": where})


def _validate_orgs(export: Export, problems: Problems) -> None:
    districts = [org for org in export.orgs.values() if org.org_type == "district"]
    for extra in districts[1:]:
        problems.error(export.name("orgs"), extra.row, "type", _("Only one district may be imported at a time; "
                                                                 "%(id)s is a second one.") % {"id": extra.sourced_id})


def _validate_classes(export: Export, problems: Problems, known: Known) -> None:
    file = export.name("classes")
    for record in export.classes.values():
        if record.school_id in known.district_orgs:
            problems.error(file, record.row, "schoolSourcedId", _("%(id)s is a district, not a school.")
                           % {"id": record.school_id})
        elif record.school_id and record.school_id not in known.schools:
            _missing(problems, file, record.row, "schoolSourcedId", record.school_id, export.name("orgs"))
        # A course outside the export is fine unless courses.csv claims to be the full list.
        if record.course_id and export.mode("courses") == "bulk" and record.course_id not in export.courses:
            _missing(problems, file, record.row, "courseSourcedId", record.course_id, export.name("courses"))
        if export.mode("academicsessions"):
            for term in record.term_ids:
                if term not in known.sessions:
                    _missing(problems, file, record.row, "termSourcedIds", term, export.name("academicsessions"))


def _validate_users(export: Export, problems: Problems, known: Known) -> None:
    orgs = known.schools | known.district_orgs
    for user in export.users.values():
        if not user.roles:
            problems.warn(export.name("users"), user.row, "sourcedId", _("%(id)s has no role, so it was skipped.")
                          % {"id": user.sourced_id})
            continue
        for role in user.roles:
            if role.org_id and role.org_id not in orgs:
                _missing(problems, role.file, role.row, role.column, role.org_id, export.name("orgs"))
        for agent in user.agent_ids:
            if agent not in known.users:
                _missing(problems, export.name("users"), user.row, "agentSourcedIds", agent, export.name("users"))


def _validate_enrollments(export: Export, problems: Problems, known: Known) -> None:
    file = export.name("enrollments")
    skipped: list[str] = []
    for record in export.enrollments.values():
        if record.class_id and record.class_id not in known.classes:
            _missing(problems, file, record.row, "classSourcedId", record.class_id, export.name("classes"))
        if not record.user_id or not record.role:
            continue
        if record.user_id not in known.users:
            _missing(problems, file, record.row, "userSourcedId", record.user_id, export.name("users"))
        elif record.role == "student" and record.user_id not in known.students:
            problems.warn(file, record.row, "role", _("%(id)s is enrolled as a student but is not a student; "
                                                      "this enrollment was skipped.") % {"id": record.user_id})
            skipped.append(record.sourced_id)
        elif record.role in STAFF_ENROLLMENT_ROLES and record.user_id not in known.staff:
            problems.warn(file, record.row, "role", _("%(id)s is enrolled as %(role)s but is not a member of staff; "
                                                      "this enrollment was skipped.")
                          % {"id": record.user_id, "role": record.role})
            skipped.append(record.sourced_id)
        elif record.role not in STAFF_ENROLLMENT_ROLES and record.role != "student":
            problems.warn(file, record.row, "role", _("Enrollments as %(role)s are not used; skipped.")
                          % {"role": record.role})
            skipped.append(record.sourced_id)
    for sourced_id in skipped:
        del export.enrollments[sourced_id]


def _validate_people_files(export: Export, problems: Problems, known: Known) -> None:
    file = export.name("demographics")
    for record in list(export.demographics.values()):
        if record.sourced_id not in known.users:
            _missing(problems, file, record.row, "sourcedId", record.sourced_id, export.name("users"))
            continue
        if record.sourced_id in known.staff:
            export.staff_demographics[record.sourced_id] = record  # a staff member's sex: titles agree with it
        if record.sourced_id not in known.students:
            del export.demographics[record.sourced_id]  # guardians' demographics are not kept
    file = export.name("relationships")
    for link in export.relationships:
        if link.student_id not in known.students:
            problems.error(file, link.row, "userSourcedId", _("%(id)s is not a student in %(file)s.")
                           % {"id": link.student_id, "file": export.name("users")})
        if link.guardian_id not in known.guardians:
            problems.error(file, link.row, "relationshipUserSourcedId", _("%(id)s is not a parent, guardian or "
                                                                          "relative in %(file)s.")
                           % {"id": link.guardian_id, "file": export.name("users")})
    file = export.name("caseloads")
    for load in export.caseloads:
        if load.staff_id not in known.staff:
            problems.error(file, load.row, "staffSourcedId", _("%(id)s is not a member of staff in %(file)s.")
                           % {"id": load.staff_id, "file": export.name("users")})
        if load.student_id not in known.students:
            problems.error(file, load.row, "studentSourcedId", _("%(id)s is not a student in %(file)s.")
                           % {"id": load.student_id, "file": export.name("users")})


def _validate_grades(export: Export, problems: Problems, known: Known) -> None:
    file = export.name("lineitems")
    for item in export.line_items.values():
        if item.class_id and item.class_id not in known.classes:
            _missing(problems, file, item.row, "classSourcedId", item.class_id, export.name("classes"))
        if item.category_id and item.category_id not in known.categories:
            if export.mode("categories") == "bulk":
                _missing(problems, file, item.row, "categorySourcedId", item.category_id, export.name("categories"))
            else:
                problems.warn(file, item.row, "categorySourcedId", _("%(id)s is not a known category; left blank.")
                              % {"id": item.category_id})
                item.category_id = ""
    file = export.name("results")
    for result in export.results.values():
        if result.line_item_id and result.line_item_id not in known.line_items:
            _missing(problems, file, result.row, "lineItemSourcedId", result.line_item_id, export.name("lineitems"))
        if result.student_id and result.student_id not in known.students:
            problems.error(file, result.row, "studentSourcedId", _("%(id)s is not a student in %(file)s.")
                           % {"id": result.student_id, "file": export.name("users")})
