"""Staff search finds people by name without minding accents or case, by a phone number in any format, by a
student number and by an email address; in the user's scope only; the same on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeroom.roster import models as m
from homeroom.roster.importers import import_oneroster
from homeroom.roster.search_keys import fold, guardian_search_key
from tests import factories as f
from tests.roster.test_import_helpers import USERS_11, files_11, make_zip

URL = reverse("roster:search")


@pytest.fixture
def people(world):
    """A family in the teacher's class whose names carry accents, with a phone, an email and a student number.

    The phone and the number lie outside the factories' sequences (+1475555nnnn, 100000 + n), so no other family
    in the world can match them, however many tests ran before in this process.
    """
    student = f.StudentFactory(district=world.district, school=world.lincoln, given_name="José",
                               family_name="Núñez Peña", identifier="7731942", email="jose.nunez@student.example")
    f.EnrollmentFactory(section=world.section_5a, student=student, district=world.district)
    guardian = f.GuardianFactory(district=world.district, given_name="María", family_name="Núñez",
                                 email="Maria.Nunez@Familia.example", mobile_phone="+18604270199", home_phone="")
    f.StudentGuardianFactory(student=student, guardian=guardian, relationship="mother")
    return student, guardian


def found(client, query: str) -> tuple[list[int], list[int]]:
    results = client.post(URL, {"q": query}).context["results"]
    return [s.pk for s in results.students], [g.pk for g in results.guardians]


@pytest.mark.parametrize("query", ["jose", "JOSÉ", "Jose nunez", "núñez pe", "PENA"])
def test_names_match_without_minding_accents_or_case(world, client_for, people, query):
    student, _ = people
    assert student.pk in found(client_for("teacher"), query)[0]


@pytest.mark.parametrize("query", ["maria", "MARÍA NÚÑEZ", "Nunez Mar"])
def test_family_members_match_without_minding_accents_or_case(world, client_for, people, query):
    _, guardian = people
    assert found(client_for("teacher"), query)[1] == [guardian.pk]


@pytest.mark.parametrize("query", ["(860) 427-0199", "860-427-0199", "860.427.0199", "+1 860 427 0199",
                                   "8604270199", "1-860-427-0199", "011 1 860 427 0199", "427-0199"])
def test_a_phone_number_matches_in_any_format(world, client_for, people, query):
    _, guardian = people
    assert found(client_for("teacher"), query) == ([], [guardian.pk])


def test_a_student_number_matches(world, client_for, people):
    student, _ = people
    assert found(client_for("teacher"), "7731942") == ([student.pk], [])


@pytest.mark.parametrize("query", ["maria.nunez@familia.example", "Maria.Nunez@FAMILIA.example", "nunez@familia"])
def test_an_email_address_matches_whole_or_in_part(world, client_for, people, query):
    _, guardian = people
    assert found(client_for("teacher"), query) == ([], [guardian.pk])


def test_a_students_email_matches(world, client_for, people):
    student, _ = people
    assert found(client_for("teacher"), "jose.nunez@student.example") == ([student.pk], [])


def test_a_word_matches_the_start_of_a_word_not_its_middle(world, client_for, people):
    assert found(client_for("teacher"), "unez") == ([], [])


def test_a_teacher_finds_only_their_own_students_families(world, client_for):
    other = f.GuardianFactory(district=world.district, given_name="Zoë", family_name="Walsh",
                              mobile_phone="+18604270777", email="zoe@walsh.example")
    f.StudentGuardianFactory(student=world.liam, guardian=other, relationship="mother")
    teacher = client_for("teacher")
    for query in ("zoe", "860 427 0777", "zoe@walsh.example", world.liam.identifier):
        assert found(teacher, query) == ([], []), query
    assert found(client_for("principal"), "zoe") == ([], [])  # Lincoln's principal; Liam is at Washington
    assert found(client_for("other_teacher"), "zoe")[1] == [other.pk]  # Liam's teacher
    admin = client_for("admin")
    assert found(admin, "Zoe Walsh")[1] == [other.pk]
    assert found(admin, "860 427 0777")[1] == [other.pk]


def test_the_search_key_follows_a_change_saved_to_some_fields(world, people):
    _, guardian = people
    guardian.mobile_phone = "+12035550100"
    guardian.save(update_fields=["mobile_phone"])
    guardian.refresh_from_db()
    assert " 12035550100" in guardian.search_key and "18604270199" not in guardian.search_key


def test_folding_strips_accents_and_case():
    assert fold("JOSÉ Ñandú Łódź Straße") == "jose nandu łodz strasse"
    assert guardian_search_key({"given_name": "Ana", "family_name": "García", "mobile_phone": "+12035550142"}) == \
        " ana garcia 12035550142"


@pytest.mark.django_db
def test_the_importer_writes_the_search_key_in_its_bulk_upsert():
    report = import_oneroster(make_zip(files_11()))
    assert report.ok
    ana = m.Guardian.objects.get(sourced_id="g-1")
    assert ana.search_key == " ana garcia ana@family.example 12035550142 12035550143"
    assert m.Student.objects.get(sourced_id="stu-1").search_key == " sofia garcia 100001"


@pytest.mark.django_db
def test_a_renaming_delta_import_updates_the_search_key():
    import_oneroster(make_zip(files_11()))
    header = USERS_11.splitlines()[0]
    newer = header + "\nstu-1,active,2024-10-01T00:00:00Z,true,sch-1,student,s,,Sofía,Muñoz,,100001,,,,,05,,,,,\n"
    report = import_oneroster(make_zip({"users.csv": newer}, mode="delta"), district_slug="riverside-public-schools")
    assert report.ok
    assert m.Student.objects.get(sourced_id="stu-1").search_key == " sofia munoz 100001"


@pytest.mark.django_db
def test_the_importer_keeps_a_work_phone_given_in_the_portal_in_the_key():
    import_oneroster(make_zip(files_11()))
    ana = m.Guardian.objects.get(sourced_id="g-1")
    ana.work_phone = "+12035550900"
    ana.save()
    header = USERS_11.splitlines()[0]
    renamed = header + ("\ng-1,active,2024-10-01T00:00:00Z,true,sch-1,parent,agarcia,,Ana,Gómez,,,ana@family.example,"
                        "(203) 555-0142,203-555-0143,,,,es,hh-1,,true\n")
    assert import_oneroster(make_zip({"users.csv": renamed}, mode="delta"),
                            district_slug="riverside-public-schools").ok
    assert m.Guardian.objects.get(sourced_id="g-1").search_key == \
        " ana gomez ana@family.example 12035550142 12035550143 12035550900"
