"""The two third-party OneRoster samples, used as they are."""

from __future__ import annotations

import pytest

from homeroom.roster import models as m
from homeroom.roster.importers import Problem, import_oneroster
from tests.roster.test_import_helpers import SAMPLES

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"OneRoster samples not found at {SAMPLES}"),
]
V11 = SAMPLES / "Test_full_data_set.zip"
V12 = SAMPLES / "v1p2_full_dataset.zip"


def test_the_1_1_sample_imports():
    report = import_oneroster(V11)
    assert report.ok, [str(p) for p in report.errors]
    assert m.Student.objects.count() == 3
    assert m.Staff.objects.count() == 2
    assert m.Guardian.objects.count() == 1


def test_the_1_1_sample_links_the_parent_from_the_parents_own_row():
    import_oneroster(V11)
    link = m.StudentGuardian.objects.get()
    assert (link.guardian.sourced_id, link.student.sourced_id) == ("usr-222-1234561", "usr-222-66778899")


def test_the_1_1_sample_department_whose_parent_is_missing_becomes_a_school():
    import_oneroster(V11)
    school = m.School.objects.get(sourced_id="org-sch-222-456")
    assert (school.org_type, school.parent_sourced_id) == ("department", "org-sch-222-3456")


def test_the_1_1_sample_teacher_enrolled_as_a_student_is_skipped_with_a_warning():
    report = import_oneroster(V11)
    assert Problem("enrollments.csv", 3, "role", "usr-222-987654 is enrolled as a student but is not a student; "
                   "this enrollment was skipped.") in report.warnings
    assert not m.Enrollment.objects.filter(sourced_id="enr-s-222-12345-987654").exists()


def test_the_1_1_sample_inactive_and_tobedeleted_rows_are_kept_inactive():
    import_oneroster(V11)
    assert not m.AcademicSession.objects.get(sourced_id="as-grp-222-2345").is_active
    assert not m.Section.objects.get(sourced_id="cls-222-123478").is_active


def test_the_1_1_sample_bad_phone_number_is_a_warning_and_left_blank():
    report = import_oneroster(V11)
    assert any(p.row == 6 and p.column == "sms" for p in report.warnings)


def test_the_1_1_sample_gives_staff_and_the_parent_sign_in_accounts_without_passwords():
    import_oneroster(V11)
    guardian = m.Guardian.objects.get()
    assert guardian.user.email == "thomas.jones@testemail.com"
    assert not guardian.user.has_usable_password()
    assert m.Staff.objects.filter(user__isnull=False).count() == 2


def test_importing_the_1_1_sample_twice_changes_nothing():
    import_oneroster(V11)
    report = import_oneroster(V11)
    assert report.unchanged
    assert m.ImportRun.objects.get(pk=report.import_run_id).status == m.ImportRun.Status.UNCHANGED


@pytest.mark.parametrize("problem", [
    Problem("roles.csv", 1, "dataLastModified", "This column is not part of OneRoster; did you mean dateLastModified?"),
    Problem("roles.csv", 1, "column 10", "This column has no name. Name it or delete it."),
    Problem("roles.csv", 1, "column 11", "This column has no name. Name it or delete it."),
    Problem("users.csv", 2, "dateLastModified", "“1/05/2023” is not an ISO 8601 date-time such as "
            "2024-08-30T14:05:00Z (or a date, YYYY-MM-DD)."),
    Problem("users.csv", 7, "dateLastModified", "“15/06/2023” is not an ISO 8601 date-time such as "
            "2024-08-30T14:05:00Z (or a date, YYYY-MM-DD)."),
])
def test_the_1_2_sample_is_rejected_naming_file_row_and_column(problem):
    report = import_oneroster(V12)
    assert problem in report.errors


def test_the_1_2_sample_writes_nothing_but_a_rejected_import_run():
    report = import_oneroster(V12)
    assert not report.ok
    assert not m.District.objects.exists()
    assert not m.School.objects.exists() and not m.Student.objects.exists() and not m.Staff.objects.exists()
    run = m.ImportRun.objects.get()
    assert run.status == m.ImportRun.Status.REJECTED
    assert len(run.errors) == len(report.errors)
