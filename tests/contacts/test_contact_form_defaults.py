"""The "log a contact" form starts from the family: their language, the way they prefer to be reached, and
every described field points at a description that exists."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _form(client_for, world, actor="teacher", **query):
    url = reverse("contacts:log_create") + f"?student={world.sofia.pk}&guardian={world.ana.pk}"
    return client_for(actor).get(url).context["form"]


def test_the_form_starts_in_the_family_language(client_for, world):
    assert world.ana.language == "es"
    assert _form(client_for, world).initial["language"] == "es"


def test_a_regional_tag_starts_on_its_language_and_an_unlisted_one_on_another_language(client_for, world):
    world.ana.language = "pt-BR"
    world.ana.save()
    assert _form(client_for, world).initial["language"] == "pt"
    world.ana.language = "so"
    world.ana.save()
    assert _form(client_for, world).initial["language"] == "other"


def test_the_form_starts_on_the_family_preferred_channel_and_its_address(client_for, world):
    world.ana.mobile_phone = "+12035550143"
    world.ana.channel_order = ["email", "sms", "voice", "portal"]
    world.ana.save()
    initial = _form(client_for, world).initial
    assert initial["method"] == "email" and initial["channel_address"] == "ana@family.example"
    world.ana.channel_order = ["voice", "email"]
    world.ana.save()
    initial = _form(client_for, world).initial
    assert initial["method"] == "phone" and initial["channel_address"] == "+12035550143"


def test_the_preferred_channel_is_selected_on_the_page(client_for, world):
    world.ana.mobile_phone = "+12035550143"
    world.ana.channel_order = ["sms", "email"]
    world.ana.save()
    url = reverse("contacts:log_create") + f"?student={world.sofia.pk}&guardian={world.ana.pk}"
    page = client_for("teacher").get(url).content.decode()
    assert re.search(r'<option value="text" selected>', page)
    assert re.search(r'<option value="es" selected>', page)


def test_every_aria_describedby_on_the_contact_form_points_to_an_element(client_for, world):
    url = reverse("contacts:log_create") + f"?student={world.sofia.pk}"
    page = client_for("teacher").get(url).content.decode()
    described = {target for value in re.findall(r'aria-describedby="([^"]+)"', page) for target in value.split()}
    assert described, "the form has help texts, so some field is described"
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    assert described <= ids, described - ids
