"""Imports never silently change data: a value too long for its field is a problem, not a cut; a language that is
not a language keeps the one on file, with a warning."""

from __future__ import annotations

from homeroom.core.models import User
from homeroom.roster import models as m
from homeroom.roster.importers import Problem, import_oneroster
from tests.roster.test_import_helpers import files_11, make_zip


def test_a_district_name_too_long_for_its_field_is_a_problem_not_a_cut(db):
    files = files_11()
    long_name = "Riverside " + "Public " * 30  # 220 characters; a school's name may be 255, a district's 200
    files["orgs.csv"] = files["orgs.csv"].replace("Riverside Public Schools", long_name.strip())

    report = import_oneroster(make_zip(files))

    assert Problem("orgs.csv", 2, "name", "This value is longer than 200 characters.") in report.errors
    assert not m.District.objects.exists()


def test_a_grade_too_long_for_its_field_is_a_problem_not_a_cut(db):
    files = files_11()
    files["users.csv"] = files["users.csv"].replace('"g-1,t-1",05,', '"g-1,t-1",Kindergarten,')

    report = import_oneroster(make_zip(files))

    assert Problem("users.csv", 5, "grades", "This value is longer than 8 characters.") in report.errors
    assert not m.Student.objects.filter(grade="Kinderga").exists()


def test_an_email_longer_than_a_username_signs_in_with_its_own_account(db):
    files = files_11()
    long_a, long_b = "a" * 150 + "1@family.example", "a" * 150 + "2@family.example"
    users = files["users.csv"].replace("ana@family.example", long_a).replace("rosa@family.example", long_b)
    files["users.csv"] = users

    report = import_oneroster(make_zip(files))

    assert report.ok, report.errors
    assert User.objects.get(email=long_a) != User.objects.get(email=long_b)


def test_an_invalid_language_keeps_the_language_on_file_with_a_warning(db):
    import_oneroster(make_zip(files_11()))
    files = files_11()
    files["users.csv"] = files["users.csv"].replace(",,,es,hh-1,,true", ",,,Spanish!,hh-1,,true")

    report = import_oneroster(make_zip(files))

    assert report.ok
    assert Problem("users.csv", 7, "metadata.language", "“Spanish!” is not a language tag such as es or pt-BR; the "
                   "language already on file was kept.") in report.warnings
    guardian = m.Guardian.objects.get(sourced_id="g-1")
    assert guardian.language == "es" and guardian.user.language == "es"
