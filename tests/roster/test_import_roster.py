"""Importing generated OneRoster 1.1 and 1.2 exports: what lands where, and what bulk and delta files do."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from homeroom.core.models import Role
from homeroom.roster import models as m
from homeroom.roster.importers import import_oneroster
from tests.roster.test_import_helpers import (
    ENROLLMENTS,
    USERS_11,
    files_11,
    files_12,
    make_zip,
    replace_line,
)

pytestmark = pytest.mark.django_db
SLUG = "riverside-public-schools"


@pytest.fixture(params=["1.1", "1.2"])
def imported(request):
    files = files_11() if request.param == "1.1" else files_12()
    report = import_oneroster(make_zip(files, version=request.param))
    assert report.ok, [str(p) for p in report.errors]
    return report


def link(student: str, guardian: str) -> m.StudentGuardian:
    return m.StudentGuardian.objects.get(student__sourced_id=student, guardian__sourced_id=guardian)


def test_district_is_created_from_the_district_org(imported):
    district = m.District.objects.get()
    assert (district.slug, district.sourced_id) == ("riverside-public-schools", "dst-1")


def test_guardian_named_on_the_students_row_is_linked(imported):
    assert link("stu-1", "g-1").is_active


def test_guardian_naming_the_student_on_their_own_row_is_linked(imported):
    assert link("stu-2", "g-2").relationship == m.Relationship.GUARDIAN


def test_a_students_teacher_in_agent_sourced_ids_is_not_a_family_link(imported):
    assert not m.StudentGuardian.objects.filter(guardian__sourced_id="t-1").exists()


def test_relationships_file_sets_the_flags(imported):
    ana = link("stu-1", "g-1")
    assert (ana.relationship, ana.is_emergency_contact, ana.is_primary) == ("mother", True, True)
    restricted = link("stu-2", "g-1")
    assert not restricted.has_educational_rights and not restricted.may_receive_information
    assert restricted.custody_notes == "No contact, per court order"


def test_demographics_fill_the_students_restricted_fields(imported):
    sofia = m.Student.objects.get(sourced_id="stu-1")
    assert sofia.birth_date == date(2014, 3, 9)
    assert sofia.race_ethnicity == ["white", "hispanicOrLatinoEthnicity"]
    assert (sofia.english_learner, sofia.has_iep, sofia.free_reduced_meals) == (True, False, True)
    assert m.Student.objects.get(sourced_id="stu-2").has_iep


def test_students_get_school_household_grade_and_home_language(imported):
    sofia = m.Student.objects.get(sourced_id="stu-1")
    assert (sofia.school.sourced_id, sofia.household.sourced_id, sofia.grade, sofia.home_language) == (
        "sch-1", "hh-1", "05", "es")


def test_guardian_gets_language_phones_consent_and_a_passwordless_account(imported):
    ana = m.Guardian.objects.get(sourced_id="g-1")
    assert (ana.language, ana.mobile_phone, ana.home_phone) == ("es", "+12035550142", "+12035550143")
    assert ana.sms_consent_at is not None and ana.sms_consent_source == "sis-import"
    assert ana.user.language == "es" and not ana.user.has_usable_password()


def test_staff_get_accounts_and_roles_mapped_from_oneroster(imported):
    roles = {(r.staff.sourced_id, r.role, r.school.sourced_id if r.school else None)
             for r in m.StaffRole.objects.select_related("staff", "school")}
    assert roles == {("t-1", Role.TEACHER, "sch-1"), ("adm-1", Role.DISTRICT_ADMIN, None),
                     ("cm-1", Role.CASE_MANAGER, "sch-1")}
    assert m.Staff.objects.get(sourced_id="t-1").user.email == "rivera@riverside.example"


def test_caseloads_link_the_case_manager_and_student(imported):
    assert m.Caseload.objects.filter(staff__sourced_id="cm-1", student__sourced_id="stu-2", is_active=True).exists()


def test_classes_take_their_course_title_and_terms(imported):
    section = m.Section.objects.get(sourced_id="cls-1")
    assert (section.course_title, section.term_sourced_ids, section.subjects) == (
        "Grade 5 Homeroom", ["term-1"], ["Math", "Reading"])
    assert section.enrollments.filter(role="student").count() == 2


def test_grades_import_categories_line_items_and_results(imported):
    item = m.LineItem.objects.get(sourced_id="li-1")
    assert (item.category.title, item.result_value_max, item.section.sourced_id) == ("Homework", 100, "cls-1")
    result = m.Result.objects.get(sourced_id="res-1")
    assert (result.score, result.score_status, result.comment) == (Decimal("93.5"), "fully graded", "Great work")


def test_reimporting_the_same_files_changes_nothing():
    import_oneroster(make_zip(files_11()))
    report = import_oneroster(make_zip(files_11()))
    assert report.unchanged
    assert all(c["created"] == c["updated"] == c["deactivated"] == 0 for c in report.summary.values())
    assert m.ImportRun.objects.get(pk=report.import_run_id).status == m.ImportRun.Status.UNCHANGED


def test_bulk_file_deactivates_records_it_no_longer_lists_without_deleting_them():
    import_oneroster(make_zip(files_11()))
    files = files_11()
    files["users.csv"] = replace_line(USERS_11, "stu-2,", None).replace(",stu-2,,,pt-BR", ",,,,pt-BR")
    files["demographics.csv"] = replace_line(files["demographics.csv"], "stu-2,", None)
    files["enrollments.csv"] = replace_line(ENROLLMENTS, "e-s2,", None)
    files["caseloads.csv"] = "staffSourcedId,studentSourcedId,beginDate,endDate\n"
    files["relationships.csv"] = "userSourcedId,relationshipUserSourcedId\n"
    files["results.csv"] = replace_line(files["results.csv"], "res-2,", None)
    report = import_oneroster(make_zip(files))
    assert report.ok, [str(p) for p in report.errors]
    mateo = m.Student.objects.get(sourced_id="stu-2")
    assert not mateo.is_active
    assert report.summary["students"]["deactivated"] == 1
    assert not m.Enrollment.objects.get(sourced_id="e-s2").is_active


def test_bulk_deactivation_is_limited_to_files_marked_bulk():
    import_oneroster(make_zip(files_11()))
    import_oneroster(make_zip({"orgs.csv": files_11()["orgs.csv"]}))
    assert m.Student.objects.filter(is_active=True).count() == 2


def test_delta_tobedeleted_deactivates_the_record():
    import_oneroster(make_zip(files_11()))
    delta = ENROLLMENTS.splitlines()[0] + "\ne-s2,tobedeleted,2024-09-01T00:00:00Z,cls-1,sch-1,stu-2,student,false,,\n"
    report = import_oneroster(make_zip({"enrollments.csv": delta}, mode="delta"), district_slug=SLUG)
    assert report.summary["enrollments"]["deactivated"] == 1
    assert not m.Enrollment.objects.get(sourced_id="e-s2").is_active
    assert m.Enrollment.objects.get(sourced_id="e-s1").is_active


def test_delta_row_older_than_the_stored_one_is_ignored():
    import_oneroster(make_zip(files_11()))
    header = USERS_11.splitlines()[0]
    older = header + "\nstu-1,active,2024-07-01T00:00:00Z,true,sch-1,student,s,,Sofia,Renamed,,100001,,,,,05,,,,,\n"
    report = import_oneroster(make_zip({"users.csv": older}, mode="delta"), district_slug=SLUG)
    assert report.ok and report.stale == 1
    assert m.Student.objects.get(sourced_id="stu-1").family_name == "Garcia"


def test_delta_row_newer_than_the_stored_one_is_applied():
    import_oneroster(make_zip(files_11()))
    header = USERS_11.splitlines()[0]
    newer = header + "\nstu-1,active,2024-10-01T00:00:00Z,true,sch-1,student,s,,Sofia,Renamed,,100001,,,,,05,,,,,\n"
    import_oneroster(make_zip({"users.csv": newer}, mode="delta"), district_slug=SLUG)
    assert m.Student.objects.get(sourced_id="stu-1").family_name == "Renamed"


def test_dry_run_reports_changes_but_writes_nothing():
    report = import_oneroster(make_zip(files_11()), dry_run=True)
    assert report.summary["students"]["created"] == 2
    assert not m.Student.objects.exists() and not m.ImportRun.objects.exists()


def test_bom_crlf_and_quoted_multi_values_are_read():
    files = files_11()
    users = files.pop("users.csv").replace("\n", "\r\n").encode("utf-8-sig")
    report = import_oneroster(make_zip(files, raw={"users.csv": users}))
    assert report.ok, [str(p) for p in report.errors]
    assert link("stu-1", "g-1").is_active  # "g-1,t-1" was one quoted cell


def test_extension_and_unknown_columns_are_tolerated():
    files = files_11()
    files["orgs.csv"] = files["orgs.csv"].replace("parentSourcedId\n", "parentSourcedId,metadata.region,vendorX\n")
    report = import_oneroster(make_zip(files))
    assert report.ok
    assert any(p.column == "vendorX" for p in report.warnings)
