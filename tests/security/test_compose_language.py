"""Compose: the "other language" field takes only a language tag Homeroom knows, with an error that says so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeroom.messaging.compose.forms import ComposeForm
from homeroom.messaging.models import Message, MessageContent


def _data(world, language: str) -> dict:
    return {
        "category": "reminder", "audience_kind": "schools", "schools": [world.lincoln.pk],
        "callback_name": "Front office", "callback_phone": "+12035550100",
        "subject_en": "Conferences", "body_en": "Conferences are on Friday.",
        "other_language": language, "subject_other": "Conferências", "body_other": "As conferências são sexta.",
    }


def _form(world, language: str) -> ComposeForm:
    return ComposeForm(_data(world, language), user=world.principal.user)


@pytest.mark.parametrize("tag", ["xx", "klingon", "pt_BR", "pt-", "<script>", "12", "en-US-x-" + "a" * 20, "zz-ZZ"])
def test_an_unknown_or_malformed_tag_is_refused(world, tag):
    form = _form(world, tag)
    assert not form.is_valid()
    assert "other_language" in form.errors


@pytest.mark.parametrize(("tag", "stored"), [
    ("pt", "pt"), ("pt-BR", "pt-br"), ("PT-br", "pt-br"), ("zh-Hans", "zh-hans"), ("vi", "vi"), ("ar", "ar"),
    ("ht", "ht"), ("so", "so"), ("hmn", "hmn"), ("es-419", "es-419"),
])
def test_a_known_tag_is_accepted_and_stored_in_lower_case(world, tag, stored):
    form = _form(world, tag)
    assert form.is_valid(), form.errors
    assert [c.language for c in form.contents()] == ["en", stored]


def test_the_other_language_may_not_repeat_english_or_spanish_already_written(world):
    data = _data(world, "en")
    form = ComposeForm(data, user=world.principal.user)
    assert not form.is_valid()
    assert "other_language" in form.errors


def test_the_error_names_the_field_and_gives_an_example(world, client_for):
    response = client_for("principal").post(reverse("messaging:compose"), _data(world, "klingon"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not a language tag Homeroom knows" in html
    assert not Message.objects.exists() and not MessageContent.objects.exists()


def test_the_error_is_in_spanish_for_a_spanish_reader(world, client_for):
    world.principal.user.language = "es"
    world.principal.user.save()
    client = client_for("principal")
    html = client.post(reverse("messaging:compose"), _data(world, "klingon")).content.decode()
    assert "no es una etiqueta de idioma" in html
