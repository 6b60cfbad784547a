"""'Tell the school how we're doing' reaches the school's partnership team (principal, district)."""

from __future__ import annotations

from django.urls import reverse

from homeroom.portal.models import Feedback


def _send(client_for, world, actor="ana", school=None):
    return client_for(actor).post(
        reverse("portal:feedback"),
        {"school": (school or world.lincoln).pk, "rating": "3", "body": "Gracias por las notas semanales"},
    )


def test_feedback_is_saved_for_the_childs_school(world, client_for):
    assert _send(client_for, world).status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.school == world.lincoln
    assert feedback.guardian == world.ana
    assert feedback.rating == 3


def test_feedback_to_a_school_the_family_has_no_child_in_is_refused(world, client_for):
    assert _send(client_for, world, school=world.washington).status_code == 200
    assert not Feedback.objects.exists()


def test_principal_reads_feedback_for_their_school(world, client_for):
    _send(client_for, world)
    body = client_for("principal").get(reverse("portal:feedback_list")).content.decode()
    assert "Gracias por las notas semanales" in body


def test_district_admin_reads_all_feedback(world, client_for):
    _send(client_for, world)
    body = client_for("admin").get(reverse("portal:feedback_list")).content.decode()
    assert "Gracias por las notas semanales" in body


def test_principal_of_another_school_does_not_read_it(world, client_for):
    from homeroom.core.models import Role
    from tests import factories as f

    other = f.StaffFactory(district=world.district)
    f.StaffRoleFactory(staff=other, role=Role.PRINCIPAL, school=world.washington)
    _send(client_for, world)
    client = client_for("anonymous")
    client.force_login(other.user)
    assert "Gracias" not in client.get(reverse("portal:feedback_list")).content.decode()


def test_teacher_may_not_read_feedback(world, client_for):
    assert client_for("teacher").get(reverse("portal:feedback_list")).status_code == 403
