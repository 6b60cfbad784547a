"""Machine translation: off by default; LibreTranslate and DeepL adapters against loopback stand-ins."""

from __future__ import annotations

import pytest

from homeroom.messaging import services
from homeroom.messaging.translation import DeepL, LibreTranslate, get_translator
from tests.messaging.helpers import EN, compose
from tests.messaging.standins import DeepLStandIn, LibreTranslateStandIn


def test_translation_is_off_by_default():
    assert get_translator() is None


def test_libretranslate_adapter_posts_json_and_reads_translated_text():
    with LibreTranslateStandIn() as standin:
        text = LibreTranslate(standin.url).translate("Hello", source="en", target="es")
    assert text == "[es] Hello"
    assert standin.requests[0]["json"] == {"q": "Hello", "source": "en", "target": "es", "format": "text"}


def test_deepl_adapter_sends_the_auth_key_header():
    with DeepLStandIn() as standin:
        text = DeepL(standin.url, "test-key").translate("Hello", source="en", target="es")
    assert text == "[ES] Hello" and standin.requests[0]["path"] == "/v2/translate"


@pytest.mark.django_db
def test_machine_draft_blocks_sending_until_staff_review_it(world, settings):
    with LibreTranslateStandIn() as standin:
        settings.MESSAGING_TRANSLATION_PROVIDER = "libretranslate"
        settings.MESSAGING_TRANSLATION_URL = standin.url
        message = compose(world, contents=[EN])
        draft = services.message_prefill_translation(message=message, source="en", target="es")
    assert draft.machine_translated and draft.subject == "[es] School closed"
    with pytest.raises(services.MessageError):
        services.message_send(message=message, user=world.user("principal"))
    services.message_set_content(message=message, content=services.ContentInput(
        language="es", subject="Escuela cerrada", body="La escuela está cerrada."))
    assert services.message_send(message=message, user=world.user("principal")).status == "sending"
