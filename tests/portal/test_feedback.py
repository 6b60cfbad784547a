"""Family feedback: the portal's old form gave way to survey instruments; feedback given before stays readable."""

from __future__ import annotations

from django.urls import reverse

from homeroom.core.models import Role
from homeroom.portal.models import Feedback
from tests import factories as f


def _earlier_feedback(world):
    return Feedback.objects.create(district=world.district, school=world.lincoln, guardian=world.ana, rating=3,
                                   body="Gracias por las notas semanales", language="es")


def test_the_feedback_page_leads_families_to_the_survey_instruments(world, client_for):
    response = client_for("ana").get(reverse("portal:feedback"))
    assert response.status_code == 302 and response.url == reverse("surveys:family")


def test_principal_still_reads_earlier_feedback_for_their_school(world, client_for):
    _earlier_feedback(world)
    body = client_for("principal").get(reverse("portal:feedback_list")).content.decode()
    assert "Gracias por las notas semanales" in body


def test_district_admin_still_reads_all_earlier_feedback(world, client_for):
    _earlier_feedback(world)
    body = client_for("admin").get(reverse("portal:feedback_list")).content.decode()
    assert "Gracias por las notas semanales" in body


def test_principal_of_another_school_does_not_read_it(world, client_for):
    other = f.StaffFactory(district=world.district)
    f.StaffRoleFactory(staff=other, role=Role.PRINCIPAL, school=world.washington)
    _earlier_feedback(world)
    client = client_for("anonymous")
    client.force_login(other.user)
    assert "Gracias" not in client.get(reverse("portal:feedback_list")).content.decode()


def test_teacher_may_not_read_feedback(world, client_for):
    assert client_for("teacher").get(reverse("portal:feedback_list")).status_code == 403
