"""The family home page: one card per child, across schools."""

from __future__ import annotations

from django.urls import reverse

from tests import factories as f
from tests.portal.helpers import sofia_gradebook


def test_guardian_with_children_in_two_schools_gets_a_card_for_each(world, client_for):
    f.StudentGuardianFactory(student=world.liam, guardian=world.ana)
    body = client_for("ana").get(reverse("portal:home")).content.decode()
    assert "Sofia" in body and "Lincoln Elementary" in body
    assert "Liam" in body and "Washington Middle" in body


def test_card_counts_missing_work(world, client_for):
    sofia_gradebook(world)
    body = client_for("ana").get(reverse("portal:home")).content.decode()
    assert "Falta 1 tarea" in body  # Ana reads Spanish


def test_home_is_in_spanish_for_a_spanish_speaking_guardian(world, client_for):
    body = client_for("ana").get(reverse("portal:home")).content.decode()
    assert "Mi familia" in body


def test_staff_member_is_refused_the_family_home(world, client_for):
    assert client_for("teacher").get(reverse("portal:home")).status_code == 403
