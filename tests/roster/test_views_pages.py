"""Staff roster pages: what each page shows, and to whom."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeroom.core.models import AccessLog
from homeroom.roster.models import Student
from tests import factories as f


def get(client, name, pk=None):
    return client.get(reverse(f"roster:{name}", args=[pk] if pk is not None else None))


# --- dashboard ---------------------------------------------------------------


def test_dashboard_lists_teachers_school_sections_and_students(world, client_for):
    response = get(client_for("teacher"), "dashboard")
    html = response.content.decode()
    assert "Lincoln Elementary" in html
    assert "Washington Middle" not in html
    assert reverse("roster:section", args=[world.section_5a.pk]) in html
    assert reverse("roster:student", args=[world.sofia.pk]) in html
    assert reverse("roster:student", args=[world.mateo.pk]) in html


def test_dashboard_shows_case_manager_their_caseload_only(world, client_for):
    response = get(client_for("case_manager"), "dashboard")
    html = response.content.decode()
    assert "My caseload" in html
    assert reverse("roster:student", args=[world.mateo.pk]) in html
    assert reverse("roster:student", args=[world.sofia.pk]) not in html


def test_dashboard_has_no_teacher_sections_for_a_principal(world, client_for):
    html = get(client_for("principal"), "dashboard").content.decode()
    assert "My sections" not in html


def test_guardian_is_refused_the_staff_dashboard(world, client_for):
    assert get(client_for("ana"), "dashboard").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(world, client_for):
    response = get(client_for("anonymous"), "student", world.sofia.pk)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- school ------------------------------------------------------------------


def test_school_page_counts_students_and_families_and_lists_languages(world, client_for):
    response = get(client_for("principal"), "school", world.lincoln.pk)
    overview = response.context["overview"]
    assert overview.student_count == 2
    assert overview.guardian_count == 3  # Ana, Luis, Rosa
    assert dict(overview.languages) == {"Spanish": 3}
    assert world.section_5a.title in response.content.decode()


def test_school_page_of_another_school_is_not_found_for_a_teacher(world, client_for):
    assert get(client_for("teacher"), "school", world.washington.pk).status_code == 404


# --- section -----------------------------------------------------------------


def test_section_page_lists_students_with_guardian_language_and_channel(world, client_for):
    response = get(client_for("teacher"), "section", world.section_5a.pk)
    html = response.content.decode()
    assert "Sofia Garcia" in html and "Mateo Lopez" in html
    assert "Ana Garcia" in html
    assert "Spanish" in html
    assert "Text message" in html  # Ana's first channel, with a mobile number on file


def test_section_page_flags_non_custodial_parent(world, client_for):
    html = get(client_for("teacher"), "section", world.section_5a.pk).content.decode()
    assert "Do not share information" in html


def test_section_page_of_another_school_is_not_found(world, client_for):
    assert get(client_for("teacher"), "section", world.section_7b.pk).status_code == 404


def test_section_page_logs_access_to_every_listed_student(world, client_for):
    get(client_for("teacher"), "section", world.section_5a.pk)
    logged = AccessLog.objects.filter(user=world.teacher.user, action="view_section_roster")
    assert sorted(logged.values_list("student_id", flat=True)) == sorted([world.sofia.pk, world.mateo.pk])


def test_section_page_leaves_out_inactive_students(world, client_for):
    Student.objects.filter(pk=world.mateo.pk).update(is_active=False)
    html = get(client_for("teacher"), "section", world.section_5a.pk).content.decode()
    assert "Mateo" not in html


# --- student -----------------------------------------------------------------


def test_student_page_shows_facts_and_guardians(world, client_for):
    html = get(client_for("teacher"), "student", world.sofia.pk).content.decode()
    assert "Sofia Garcia" in html
    assert "Ana Garcia" in html and "Mother" in html
    assert "Luis Garcia" in html and "Father" in html


def test_student_page_flags_non_custodial_parent_without_rights(world, client_for):
    response = get(client_for("teacher"), "student", world.sofia.pk)
    links = {g.guardian.pk: g for g in response.context["record"].guardians}
    assert links[world.luis.pk].do_not_share
    assert not links[world.ana.pk].do_not_share
    html = response.content.decode()
    assert html.count("Do not share information") == 1
    assert "No educational rights" in html


def test_student_page_hides_restricted_fields_from_teacher(world, client_for):
    Student.objects.filter(pk=world.sofia.pk).update(free_reduced_meals=True, race_ethnicity=["Hispanic or Latino"])
    response = get(client_for("teacher"), "student", world.sofia.pk)
    html = response.content.decode()
    assert response.context["record"].restricted is None
    assert "Restricted information" not in html
    assert "Hispanic or Latino" not in html
    assert "Court order on file" not in html


def test_student_page_shows_restricted_fields_to_principal(world, client_for):
    Student.objects.filter(pk=world.sofia.pk).update(free_reduced_meals=True, race_ethnicity=["Hispanic or Latino"])
    html = get(client_for("principal"), "student", world.sofia.pk).content.decode()
    assert "Restricted information" in html
    assert "Hispanic or Latino" in html
    assert "Court order on file: no contact." in html


def test_student_page_shows_consent_opt_out_and_bad_number_marks(world, client_for):
    from django.utils import timezone

    now = timezone.now()
    world.ana.sms_opted_out_at = now
    world.ana.email_bad_at, world.ana.email_bad_value = now, world.ana.email
    world.ana.save()
    html = get(client_for("teacher"), "student", world.sofia.pk).content.decode()
    assert "Opted out" in html
    assert "Address not working" in html


def test_student_page_writes_access_log_row(world, client_for):
    get(client_for("teacher"), "student", world.sofia.pk)
    row = AccessLog.objects.get(user=world.teacher.user)
    assert (row.student_id, row.action) == (world.sofia.pk, "view_student")


def test_student_out_of_scope_is_not_found_and_not_logged(world, client_for):
    response = get(client_for("other_teacher"), "student", world.sofia.pk)
    assert response.status_code == 404
    assert not AccessLog.objects.exists()


def test_case_manager_sees_caseload_student(world, client_for):
    assert get(client_for("case_manager"), "student", world.mateo.pk).status_code == 200


def test_guardian_is_refused_the_staff_student_page_even_for_own_child(world, client_for):
    assert get(client_for("ana"), "student", world.sofia.pk).status_code == 403


def test_inactive_guardian_link_is_not_shown(world, client_for):
    world.ana_link.is_active = False
    world.ana_link.save()
    html = get(client_for("teacher"), "student", world.sofia.pk).content.decode()
    assert "Ana Garcia" not in html


# --- guardian ----------------------------------------------------------------


def test_guardian_page_shows_contact_preferences_and_students_in_scope(world, client_for):
    html = get(client_for("teacher"), "guardian", world.ana.pk).content.decode()
    assert "ana@family.example" in html
    assert "Spanish" in html
    assert reverse("roster:student", args=[world.sofia.pk]) in html


def test_guardian_page_leaves_out_children_outside_scope(world, client_for):
    f.StudentGuardianFactory(student=world.liam, guardian=world.ana)
    html = get(client_for("teacher"), "guardian", world.ana.pk).content.decode()
    assert reverse("roster:student", args=[world.liam.pk]) not in html
    assert "Liam" not in html


def test_guardian_page_flags_non_custodial_parent(world, client_for):
    html = get(client_for("teacher"), "guardian", world.luis.pk).content.decode()
    assert "Do not share information" in html


def test_guardian_of_another_school_is_not_found(world, client_for):
    assert get(client_for("teacher"), "guardian", world.paul.pk).status_code == 404


# --- household ---------------------------------------------------------------


def test_household_page_lists_members_in_scope_only(world, client_for):
    household = f.HouseholdFactory(district=world.district, name="Garcia-Walsh")
    for student in (world.sofia, world.liam):
        Student.objects.filter(pk=student.pk).update(household=household)
    world.ana.household = household
    world.ana.save()
    html = get(client_for("teacher"), "household", household.pk).content.decode()
    assert reverse("roster:student", args=[world.sofia.pk]) in html
    assert reverse("roster:guardian", args=[world.ana.pk]) in html
    assert "Liam" not in html


def test_household_without_visible_members_is_not_found(world, client_for):
    household = f.HouseholdFactory(district=world.district)
    Student.objects.filter(pk=world.liam.pk).update(household=household)
    assert get(client_for("teacher"), "household", household.pk).status_code == 404


@pytest.mark.parametrize("name", ["school", "section", "student", "guardian", "household"])
def test_unknown_id_is_not_found(world, client_for, name):
    assert get(client_for("admin"), name, 999999).status_code == 404


def test_student_page_shows_the_profile_the_family_shared(world, client_for):
    from homeroom.portal.models import ChildProfile

    ChildProfile.objects.create(student=world.sofia, strengths="Loves drawing maps", shared_with_teachers=True)
    page = client_for("teacher").get(reverse("roster:student", args=[world.sofia.pk])).content.decode()
    assert "Loves drawing maps" in page


def test_student_page_hides_a_profile_the_family_did_not_share(world, client_for):
    from homeroom.portal.models import ChildProfile

    ChildProfile.objects.create(student=world.sofia, strengths="Private note", shared_with_teachers=False)
    page = client_for("teacher").get(reverse("roster:student", args=[world.sofia.pk])).content.decode()
    assert "Private note" not in page
