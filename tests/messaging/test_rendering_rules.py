"""The "a translation can be requested" line: only for readers of another language, said in theirs if we can."""

from __future__ import annotations

import pytest

from homeroom.messaging.rendering import RenderCache, render
from tests.messaging.helpers import EN, ES, compose

pytestmark = pytest.mark.django_db

LINE_EN = "A translation of this message can be requested from the school."
LINE_ES = "Puede pedir a la escuela una traducción de este mensaje."
LINE_PT = "Você pode pedir à escola uma tradução desta mensagem."


@pytest.fixture
def message(world):
    return compose(world, contents=[EN, ES])


def _text(message, content_language, reader_language, channel="email"):
    return render(message, message.contents.get(language=content_language), channel, reader_language).text


def test_somali_reader_of_english_content_is_told_a_translation_can_be_requested(message):
    text = _text(message, "en", "so")
    assert LINE_EN in text  # the interface has no Somali, so the line stays in the content's language


def test_portuguese_reader_of_english_content_is_told_so_in_portuguese(message):
    text = _text(message, "en", "pt")  # a roster's "pt" reads the Brazilian catalogue
    assert LINE_PT in text and LINE_EN not in text


def test_mexican_spanish_reader_of_spanish_content_gets_no_translation_line(message):
    text = _text(message, "es", "es-MX")
    assert LINE_ES not in text and LINE_EN not in text


def test_region_and_case_do_not_make_a_language_another_one(message):
    assert LINE_EN not in _text(message, "en", "EN-us", channel="sms")


def test_spanish_reader_of_english_content_gets_the_line_in_spanish(message):
    text = _text(message, "en", "es")
    assert LINE_ES in text and LINE_EN not in text


def test_mexican_spanish_reader_of_english_content_gets_the_line_in_spanish(message):
    text = _text(message, "en", "es-MX", channel="sms")
    assert LINE_ES in text and LINE_EN not in text


def test_reader_of_their_own_language_gets_no_line(message):
    assert LINE_EN not in _text(message, "en", "en")


def test_render_cache_follows_the_same_rule_per_reader(message):
    cache = RenderCache(message)
    assert LINE_ES not in cache.get("es", "email", "es-MX").text
    assert LINE_PT in cache.get("en", "voice", "pt").text
    assert LINE_EN in cache.get("en", "voice", "so").text
