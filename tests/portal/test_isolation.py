"""Two families and a non-custodial parent: nobody sees a child they hold no rights for, on any portal page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeroom.core.models import AccessLog
from tests.portal.helpers import document_for, sofia_gradebook

CHILD_PAGES = ["portal:child", "portal:child_grades", "portal:child_attendance", "portal:child_profile"]


@pytest.mark.parametrize("page", CHILD_PAGES)
def test_non_custodial_parent_gets_not_found_on_childs_pages(world, client_for, page):
    assert client_for("luis").get(reverse(page, args=[world.sofia.pk])).status_code == 404


@pytest.mark.parametrize("page", CHILD_PAGES)
def test_other_family_gets_not_found_on_childs_pages(world, client_for, page):
    assert client_for("paul").get(reverse(page, args=[world.sofia.pk])).status_code == 404


@pytest.mark.parametrize("page", CHILD_PAGES)
def test_guardian_with_rights_sees_childs_pages(world, client_for, page):
    response = client_for("ana").get(reverse(page, args=[world.sofia.pk]))
    assert response.status_code == 200
    assert "Sofia" in response.content.decode()


@pytest.mark.parametrize("page", CHILD_PAGES)
def test_profile_post_by_non_custodial_parent_is_not_found(world, client_for, page):
    response = client_for("luis").post(reverse(page, args=[world.sofia.pk]), {"strengths": "x"})
    assert response.status_code == 404


def test_non_custodial_parent_home_shows_no_child(world, client_for):
    body = client_for("luis").get(reverse("portal:home")).content.decode()
    assert "Sofia" not in body
    assert "No hay niños vinculados" in body  # Luis reads Spanish


def test_each_family_home_shows_only_its_own_child(world, client_for):
    ana = client_for("ana").get(reverse("portal:home")).content.decode()
    paul = client_for("paul").get(reverse("portal:home")).content.decode()
    assert "Sofia" in ana and "Liam" not in ana
    assert "Liam" in paul and "Sofia" not in paul


def test_other_familys_grades_do_not_leak_into_home_counts(world, client_for):
    sofia_gradebook(world)
    body = client_for("paul").get(reverse("portal:home")).content.decode()
    assert "missing assignment" not in body


def test_document_addressed_to_non_custodial_parent_about_child_stays_hidden(world, client_for):
    document = document_for(world, guardian=world.luis, student=world.sofia)
    luis = client_for("luis")
    assert luis.get(reverse("portal:document_download", args=[document.pk])).status_code == 404
    assert document.title not in luis.get(reverse("portal:documents")).content.decode()


def test_other_familys_document_is_not_found(world, client_for):
    document = document_for(world, guardian=world.ana, student=world.sofia)
    assert client_for("paul").get(reverse("portal:document_download", args=[document.pk])).status_code == 404


def test_viewing_a_childs_grades_is_recorded_in_the_access_log(world, client_for):
    client_for("ana").get(reverse("portal:child_grades", args=[world.sofia.pk]))
    assert AccessLog.objects.filter(user=world.ana.user, student=world.sofia, action="portal.grades").exists()


def test_refused_child_page_writes_no_access_log(world, client_for):
    client_for("luis").get(reverse("portal:child_grades", args=[world.sofia.pk]))
    assert not AccessLog.objects.filter(student=world.sofia).exists()
