"""Machine translation adapters at the HTTP boundary: LibreTranslate and DeepL against loopback stand-ins that
speak their documented formats (errors included), and the cache that translates a text once."""

from __future__ import annotations

import threading

import pytest

from homeroom.languages import cache
from homeroom.languages.models import Translation
from homeroom.languages.providers import DeepL, LibreTranslate, TranslationError, get_translator
from tests.languages.standins import DeepLStandIn, LibreTranslateStandIn


def test_translation_is_off_by_default():
    assert get_translator() is None


def test_libretranslate_posts_json_and_reads_translated_text():
    with LibreTranslateStandIn() as standin:
        text = LibreTranslate(standin.url).translate("Hello", source="en", target="es")
    assert text == "[es] Hello"
    assert standin.requests[0]["path"] == "/translate"
    assert standin.requests[0]["json"] == {"q": "Hello", "source": "en", "target": "es", "format": "text"}


def test_libretranslate_sends_its_api_key_and_its_own_language_codes():
    with LibreTranslateStandIn(key="k1") as standin:
        text = LibreTranslate(standin.url, "k1").translate("Hello", source="en", target="zh-Hans")
    assert text == "[zh] Hello" and standin.requests[0]["json"]["api_key"] == "k1"


@pytest.mark.parametrize(("status", "kind"), [(403, "auth"), (429, "quota"), (500, "unavailable")])
def test_libretranslate_errors_say_what_went_wrong(status, kind):
    with LibreTranslateStandIn(status=status) as standin, pytest.raises(TranslationError) as caught:
        LibreTranslate(standin.url).translate("Hello", source="en", target="es")
    assert caught.value.kind == kind and caught.value.provider == "libretranslate"


def test_libretranslate_wrong_key_is_an_auth_error_and_an_unoffered_language_is_unsupported():
    with LibreTranslateStandIn(key="right", unsupported=("ht",)) as standin:
        with pytest.raises(TranslationError) as wrong_key:
            LibreTranslate(standin.url, "wrong").translate("Hello", source="en", target="es")
        with pytest.raises(TranslationError) as unoffered:
            LibreTranslate(standin.url, "right").translate("Hello", source="en", target="ht")
    assert wrong_key.value.kind == "auth" and unoffered.value.kind == "unsupported"


def test_a_translation_service_that_does_not_answer_in_time_is_a_timeout(settings):
    settings.MESSAGING_TRANSLATION_TIMEOUT = 0.2
    with LibreTranslateStandIn(delay=1.0) as standin, pytest.raises(TranslationError) as caught:
        LibreTranslate(standin.url).translate("Hello", source="en", target="es")
    assert caught.value.kind == "timeout"


def test_a_translation_service_that_is_not_there_is_unavailable():
    with LibreTranslateStandIn() as standin:
        url = standin.url
    with pytest.raises(TranslationError) as caught:
        LibreTranslate(url).translate("Hello", source="en", target="es")
    assert caught.value.kind == "unavailable"


def test_deepl_sends_the_auth_key_header_and_form_fields():
    with DeepLStandIn(key="test-key") as standin:
        text = DeepL(standin.url, "test-key").translate("Hello", source="en", target="pt-BR")
    request = standin.requests[0]
    assert text == "[PT-BR] Hello" and request["path"] == "/v2/translate"
    assert request["auth"] == "DeepL-Auth-Key test-key"
    assert request["form"] == {"text": "Hello", "source_lang": "EN", "target_lang": "PT-BR"}


def test_deepl_picks_the_free_host_for_a_free_key_and_the_pro_host_otherwise():
    assert DeepL("", "abc:fx").url == "https://api-free.deepl.com/v2/translate"
    assert DeepL("", "abc").url == "https://api.deepl.com/v2/translate"
    assert DeepL.target_code("zh-hans") == "ZH-HANS" and DeepL.target_code("en") == "EN-US"
    assert DeepL.target_code("vi") == "VI"


def test_deepl_refuses_a_free_key_on_the_pro_host_and_a_bad_key():
    with DeepLStandIn(key="abc:fx", free=False) as pro, pytest.raises(TranslationError) as wrong_host:
        DeepL(pro.url, "abc:fx").translate("Hello", source="en", target="es")
    with DeepLStandIn(key="abc:fx", free=True) as free:
        assert DeepL(free.url, "abc:fx").translate("Hello", source="en", target="es") == "[ES] Hello"
        with pytest.raises(TranslationError) as bad_key:
            DeepL(free.url, "nope:fx").translate("Hello", source="en", target="es")
    assert wrong_host.value.kind == "auth" and bad_key.value.kind == "auth"


@pytest.mark.parametrize(("status", "kind"), [(456, "quota"), (429, "quota"), (503, "unavailable")])
def test_deepl_quota_and_busy_answers(status, kind):
    with DeepLStandIn(status=status) as standin, pytest.raises(TranslationError) as caught:
        DeepL(standin.url, "test-key").translate("Hello", source="en", target="es")
    assert caught.value.kind == kind


def test_deepl_timeout_and_unsupported_language(settings):
    settings.MESSAGING_TRANSLATION_TIMEOUT = 0.2
    with DeepLStandIn(delay=1.0) as slow, pytest.raises(TranslationError) as timeout:
        DeepL(slow.url, "test-key").translate("Hello", source="en", target="es")
    with DeepLStandIn(unsupported=("HT",)) as standin, pytest.raises(TranslationError) as unoffered:
        DeepL(standin.url, "test-key").translate("Hello", source="en", target="ht")
    assert timeout.value.kind == "timeout" and unoffered.value.kind == "unsupported"


@pytest.mark.django_db
def test_settings_pick_the_provider(settings):
    settings.MESSAGING_TRANSLATION_PROVIDER = "deepl"
    settings.MESSAGING_TRANSLATION_API_KEY = ""
    assert get_translator() is None  # DeepL needs a key
    settings.MESSAGING_TRANSLATION_API_KEY = "k:fx"
    assert isinstance(get_translator(), DeepL)
    settings.MESSAGING_TRANSLATION_PROVIDER, settings.MESSAGING_TRANSLATION_URL = "libretranslate", "http://mt"
    assert isinstance(get_translator(), LibreTranslate)


def test_each_thread_keeps_its_own_translator_and_client(settings):
    """httpcore's pool, shared by threads, can close a connection under another thread's request
    (encode/httpcore#1110): a threaded server's requests translate through their own thread's client."""
    settings.MESSAGING_TRANSLATION_PROVIDER, settings.MESSAGING_TRANSLATION_URL = "libretranslate", "http://mt"
    mine = get_translator()
    seen: dict[int, list[object]] = {}  # the translators themselves: an id could be reused once a thread ends

    def look(n: int) -> None:
        seen[n] = [get_translator(), get_translator()]

    threads = [threading.Thread(target=look, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert get_translator() is mine  # kept from one request to the next
    assert all(first is second for first, second in seen.values())
    translators = [mine, seen[0][0], seen[1][0]]
    assert len({id(t) for t in translators}) == 3  # never shared between threads
    assert len({id(t.client) for t in translators}) == 3  # type: ignore[union-attr]


@pytest.mark.django_db
def test_the_same_text_languages_and_provider_are_translated_once(settings):
    with LibreTranslateStandIn() as standin:
        settings.MESSAGING_TRANSLATION_PROVIDER, settings.MESSAGING_TRANSLATION_URL = "libretranslate", standin.url
        first = cache.translate("School is closed.", source="en", target="ht")
        again = cache.translate("School is closed.", source="en", target="ht")
        other_language = cache.translate("School is closed.", source="en", target="vi")
        other_text = cache.translate("School is open.", source="en", target="ht")
    assert first == again == "[ht] School is closed."
    assert other_language == "[vi] School is closed." and other_text == "[ht] School is open."
    assert standin.texts == ["School is closed.", "School is closed.", "School is open."]
    assert Translation.objects.count() == 3
    row = Translation.objects.get(target_language="ht", text="[ht] School is closed.")
    assert row.provider == "libretranslate" and len(row.source_hash) == 64  # the source is kept only as a hash


@pytest.mark.django_db
def test_another_provider_translates_again_and_failures_are_not_kept(settings):
    with LibreTranslateStandIn() as libre:
        cache.translate("Hello", source="en", target="es", translator=LibreTranslate(libre.url))
    with DeepLStandIn() as deepl:
        assert cache.translate("Hello", source="en", target="es",
                               translator=DeepL(deepl.url, "test-key")) == "[ES] Hello"
    with DeepLStandIn(status=456) as spent, pytest.raises(TranslationError):
        cache.translate("Bye", source="en", target="es", translator=DeepL(spent.url, "test-key"))
    assert sorted(Translation.objects.values_list("provider", flat=True)) == ["deepl", "libretranslate"]


@pytest.mark.django_db
def test_same_language_is_never_sent():
    with LibreTranslateStandIn() as standin:
        assert cache.translate("Hola", source="es", target="es-MX", translator=LibreTranslate(standin.url)) == "Hola"
    assert standin.requests == []
