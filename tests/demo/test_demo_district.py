"""The demo district: the generator's OneRoster files, `demo-setup` through the real importer, and `demo-logins`."""

from __future__ import annotations

import csv
import filecmp
import io
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import phonenumbers
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from homeroom.attendance.models import AttendanceRecord, PresentDays, StudentAttendance
from homeroom.core.models import User
from homeroom.demo import generate_district
from homeroom.demo.attendance import write_attendance
from homeroom.demo.columns import headers
from homeroom.demo.generator import default_school_year
from homeroom.demo.households import DEMO_LANGUAGES
from homeroom.demo.layout import plan_schools
from homeroom.demo.logins import DEMO_PASSWORD, select_demo_logins
from homeroom.demo.setup import demo_setup
from homeroom.roster import models as r

GUARDIAN_ROLES = {"parent", "guardian", "relative"}


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _header(folder: Path, name: str) -> list[str]:
    with (folder / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


@pytest.fixture(scope="module")
def district_11(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo11")
    generate_district(folder, students=1500, seed=7, version="1.1", school_year=2026)
    return folder


@pytest.fixture(scope="module")
def district_12(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo12")
    generate_district(folder, students=300, seed=7, version="1.2", school_year=2026)
    return folder


@pytest.fixture(scope="module")
def users_11(district_11) -> list[dict[str, str]]:
    return _rows(district_11, "users")


def _guardians(users):
    return [u for u in users if u["role"] in GUARDIAN_ROLES]


# --- files and headers ------------------------------------------------------------------------------
@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_every_file_has_the_contract_header_for_its_version(version, tmp_path):
    generate_district(tmp_path, students=40, seed=1, version=version, school_year=2026)
    for name, columns in headers(version).items():
        assert _header(tmp_path, name) == columns, name


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_manifest_names_the_version_and_every_file_written(version, tmp_path):
    generate_district(tmp_path, students=40, seed=1, version=version, school_year=2026)
    manifest = {row["propertyName"]: row["value"] for row in _rows(tmp_path, "manifest")}
    assert manifest["oneroster.version"] == version
    written = {path.stem for path in tmp_path.glob("*.csv")} - {"manifest"}
    assert {key.removeprefix("file.") for key, value in manifest.items() if value == "bulk"} == written


def test_users_of_1_1_carry_their_role_on_the_row(users_11):
    assert {u["role"] for u in users_11} >= {"student", "teacher", "administrator", "parent", "guardian", "relative"}


def test_users_of_1_2_get_their_roles_from_roles_csv(district_12):
    users = _rows(district_12, "users")
    roles = _rows(district_12, "roles")
    assert "role" not in _header(district_12, "users")
    assert {row["sourcedId"] for row in users} == {row["userSourcedId"] for row in roles}
    assert {row["role"] for row in roles} >= {"student", "teacher", "districtAdministrator", "principal", "parent"}


def test_a_1_2_district_has_exactly_one_primary_role_per_user(district_12):
    primaries = Counter(row["userSourcedId"] for row in _rows(district_12, "roles") if row["roleType"] == "primary")
    assert set(primaries.values()) == {1}


def test_a_second_run_into_the_same_folder_replaces_files_of_the_other_version(tmp_path):
    generate_district(tmp_path, students=20, seed=1, version="1.2", school_year=2026)
    generate_district(tmp_path, students=20, seed=1, version="1.1", school_year=2026)
    assert not (tmp_path / "roles.csv").exists()


# --- determinism --------------------------------------------------------------------------------------
def test_the_same_seed_writes_identical_files(tmp_path):
    generate_district(tmp_path / "a", students=200, seed=3, school_year=2026)
    generate_district(tmp_path / "b", students=200, seed=3, school_year=2026)
    names = sorted(path.name for path in (tmp_path / "a").glob("*.csv"))
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert len(match) == len(names)


def test_another_seed_writes_other_people(tmp_path):
    generate_district(tmp_path / "a", students=200, seed=3, school_year=2026)
    generate_district(tmp_path / "b", students=200, seed=4, school_year=2026)
    assert (tmp_path / "a" / "users.csv").read_bytes() != (tmp_path / "b" / "users.csv").read_bytes()


def test_the_district_has_exactly_the_students_asked_for(users_11):
    assert sum(u["role"] == "student" for u in users_11) == 1500


# --- families -----------------------------------------------------------------------------------------
def test_every_listed_home_language_is_spoken_even_in_a_small_district(tmp_path):
    generate_district(tmp_path, students=60, seed=11, school_year=2026)
    users = _rows(tmp_path, "users")
    assert {u["metadata.language"] for u in users if u["role"] == "student"} >= set(DEMO_LANGUAGES)
    assert {u["metadata.language"] for u in _guardians(users)} >= set(DEMO_LANGUAGES)


def test_english_is_the_majority_and_spanish_the_largest_other_language(users_11):
    languages = Counter(u["metadata.language"] for u in users_11 if u["role"] == "student")
    (first, _), (second, _) = languages.most_common(2)
    assert (first, second) == ("en", "es")
    assert languages["en"] > sum(languages.values()) / 2


def test_guardian_links_come_from_both_the_students_and_the_guardians_rows(users_11):
    students = [u for u in users_11 if u["role"] == "student"]
    assert any(u["agentSourcedIds"] for u in students)
    assert any(u["agentSourcedIds"] for u in _guardians(users_11))


def test_every_link_names_a_written_user(district_11, users_11):
    ids = {u["sourcedId"] for u in users_11}
    agents = {agent for u in users_11 for agent in u["agentSourcedIds"].split(",") if agent}
    related = {row[column] for row in _rows(district_11, "relationships")
               for column in ("userSourcedId", "relationshipUserSourcedId")}
    assert agents | related <= ids


def test_some_guardians_have_no_educational_rights_and_a_custody_note(district_11):
    relationships = _rows(district_11, "relationships")
    parents_without_rights = [row for row in relationships if row["hasEducationalRights"] == "false"
                              and row["relationshipRole"] in {"mother", "father"}]
    assert parents_without_rights
    assert all(row["custodyNotes"] and row["livesWith"] == "false" for row in parents_without_rights)


def test_some_guardians_with_rights_may_not_receive_information(district_11):
    relationships = _rows(district_11, "relationships")
    assert any(row["hasEducationalRights"] == "true" and row["mayReceiveInformation"] == "false"
               for row in relationships)


def test_households_of_every_kind_appear(district_11):
    roles = {row["relationshipRole"] for row in _rows(district_11, "relationships")}
    assert roles >= {"mother", "father", "grandparent", "foster_parent", "stepparent", "relative"}


def test_some_guardians_have_no_phone_and_some_no_email(users_11):
    guardians = _guardians(users_11)
    assert any(not g["sms"] and not g["phone"] for g in guardians)
    assert any(not g["email"] for g in guardians)
    assert any(g["email"] and g["sms"] for g in guardians)


def test_every_phone_number_is_a_valid_fictional_us_number(users_11):
    numbers = [n for u in users_11 for n in (u["sms"], u["phone"]) if n]
    for number in numbers:
        parsed = phonenumbers.parse(number, "US")
        assert phonenumbers.is_valid_number(parsed), number
        assert str(parsed.national_number)[3:6] == "555", number


def test_email_addresses_are_unique_and_on_reserved_domains(users_11):
    emails = [u["email"] for u in users_11 if u["email"]]
    assert len(emails) == len(set(emails))
    assert all(re.search(r"@([\w.-]+\.)?(example\.(com|net|org)|[\w-]+\.example)$", e) for e in emails)


def test_siblings_go_to_different_schools(users_11):
    schools_by_household: dict[str, set[str]] = {}
    for u in users_11:
        if u["role"] == "student":
            schools_by_household.setdefault(u["metadata.householdSourcedId"], set()).add(u["orgSourcedIds"])
    assert any(len(schools) > 1 for schools in schools_by_household.values())


def test_polish_surnames_take_the_feminine_form_for_girls(district_11, users_11):
    sex = {d["sourcedId"]: d["sex"] for d in _rows(district_11, "demographics")}
    polish = [u for u in users_11 if u["role"] == "student" and u["metadata.language"] == "pl"]
    girls = [u["familyName"] for u in polish if sex[u["sourcedId"]] == "female"]
    boys = [u["familyName"] for u in polish if sex[u["sourcedId"]] == "male"]
    assert not any(name.endswith(("ski", "cki")) for name in girls)
    assert not any(name.endswith(("ska", "cka")) for name in boys)
    assert any(name.endswith(("ska", "cka", "ski", "cki")) for name in girls + boys)


# --- student needs --------------------------------------------------------------------------------------
def _share(rows, column):
    return sum(row[column] == "true" for row in rows) / len(rows)


def _students(rows):
    """demographics.csv rows of students (staff have rows too, with their sex only)."""
    return [row for row in rows if row["sourcedId"].startswith("stu-")]


def test_programme_rates_are_near_connecticut_figures(district_11):
    demographics = _students(_rows(district_11, "demographics"))
    assert 0.11 < _share(demographics, "metadata.iep") < 0.19
    assert 0.015 < _share(demographics, "metadata.section504") < 0.05
    assert 0.32 < _share(demographics, "metadata.freeReducedMeals") < 0.48
    assert 0.22 < _share(demographics, "hispanicOrLatinoEthnicity") < 0.38


def test_english_learners_are_concentrated_among_other_home_languages(district_11, users_11):
    language = {u["sourcedId"]: u["metadata.language"] for u in users_11 if u["role"] == "student"}
    demographics = _students(_rows(district_11, "demographics"))
    english = [d for d in demographics if language[d["sourcedId"]] == "en"]
    other = [d for d in demographics if language[d["sourcedId"]] != "en"]
    assert _share(other, "metadata.englishLearner") > 10 * _share(english, "metadata.englishLearner")


def test_bigger_districts_have_more_schools_at_each_level():
    small, large = Counter(s.level for s in plan_schools(600)), Counter(s.level for s in plan_schools(30000))
    assert small == {"elementary": 1, "middle": 1, "high": 1}
    assert large["elementary"] > large["middle"] > 1 and large["high"] > 1


# --- the command ---------------------------------------------------------------------------------------
def test_demo_district_command_writes_the_files_of_the_version_asked(tmp_path):
    out = io.StringIO()
    call_command("demo-district", "--students", "30", "--out", str(tmp_path), "--version", "1.2", stdout=out)
    assert (tmp_path / "roles.csv").exists()
    assert "30 students" in out.getvalue()


# --- demo-setup through the importer --------------------------------------------------------------------
# The attendance is loaded as on November 20 of the roster's school year: the same school days whenever this runs.
ATTENDANCE_TODAY = date(default_school_year(), 11, 20)


@pytest.fixture
def loaded(db, tmp_path):
    return demo_setup(students=60, folder=tmp_path / "demo", set_passwords=True, today=ATTENDANCE_TODAY)


def test_demo_setup_imports_the_generated_roster(loaded):
    summary = loaded.summary
    district = r.District.objects.get()
    assert district.slug == "demo"
    assert r.Student.objects.filter(district=district, is_active=True).count() == 60
    assert r.Guardian.objects.count() == summary.guardians
    assert r.Staff.objects.count() == summary.staff
    assert r.School.objects.count() == summary.schools
    assert r.Section.objects.count() == summary.sections
    assert r.Enrollment.objects.count() == summary.enrollments
    assert r.Result.objects.count() == summary.results
    # Staff demographics give each staff member's sex, so their titles agree ("maestra", "director").
    assert set(r.Staff.objects.values_list("sex", flat=True)) == {"female", "male"}


def test_demo_setup_imports_this_school_years_attendance_through_the_importer(loaded):
    first = date(ATTENDANCE_TODAY.year, 8, 27)
    weekdays = sum((first + timedelta(days=n)).weekday() < 5 for n in range((ATTENDANCE_TODAY - first).days))
    attendance = loaded.attendance
    assert (attendance.rows, attendance.students) == (60 * weekdays, 60)
    # Every day is stored: an attendance row, or a present day's "1".
    present = sum(text.count("1") for text in PresentDays.objects.values_list("days", flat=True))
    assert AttendanceRecord.objects.count() + present == attendance.rows
    years = StudentAttendance.objects.filter(is_current=True)
    assert years.count() == 60
    assert 0 < attendance.chronic == years.filter(chronic=True).count() < 60
    # Families have sent notes for some absences, and some are still awaited.
    assert AttendanceRecord.objects.filter(status="absent_full", documentation_received_on__isnull=False).exists()
    assert sum(years.values_list("missing_documentation", flat=True)) > 0


def test_demo_attendance_is_the_same_each_time_and_grows_with_the_year(loaded, tmp_path):
    district = r.District.objects.get()
    earlier, again, later = tmp_path / "earlier.csv", tmp_path / "again.csv", tmp_path / "later.csv"
    assert write_attendance(earlier, district=district, today=ATTENDANCE_TODAY) == (loaded.attendance.rows, 60)
    write_attendance(again, district=district, today=ATTENDANCE_TODAY)
    assert filecmp.cmp(earlier, again, shallow=False)
    rows, _students = write_attendance(later, district=district, today=ATTENDANCE_TODAY + timedelta(days=7))
    assert rows == loaded.attendance.rows + 60 * 5


def test_demo_setup_keeps_custody_flags_from_relationships(loaded):
    assert r.StudentGuardian.objects.filter(has_educational_rights=False, custody_notes__gt="").exists()
    assert r.Caseload.objects.exists()


def test_second_demo_setup_changes_nothing(loaded, tmp_path):
    before = (r.Student.objects.count(), r.Guardian.objects.count(), r.ImportRun.objects.count(),
              User.objects.count(), r.Staff.objects.order_by("pk").values_list("updated_at", flat=True)[0])
    out = io.StringIO()
    call_command("demo-setup", "--students", "80", "--folder", str(tmp_path / "again"), stdout=out)
    after = (r.Student.objects.count(), r.Guardian.objects.count(), r.ImportRun.objects.count(),
             User.objects.count(), r.Staff.objects.order_by("pk").values_list("updated_at", flat=True)[0])
    assert after == before
    assert "Re-running keeps the data" in out.getvalue()
    assert not (tmp_path / "again").exists()


def test_demo_passwords_go_to_the_chosen_staff_only(loaded):
    chosen = {login.user_id for login in loaded.passwords_set}
    assert len(chosen) == 6
    for user in User.objects.filter(pk__in=chosen):
        assert user.check_password(DEMO_PASSWORD)
    others = User.objects.exclude(pk__in=chosen)
    assert not any(user.check_password(DEMO_PASSWORD) for user in others[:50])


def test_without_debug_or_flag_no_demo_password_is_set(db, tmp_path, settings):
    settings.DEBUG = False
    call_command("demo-setup", "--students", "30", "--folder", str(tmp_path), stdout=io.StringIO())
    staff_users = User.objects.filter(staff__isnull=False)
    assert staff_users.exists()
    assert not any(user.check_password(DEMO_PASSWORD) for user in staff_users)


def test_demo_passwords_flag_sets_them_without_debug(db, tmp_path, settings):
    settings.DEBUG = False
    call_command("demo-setup", "--students", "30", "--folder", str(tmp_path), "--demo-passwords",
                 stdout=io.StringIO())
    assert sum(user.check_password(DEMO_PASSWORD) for user in User.objects.filter(staff__isnull=False)) == 6


# --- demo-logins ---------------------------------------------------------------------------------------
def _login(key):
    return next(login for login in select_demo_logins() if login.key == key)


def test_demo_cast_has_one_person_per_role(loaded):
    keys = [login.key for login in select_demo_logins()]
    assert keys == ["district_admin", "principal", "teacher", "case_manager", "social_worker", "school_staff",
                    "guardian_es", "guardian_en"]


def test_demo_teacher_teaches_students(loaded):
    staff = r.Staff.objects.get(user_id=_login("teacher").user_id)
    assert r.Enrollment.objects.filter(section__enrollments__staff=staff, role="student").exists()


def test_demo_case_manager_has_a_caseload(loaded):
    assert r.Caseload.objects.filter(staff__user_id=_login("case_manager").user_id, is_active=True).exists()


@pytest.mark.parametrize(("key", "language"), [("guardian_es", "es"), ("guardian_en", "en")])
def test_demo_guardian_speaks_the_language_and_has_a_child_with_rights(loaded, key, language):
    guardian = r.Guardian.objects.get(user_id=_login(key).user_id)
    assert guardian.language == language
    assert r.StudentGuardian.objects.filter(guardian=guardian, has_educational_rights=True,
                                            may_receive_information=True).exists()


@pytest.mark.parametrize("key", ["teacher", "social_worker", "school_staff"])
def test_demo_staff_sign_in_with_the_demo_password(loaded, key):
    response = Client().post(reverse("account_login"), {"login": _login(key).email, "password": DEMO_PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(("key", "role"), [("social_worker", "social_worker"), ("school_staff", "staff")])
def test_demo_social_worker_and_school_staff_work_at_the_demo_family_school(loaded, key, role):
    guardian = r.Guardian.objects.get(user_id=_login("guardian_es").user_id)
    schools = r.Student.objects.filter(guardian_links__guardian=guardian).values("school_id")
    assert r.StaffRole.objects.filter(staff__user_id=_login(key).user_id, role=role, school_id__in=schools).exists()


def test_demo_logins_prints_the_address_from_host_and_port(loaded, monkeypatch):
    monkeypatch.setenv("HOST", "0.0.0.0")  # noqa: S104 - shown as 127.0.0.1
    monkeypatch.setenv("PORT", "8123")
    out = io.StringIO()
    call_command("demo-logins", stdout=out)
    assert "http://127.0.0.1:8123/" in out.getvalue()


def test_demo_logins_tells_staff_the_password_and_families_where_the_code_is(loaded):
    out = io.StringIO()
    call_command("demo-logins", stdout=out)
    text = out.getvalue()
    assert text.count(f"password: {DEMO_PASSWORD}") == 6
    assert "Social worker" in text and "School staff" in text
    assert text.count("one-time code") == 2
    assert _login("guardian_es").email in text


def test_demo_logins_without_a_district_says_to_run_demo_setup(db):
    out = io.StringIO()
    call_command("demo-logins", stdout=out)
    assert "demo-setup" in out.getvalue()


def test_demo_teacher_teaches_a_child_of_the_spanish_speaking_demo_family(loaded):
    guardian = r.Guardian.objects.get(user_id=_login("guardian_es").user_id)
    children = r.Student.objects.filter(guardian_links__guardian=guardian)
    assert r.Enrollment.objects.filter(section__enrollments__staff__user_id=_login("teacher").user_id,
                                       student__in=children).exists()


def test_demo_guardian_is_sent_a_sign_in_code(loaded, mailoutbox):
    email = _login("guardian_es").email
    response = Client().post(reverse("account_request_login_code"), {"login": email})
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [[email]]
