"""Parsing the people files: users, roles (1.2), demographics, relationships and caseloads."""

from __future__ import annotations

from homeroom.core.models import Role
from homeroom.roster.importers.cells import Row
from homeroom.roster.importers.i18n import gettext as _
from homeroom.roster.importers.parse import STATUS, base, keyed
from homeroom.roster.importers.problems import Problems
from homeroom.roster.importers.records import (
    CaseloadRecord,
    DemographicRecord,
    RelationshipRecord,
    UserRecord,
    UserRole,
)
from homeroom.roster.importers.source import Table
from homeroom.roster.importers.spec import RACE_COLUMNS
from homeroom.roster.models import Relationship

USER_ROLES = {
    r.lower(): r.lower()
    for r in (
        "student", "teacher", "aide", "administrator", "proctor", "parent", "guardian", "relative",
        "districtAdministrator", "siteAdministrator", "systemAdministrator", "principal", "counselor",
    )
}
GRADE_LENGTH = 8  # roster.Student.grade
STUDENT_ROLES = frozenset({"student"})
GUARDIAN_ROLES = frozenset({"parent", "guardian", "relative"})
STAFF_ROLE_CHOICES = {value: value for value in Role.values}
SEX = {s.lower(): s for s in ("male", "female", "other", "unspecified")}
RELATIONSHIPS = {value: value for value in Relationship.values} | {
    "foster parent": Relationship.FOSTER_PARENT.value,
    "fosterparent": Relationship.FOSTER_PARENT.value,
    "step parent": Relationship.STEPPARENT.value,
}


def parse_users(table: Table, problems: Problems, delta: bool, version: str) -> dict[str, UserRecord]:
    has_role_column = table.has("role")
    if version == "1.1" and not has_role_column:
        problems.error(table.name, 1, "role", _("The required column %(column)s is missing.") % {"column": "role"})

    def build(row: Row) -> UserRecord:
        sourced_id, active, modified = base(row, delta)
        row.boolean("enabledUser")
        record = UserRecord(
            sourced_id, row.number, active, modified,
            given_name=row.text("givenName", required=True, max_length=120),
            family_name=row.text("familyName", required=True, max_length=120),
            preferred_name=row.text("preferredFirstName", max_length=120),
            identifier=row.text("identifier"),
            email=row.email("email"),
            mobile_phone=row.phone("sms"),
            home_phone=row.phone("phone"),
            primary_org_id=row.text("primaryOrgSourcedId"),
            agent_ids=row.refs("agentSourcedIds"),
            grades=row.refs("grades", max_length=GRADE_LENGTH),
            language=row.language("metadata.language"),
            household_id=row.text("metadata.householdSourcedId"),
            staff_role=row.choice("metadata.staffRole", STAFF_ROLE_CHOICES),
            sms_consent=row.boolean("metadata.smsConsent"),
        )
        if has_role_column:
            role = row.choice("role", USER_ROLES)
            if not role and not row.values.get("role", "").strip():
                row.error("role", _("A value is required."))
            orgs = row.refs("orgSourcedIds") or [record.primary_org_id]
            if role:
                record.roles = [
                    UserRole(role, org, primary=(i == 0), file=table.name, row=row.number)
                    for i, org in enumerate(orgs)
                ]
            if not record.primary_org_id and orgs:
                record.primary_org_id = orgs[0]
        return record

    return keyed(table, problems, build)


def parse_roles(table: Table, problems: Problems, delta: bool, users: dict[str, UserRecord], users_file: str) -> None:
    """OneRoster 1.2: add each roles.csv row to its user's roles."""
    for number, values in table.rows:
        row = Row(table.name, number, values, problems)
        active = row.choice("status", STATUS) not in ("tobedeleted", "inactive")
        row.datetime("dateLastModified")
        user_id = row.text("userSourcedId", required=True)
        role = row.choice("role", USER_ROLES)
        org_id = row.text("orgSourcedId", required=True)
        row.choice("roleType", {"primary": "primary", "secondary": "secondary"})
        row.date("beginDate")
        row.date("endDate")
        if not role:
            if not row.values.get("role", "").strip():
                row.error("role", _("A value is required."))
            continue
        if not user_id:
            continue
        user = users.get(user_id)
        if user is None:
            if delta:
                row.warn("userSourcedId", _("%(id)s is not in %(file)s, so this role was not applied.")
                         % {"id": user_id, "file": users_file})
            else:
                row.error("userSourcedId", _("%(id)s is not in %(file)s.") % {"id": user_id, "file": users_file})
            continue
        if active:
            primary = row.values.get("roleType", "").strip().lower() == "primary"
            user.roles.append(UserRole(role, org_id, primary, file=table.name, row=number, column="orgSourcedId"))
            if primary and not user.primary_org_id:
                user.primary_org_id = org_id


def parse_demographics(table: Table, problems: Problems, delta: bool) -> dict[str, DemographicRecord]:
    def build(row: Row) -> DemographicRecord:
        sourced_id, active, modified = base(row, delta)
        races = [column for column in RACE_COLUMNS if row.boolean(column)]
        return DemographicRecord(
            sourced_id, row.number, active, modified,
            birth_date=row.date("birthDate"),
            sex=row.choice("sex", SEX),
            race_ethnicity=races,
            english_learner=row.boolean("metadata.englishLearner"),
            has_iep=row.boolean("metadata.iep"),
            has_504=row.boolean("metadata.section504"),
            free_reduced_meals=row.boolean("metadata.freeReducedMeals"),
        )

    return keyed(table, problems, build)


def _flag(row: Row, column: str, default: bool) -> bool:
    value = row.boolean(column)
    return default if value is None else value


def parse_relationships(table: Table, problems: Problems) -> list[RelationshipRecord]:
    records: list[RelationshipRecord] = []
    seen: dict[tuple[str, str], int] = {}
    for number, values in table.rows:
        row = Row(table.name, number, values, problems)
        status = row.choice("status", STATUS)
        record = RelationshipRecord(
            row=number,
            student_id=row.text("userSourcedId", required=True),
            guardian_id=row.text("relationshipUserSourcedId", required=True),
            relationship=row.choice("relationshipRole", RELATIONSHIPS, default=Relationship.PARENT.value),
            has_educational_rights=_flag(row, "hasEducationalRights", True),
            lives_with=_flag(row, "livesWith", True),
            may_receive_information=_flag(row, "mayReceiveInformation", True),
            is_emergency_contact=_flag(row, "emergencyContact", False),
            is_primary=_flag(row, "primaryContact", False),
            custody_notes=row.text("custodyNotes", max_length=4000),
            active=status not in ("tobedeleted", "inactive"),
        )
        if not record.student_id or not record.guardian_id or problems.full:
            continue
        pair = (record.student_id, record.guardian_id)
        if pair in seen:
            row.error("relationshipUserSourcedId", _("This pair already appears on row %(row)s.") % {"row": seen[pair]})
            continue
        seen[pair] = number
        records.append(record)
    return records


def parse_caseloads(table: Table, problems: Problems) -> list[CaseloadRecord]:
    records: list[CaseloadRecord] = []
    seen: dict[tuple[str, str], int] = {}
    for number, values in table.rows:
        row = Row(table.name, number, values, problems)
        status = row.choice("status", STATUS)
        record = CaseloadRecord(
            row=number,
            staff_id=row.text("staffSourcedId", required=True),
            student_id=row.text("studentSourcedId", required=True),
            start_date=row.date("beginDate"),
            end_date=row.date("endDate"),
            active=status not in ("tobedeleted", "inactive"),
        )
        if not record.staff_id or not record.student_id or problems.full:
            continue
        pair = (record.staff_id, record.student_id)
        if pair in seen:
            row.error("studentSourcedId", _("This pair already appears on row %(row)s.") % {"row": seen[pair]})
            continue
        seen[pair] = number
        records.append(record)
    return records
