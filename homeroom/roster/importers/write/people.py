"""Writing staff (and their roles), students, guardians, the links between them, and caseloads."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from homeroom.core.models import Role
from homeroom.roster import models as m
from homeroom.roster.importers.i18n import gettext as _
from homeroom.roster.importers.parse_people import GUARDIAN_ROLES, STUDENT_ROLES
from homeroom.roster.importers.problems import ImportReport, Problems
from homeroom.roster.importers.records import DemographicRecord, Export, UserRecord
from homeroom.roster.importers.write.sql import insert_rows
from homeroom.roster.importers.write.upsert import BATCH, Incoming, Upserted, chunks, upsert
from homeroom.roster.search_keys import guardian_search_key, student_search_key

STAFF_ROLE_BY_ONEROSTER = {
    "teacher": Role.TEACHER, "aide": Role.STAFF, "proctor": Role.STAFF, "counselor": Role.STAFF,
    "principal": Role.PRINCIPAL, "siteadministrator": Role.PRINCIPAL,
    "districtadministrator": Role.DISTRICT_ADMIN, "systemadministrator": Role.DISTRICT_ADMIN,
}
GUARDIAN_RELATIONSHIP = {"parent": m.Relationship.PARENT, "guardian": m.Relationship.GUARDIAN,
                         "relative": m.Relationship.RELATIVE}
SMS_CONSENT_SOURCE = "sis-import"


def split_people(export: Export) -> tuple[list[UserRecord], list[UserRecord], list[UserRecord]]:
    students, guardians, staff = [], [], []
    for user in export.users.values():
        roles = user.role_names
        if roles & STUDENT_ROLES:
            students.append(user)
        if roles & GUARDIAN_ROLES:
            guardians.append(user)
        if roles - STUDENT_ROLES - GUARDIAN_ROLES:
            staff.append(user)
    return students, guardians, staff


def _claimable_users(model: type[m.Staff] | type[m.Guardian], district_id: int) -> dict[int, tuple[int, str]]:
    """user id → (district id, sourced id) of the rows already holding a sign-in account."""
    rows = model.objects.filter(user__isnull=False).values_list("user_id", "district_id", "sourced_id")
    return {user_id: (d, sid) for user_id, d, sid in rows.iterator(chunk_size=BATCH)}


def _assign_user(person: UserRecord, values: dict[str, Any], user_ids: dict[str, int],
                 holders: dict[int, tuple[int, str]], district_id: int, file: str, problems: Problems) -> None:
    """Link the account for this person's email, unless another person already holds it."""
    if not person.email or not person.active:
        return
    user_id = user_ids.get(person.email.lower())
    if user_id is None:
        return
    holder = holders.get(user_id)
    if holder is not None and holder != (district_id, person.sourced_id):
        problems.warn(file, person.row, "email", _("%(email)s already signs in as someone else, so this person "
                                                   "gets no sign-in of their own.") % {"email": person.email})
        return
    holders[user_id] = (district_id, person.sourced_id)
    values["user_id"] = user_id


def _own_record(district_id: int, user: Any, staff: list[UserRecord], problems: Problems, file: str) -> frozenset[str]:
    """The importing person's staff record, kept active even if the export leaves it out (no self-lockout)."""
    if user is None or not getattr(user, "pk", None):
        return frozenset()
    own = m.Staff.objects.filter(district_id=district_id, user_id=user.pk).values_list("sourced_id", flat=True).first()
    if not own or any(person.sourced_id == own for person in staff):
        return frozenset()
    problems.warn(file, None, "", _("Your own staff record is not in this file; it was kept active so that you can "
                                    "still sign in."))
    return frozenset({own})


def write_staff(export: Export, district_id: int, staff: list[UserRecord], user_ids: dict[str, int],
                report: ImportReport, problems: Problems, importer: Any = None) -> Upserted:
    holders = _claimable_users(m.Staff, district_id)
    incoming: dict[str, Incoming] = {}
    for person in staff:
        values: dict[str, Any] = {"given_name": person.given_name, "family_name": person.family_name,
                                  "email": person.email, "phone": person.home_phone or person.mobile_phone,
                                  "identifier": person.identifier}
        _assign_user(person, values, user_ids, holders, district_id, export.name("users"), problems)
        if person.sourced_id in export.staff_demographics:
            values["sex"] = _staff_sex(export.staff_demographics[person.sourced_id])
        incoming[person.sourced_id] = Incoming(values, person.active, person.modified)
    written = upsert(m.Staff, district_id, incoming, ["given_name", "family_name", "email", "phone", "identifier",
                                                      "user_id", "sex"],
                     report, "staff", delta=export.mode("users") == "delta",
                     deactivate_missing=export.mode("users") == "bulk",
                     keep=_own_record(district_id, importer, staff, problems, export.name("users")))
    _write_staff_sex(export, district_id, set(incoming), report)
    return written


def _staff_sex(record: DemographicRecord) -> str:
    """What the roster says of a staff member's sex; a demographics row marked deleted withdraws it."""
    return record.sex if record.active else ""


def _write_staff_sex(export: Export, district_id: int, written: set[str], report: ImportReport) -> None:
    """demographics.csv rows for staff already stored whom users.csv leaves out (a delta, or demographics alone):
    only their sex changes; nothing else about them (not whether they are active)."""
    by_sex: dict[str, list[str]] = {}
    for sid, record in export.staff_demographics.items():
        if sid not in written:
            by_sex.setdefault(_staff_sex(record), []).append(sid)
    counts = report.counts("staff")
    for sex, ids in sorted(by_sex.items()):
        for batch in chunks(ids):
            counts["updated"] += m.Staff.objects.filter(district_id=district_id, sourced_id__in=batch) \
                .exclude(sex=sex).update(sex=sex, updated_at=timezone.now())


def staff_roles_of(person: UserRecord, schools: dict[str, int], district_orgs: set[str]) -> set[tuple[int | None, str]]:
    wanted: set[tuple[int | None, str]] = set()
    for role in person.roles:
        if role.role in STUDENT_ROLES or role.role in GUARDIAN_ROLES:
            continue
        at_district = not role.org_id or role.org_id in district_orgs
        if person.staff_role:
            name = person.staff_role
        elif role.role == "administrator":
            name = Role.DISTRICT_ADMIN if at_district else Role.PRINCIPAL
        else:
            name = STAFF_ROLE_BY_ONEROSTER.get(role.role, Role.STAFF)
        school = None if name == Role.DISTRICT_ADMIN or at_district else schools.get(role.org_id)
        wanted.add((school, name))
    return wanted


def write_staff_roles(export: Export, staff: list[UserRecord], staff_ids: dict[str, int], schools: dict[str, int],
                      report: ImportReport) -> None:
    counts = report.counts("staff_roles")
    district_orgs = {sid for sid, org in export.orgs.items() if org.org_type == "district"}
    wanted = {staff_ids[p.sourced_id]: staff_roles_of(p, schools, district_orgs) for p in staff if p.active}
    existing: dict[tuple[int, int | None, str], tuple[int, bool]] = {}
    for batch in chunks(wanted, 500):
        rows = m.StaffRole.objects.filter(staff_id__in=batch).values_list("pk", "staff_id", "school_id", "role",
                                                                         "is_active")
        for pk, stored_staff_id, stored_school_id, stored_role, active in rows:
            existing[(stored_staff_id, stored_school_id, stored_role)] = (pk, active)
    create: list[dict[str, Any]] = []
    activate: list[int] = []
    for staff_id, roles in wanted.items():
        for school_id, role in roles:
            found = existing.get((staff_id, school_id, role))
            if found is None:
                create.append({"staff_id": staff_id, "school_id": school_id, "role": role})
            elif not found[1]:
                activate.append(found[0])
            else:
                counts["unchanged"] += 1
    retire = [pk for (staff_id, school_id, role), (pk, active) in existing.items()
              if active and (school_id, role) not in wanted[staff_id]]
    insert_rows(m.StaffRole, create)
    for batch in chunks(activate):
        m.StaffRole.objects.filter(pk__in=batch).update(is_active=True)
    for batch in chunks(retire):
        m.StaffRole.objects.filter(pk__in=batch).update(is_active=False)
    counts["created"] += len(create)
    counts["updated"] += len(activate)
    counts["deactivated"] += len(retire)


def write_students(export: Export, district_id: int, students: list[UserRecord], schools: dict[str, int],
                   households: dict[str, int], report: ImportReport) -> Upserted:
    demo_fields = ["birth_date", "sex", "race_ethnicity", "english_learner", "has_iep", "has_504",
                   "free_reduced_meals"]
    incoming: dict[str, Incoming] = {}
    for person in students:
        values: dict[str, Any] = {
            "school_id": schools.get(person.primary_org_id) or _first_school(person, schools),
            "household_id": households.get(person.household_id), "identifier": person.identifier,
            "given_name": person.given_name, "family_name": person.family_name,
            "preferred_name": person.preferred_name, "grade": person.grades[0] if person.grades else "",
            "email": person.email,
        }
        if person.language:
            values["home_language"] = person.language
        incoming[person.sourced_id] = Incoming(values, person.active, person.modified)
    for sid, demo in export.demographics.items():
        values = {"birth_date": demo.birth_date, "sex": demo.sex, "race_ethnicity": demo.race_ethnicity}
        for flag in ("english_learner", "has_iep", "has_504", "free_reduced_meals"):
            if getattr(demo, flag) is not None:
                values[flag] = getattr(demo, flag)
        row = incoming.get(sid)
        if row is None:  # a delta demographics row for a student already stored
            incoming[sid] = Incoming(values, True, None)
        else:
            row.values.update(values)
    fields = ["school_id", "household_id", "identifier", "given_name", "family_name", "preferred_name", "grade",
              "email", "home_language", *demo_fields]
    return upsert(m.Student, district_id, incoming, fields, report, "students",
                  delta=export.mode("users") != "bulk", deactivate_missing=export.mode("users") == "bulk",
                  derive=("search_key", student_search_key))


def _first_school(person: UserRecord, schools: dict[str, int]) -> int | None:
    return next((schools[r.org_id] for r in person.roles if r.org_id in schools), None)


def write_guardians(export: Export, district_id: int, guardians: list[UserRecord], user_ids: dict[str, int],
                    households: dict[str, int], report: ImportReport, problems: Problems) -> Upserted:
    holders = _claimable_users(m.Guardian, district_id)
    now = timezone.now()
    incoming: dict[str, Incoming] = {}
    for person in guardians:
        values: dict[str, Any] = {
            "household_id": households.get(person.household_id), "given_name": person.given_name,
            "family_name": person.family_name, "email": person.email, "mobile_phone": person.mobile_phone,
            "home_phone": person.home_phone,
        }
        if person.language:
            values["language"] = person.language
        if person.sms_consent is not None:
            values["sms_consent"] = person.sms_consent
        _assign_user(person, values, user_ids, holders, district_id, export.name("users"), problems)
        incoming[person.sourced_id] = Incoming(values, person.active, person.modified)

    def merge(current: dict[str, Any] | None, values: dict[str, Any]) -> dict[str, Any]:
        values = dict(values)
        consent = values.pop("sms_consent", None)
        if consent is True and not (current and current["sms_consent_at"]):
            values["sms_consent_at"], values["sms_consent_source"] = now, SMS_CONSENT_SOURCE
        elif consent is False and current and current["sms_consent_at"]:
            values["sms_consent_at"], values["sms_consent_source"] = None, ""
        return values

    # work_phone is never in an export (families give it in the portal); it is read so the search key keeps it.
    fields = ["household_id", "given_name", "family_name", "email", "mobile_phone", "home_phone", "work_phone",
              "language", "user_id", "sms_consent_at", "sms_consent_source"]
    consented_before = set(m.Guardian.objects.filter(district_id=district_id, sms_consent_at__isnull=False)
                           .exclude(sourced_id="").values_list("sourced_id", flat=True))
    written = upsert(m.Guardian, district_id, incoming, fields, report, "guardians",
                     delta=export.mode("users") == "delta", deactivate_missing=export.mode("users") == "bulk",
                     merge=merge, derive=("search_key", guardian_search_key))
    _consent_ledger(guardians, written, consented_before, source=export.name("users"), now=now)
    return written


def _consent_ledger(guardians: list[UserRecord], written: Upserted, consented_before: set[str], *, source: str,
                    now: Any) -> None:
    """A consent to texts the SIS gives or withdraws is a row in the consent ledger, like any other change."""
    rows = []
    for person in guardians:
        before = person.sourced_id in consented_before
        if person.sms_consent is None or person.sms_consent == before or person.sourced_id not in written.ids:
            continue
        rows.append(m.ConsentChange(
            guardian_id=written.ids[person.sourced_id], channel=m.Channel.SMS, category="",
            state=m.ConsentState.GIVEN if person.sms_consent else m.ConsentState.NONE,
            previous=m.ConsentState.GIVEN if before else m.ConsentState.NONE,
            via=m.ConsentVia.SIS_IMPORT, detail=source[:120], at=now,
        ))
    m.ConsentChange.objects.bulk_create(rows, batch_size=BATCH)


LINK_FLAGS = ("relationship", "has_educational_rights", "lives_with", "may_receive_information",
              "is_emergency_contact", "is_primary", "custody_notes")


def write_links(export: Export, district_id: int, students: dict[str, int], guardians: dict[str, int],
                report: ImportReport) -> None:
    """Student ↔ guardian links from agentSourcedIds (either side) and relationships.csv."""
    counts = report.counts("student_guardians")
    role_of = {sid: u.role_names for sid, u in export.users.items()}
    wanted: dict[tuple[int, int], dict[str, Any]] = {}
    for user in export.users.values():
        if not user.active:
            continue
        for agent in user.agent_ids:
            if user.sourced_id in students and agent in guardians:
                pair, guardian_roles = (students[user.sourced_id], guardians[agent]), role_of.get(agent, set())
            elif user.sourced_id in guardians and agent in students:
                pair, guardian_roles = (students[agent], guardians[user.sourced_id]), user.role_names
            else:
                continue  # e.g. a student's teacher: not a family link
            role = next((GUARDIAN_RELATIONSHIP[r] for r in sorted(guardian_roles) if r in GUARDIAN_RELATIONSHIP),
                        m.Relationship.PARENT)
            wanted.setdefault(pair, {"relationship": role, "is_active": True, "_defaults": True})
    for link in export.relationships:
        pair = (students[link.student_id], guardians[link.guardian_id])
        wanted[pair] = {name: getattr(link, name) for name in LINK_FLAGS} | {"is_active": link.active}
    existing: dict[tuple[int, int], dict[str, Any]] = {}
    rows = m.StudentGuardian.objects.filter(student__district_id=district_id).values("pk", "student_id",
                                                                                    "guardian_id", "is_active",
                                                                                    *LINK_FLAGS)
    for row in rows.iterator(chunk_size=BATCH):
        existing[(row["student_id"], row["guardian_id"])] = row
    create: list[dict[str, Any]] = []
    update: list[m.StudentGuardian] = []
    for (student_id, guardian_id), values in wanted.items():
        defaults_only = values.pop("_defaults", False)
        found = existing.get((student_id, guardian_id))
        if found is None:
            if values["is_active"]:
                create.append({"student_id": student_id, "guardian_id": guardian_id, **values})
            continue
        # A link known only from agentSourcedIds keeps the flags staff may have set by hand.
        changes = {"is_active": values["is_active"]} if defaults_only else values
        if all(found[name] == value for name, value in changes.items()):
            counts["unchanged"] += 1
            continue
        counts["deactivated" if found["is_active"] and not values["is_active"] else "updated"] += 1
        update.append(m.StudentGuardian(pk=found["pk"], **{**{n: found[n] for n in LINK_FLAGS},
                                                          "is_active": found["is_active"], **changes}))
    retire: list[int] = []
    if export.mode("users") == "bulk":
        retire = [row["pk"] for pair, row in existing.items() if row["is_active"] and pair not in wanted]
    insert_rows(m.StudentGuardian, create)
    m.StudentGuardian.objects.bulk_update(update, [*LINK_FLAGS, "is_active"], batch_size=500)
    for batch in chunks(retire):
        m.StudentGuardian.objects.filter(pk__in=batch).update(is_active=False)
    counts["created"] += len(create)
    counts["deactivated"] += len(retire)


def write_caseloads(export: Export, district_id: int, staff: dict[str, int], students: dict[str, int],
                    report: ImportReport) -> None:
    if not export.mode("caseloads"):
        return
    counts = report.counts("caseloads")
    wanted = {(staff[c.staff_id], students[c.student_id]): {"start_date": c.start_date, "end_date": c.end_date,
                                                            "is_active": c.active}
              for c in export.caseloads}
    existing: dict[tuple[int, int], dict[str, Any]] = {}
    for row in m.Caseload.objects.filter(Q(staff__district_id=district_id)).values(
            "pk", "staff_id", "student_id", "start_date", "end_date", "is_active"):
        existing[(row["staff_id"], row["student_id"])] = dict(row)
    create: list[dict[str, Any]] = []
    update: list[m.Caseload] = []
    for (staff_id, student_id), values in wanted.items():
        found = existing.get((staff_id, student_id))
        if found is None:
            create.append({"staff_id": staff_id, "student_id": student_id, **values})
        elif all(found[name] == value for name, value in values.items()):
            counts["unchanged"] += 1
        else:
            counts["deactivated" if found["is_active"] and not values["is_active"] else "updated"] += 1
            update.append(m.Caseload(pk=found["pk"], staff_id=staff_id, student_id=student_id, **values))
    retire = []
    if export.mode("caseloads") == "bulk":
        retire = [row["pk"] for pair, row in existing.items() if row["is_active"] and pair not in wanted]
    insert_rows(m.Caseload, create)
    m.Caseload.objects.bulk_update(update, ["start_date", "end_date", "is_active"], batch_size=500)
    for batch in chunks(retire):
        m.Caseload.objects.filter(pk__in=batch).update(is_active=False)
    counts["created"] += len(create)
    counts["deactivated"] += len(retire)
