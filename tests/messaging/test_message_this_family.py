""""Message this family": every student, guardian and household page opens compose prefilled with that family,
by a POST carrying a signed token; no form asks for a record id and nothing goes into a URL."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from homeroom.messaging.family_link import family_students, family_token
from homeroom.messaging.models import Message
from homeroom.roster.models import Household

pytestmark = pytest.mark.django_db


def _open(client, html: str):
    """Press the page's "Message this family" button: its form posts the family to compose."""
    match = re.search(r'<form method="post" action="([^"]+)"[^>]*>.*?name="family" value="([^"]+)">'
                      r'<button type="submit" name="open_family"[^>]*>Message this family<', html)
    assert match, "no Message this family action"
    assert match[1] == reverse("messaging:compose")
    return client.post(match[1], {"family": unescape(match[2]), "open_family": "1"})


def _post(client, url, **extra):
    data = {"category": "news", "audience_kind": "family", "callback_name": "Ms. Rivera",
            "callback_phone": "+12035550100", "subject_en": "Great week", "body_en": "Sofia read a whole book!",
            **extra}
    return client.post(url, data)


def test_the_student_page_opens_compose_with_the_family(world, client_for):
    client = client_for("teacher")
    page = _open(client, client.get(reverse("roster:student", args=[world.sofia.pk])).content.decode())
    form = page.context["form"]
    assert not form.is_bound
    assert form.initial["audience_kind"] == "family"
    assert [s.pk for s in form.family_students] == [world.sofia.pk]
    html = page.content.decode()
    assert "the family of Sofia Garcia" in html
    assert "record id" not in html
    response = _post(client, reverse("messaging:compose"), family=form.initial["family"])
    assert response.status_code == 302
    assert Message.objects.get().audience == {"kind": "family", "students": [world.sofia.pk]}


def test_the_guardian_page_messages_the_guardians_children(world, client_for):
    client = client_for("teacher")
    page = _open(client, client.get(reverse("roster:guardian", args=[world.rosa.pk])).content.decode())
    assert [s.pk for s in page.context["form"].family_students] == [world.mateo.pk]


def test_the_household_page_messages_the_household(world, client_for):
    household = Household.objects.create(district=world.district, sourced_id="h-1", name="Lopez household")
    world.mateo.household = household
    world.mateo.save()
    client = client_for("teacher")
    page = _open(client, client.get(reverse("roster:household", args=[household.pk])).content.decode())
    assert [s.pk for s in page.context["form"].family_students] == [world.mateo.pk]


def test_a_token_for_a_student_out_of_scope_prefills_nothing_and_cannot_be_sent(world, client_for):
    token = family_token([world.liam.pk])  # Washington's student
    client = client_for("teacher")
    page = client.post(reverse("messaging:compose"), {"family": token, "open_family": "1"})
    assert page.context["form"].family_students == []
    assert not Message.objects.exists()
    response = _post(client, reverse("messaging:compose"), family=token)
    assert response.status_code == 200
    assert "audience_kind" in response.context["form"].errors
    assert not Message.objects.exists()


def test_an_edited_token_is_refused(world):
    token = family_token([world.sofia.pk])
    assert family_students(world.teacher.user, token[:-2] + "xx") == []
    assert [s.pk for s in family_students(world.teacher.user, token)] == [world.sofia.pk]


def test_one_family_without_the_action_says_how_to_pick_a_family(world, client_for):
    response = _post(client_for("teacher"), reverse("messaging:compose"))
    assert response.status_code == 200
    assert "Message this family" in str(response.context["form"].errors["audience_kind"])
