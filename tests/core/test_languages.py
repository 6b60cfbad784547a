"""The shipped languages: roster codes map to them, the picker offers the district's, Arabic reads right to left."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from homeroom.access.i18n import (
    canonical_language_tag,
    interface_language,
    language_key,
    offered_languages,
    two_letter_language,
)
from homeroom.messaging.conversations.inbound import sms_inbound
from homeroom.messaging.engine.planning import _content_language
from homeroom.roster.importers import import_oneroster
from homeroom.roster.models import Guardian
from tests.roster.test_import_helpers import USERS_11, files_11, make_zip


@pytest.mark.parametrize(("code", "expected"), [
    ("pt", "pt-br"), ("pt-BR", "pt-br"), ("PT_br", "pt-br"), ("por", "pt-br"), ("pt-PT", "pt-br"),
    ("ht", "ht"), ("hat", "ht"), ("HT", "ht"),
    ("zh", "zh-hans"), ("zh-CN", "zh-hans"), ("zh-Hans", "zh-hans"), ("zh-Hans-CN", "zh-hans"), ("chi", "zh-hans"),
    ("zho", "zh-hans"), ("cmn", "zh-hans"),
    ("ar", "ar"), ("ara", "ar"), ("ar-EG", "ar"), ("vi", "vi"), ("vie", "vi"), ("pl", "pl"), ("pol", "pl"),
    ("es", "es"), ("spa", "es"), ("es-MX", "es"), ("eng", "en"), ("en-US", "en"),
])
def test_roster_language_codes_map_to_the_shipped_languages(code, expected):
    assert interface_language(code) == expected


@pytest.mark.parametrize("code", ["zh-TW", "zh-Hant", "zh-HK", "so", "fr", "", "xx-YY"])
def test_languages_we_do_not_ship_map_to_none(code):
    assert interface_language(code) is None  # Traditional Chinese readers are not handed Simplified


def test_tags_are_canonical_and_three_letter_codes_shortened():
    assert canonical_language_tag("HAT") == "ht" and canonical_language_tag("zh_Hans_CN") == "zh-hans-cn"
    assert two_letter_language("por-BR") == "pt-BR" and two_letter_language("es-MX") == "es-MX"


def test_every_shipped_language_maps_to_itself():
    for code, _name in settings.LANGUAGES:
        assert interface_language(code) == code


def test_the_picker_names_each_language_in_itself():
    names = dict(settings.LANGUAGES)
    assert names["ht"] == "Kreyòl ayisyen" and names["ar"] == "العربية" and names["zh-hans"] == "中文（简体）"
    assert names["vi"] == "Tiếng Việt" and names["pl"] == "Polski" and names["pt-br"] == "Português (Brasil)"
    assert names["es"] == "Español"


def test_a_message_in_brazilian_portuguese_reaches_a_family_listed_as_pt_or_por():
    assert _content_language("pt", {"en", "pt-br"}, "en") == "pt-br"
    assert _content_language("por", {"en", "pt-br"}, "en") == "pt-br"
    assert _content_language("hat", {"en", "ht"}, "en") == "ht"
    assert _content_language("zh-TW", {"en", "zh-hans"}, "en") == "en"


@pytest.mark.django_db
def test_an_sis_three_letter_code_is_stored_as_the_two_letter_tag():
    files = files_11()
    files["users.csv"] = USERS_11.replace(",pt-BR,", ",hat,")
    report = import_oneroster(make_zip(files, version="1.1"))
    assert report.ok, [str(p) for p in report.errors]
    assert Guardian.objects.filter(language="ht").exists()
    assert not Guardian.objects.filter(language="hat").exists()


@pytest.mark.django_db
def test_the_stop_answer_follows_a_roster_code_that_only_maps_to_ours(world):
    world.paul.language = "hat"
    world.paul.save(update_fields=["language"])
    reply = sms_inbound(from_number=world.paul.mobile_phone, body="STOP").reply
    assert "alèt ijan" in reply  # "urgent alerts" in Kreyòl


def _options(html: str) -> list[str]:
    select = html[html.index('id="language-select"'):]
    return re.findall(r'<option value="([^"]+)"', select[:select.index("</select>")])


@pytest.mark.django_db
def test_the_picker_lists_every_language_the_district_enables(world, client_for):
    html = client_for("ana").get(reverse("portal:home")).content.decode()
    assert _options(html) == [code for code, _name in settings.LANGUAGES]  # nothing chosen: all of them
    assert 'lang="ht">Kreyòl ayisyen</option>' in html and 'lang="ar">العربية</option>' in html
    world.district.family_languages = ["es", "ht", "pt"]
    world.district.save()
    html = client_for("ana").get(reverse("portal:home")).content.decode()
    assert _options(html) == ["en", "es", "pt-br", "ht"]


@pytest.mark.django_db
def test_the_preferences_page_offers_the_district_languages(world, client_for):
    world.district.family_languages = ["es", "ar"]
    world.district.save()
    form = client_for("ana").get(reverse("portal:preferences")).context["form"]
    assert [code for code, _name in form.fields["language"].choices] == ["en", "es", "ar"]


@pytest.mark.django_db
def test_signed_out_pages_offer_the_only_district_languages(world):
    world.district.family_languages = ["ht"]
    world.district.save()
    assert [code for code, _ in offered_languages(None)] == ["en", "ht"]


@pytest.mark.django_db
def test_arabic_pages_are_right_to_left_and_others_are_not(world, client_for):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = client.get(reverse("account_login")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ht"
    html = client.get(reverse("account_login")).content.decode()
    assert '<html lang="ht">' in html and "Konekte nan Homeroom" in html


@pytest.mark.django_db
def test_a_staff_member_choosing_haitian_creole_gets_a_working_page(world, client_for):
    user = world.user("teacher")
    user.language = "ht"
    user.save(update_fields=["language"])
    response = client_for("teacher").get(reverse("contacts:my_students"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ht">' in html and "Dekonekte" in html  # family-facing words in Kreyòl, the rest English


def test_the_stylesheet_uses_logical_properties():
    css = (settings.BASE_DIR / "homeroom" / "static" / "homeroom" / "homeroom.css").read_text()
    physical = re.findall(r"(?:margin|padding|border)-(?:left|right)|text-align:\s*(?:left|right)"
                          r"|[{;]\s*(?:left|right):|float:\s*(?:left|right)", css)
    assert physical == []


def test_an_arabic_letter_is_right_to_left():
    from homeroom.meetings.letters import render_letter_html
    from homeroom.meetings.models import LetterTemplate

    template = LetterTemplate(kind="referral", language="ar", title="دعوة", body="نص")
    html = render_letter_html(template, {"school_name": "Lincoln", "district_name": "Riverside"})
    assert '<html lang="ar" dir="rtl">' in html
    template.language = "es"
    assert 'dir="rtl"' not in render_letter_html(template, {"school_name": "Lincoln"})


@pytest.mark.parametrize("codes, key", [
    (("en", "eng", "en-US", "EN_us", "English", "english"), "en"),
    (("es", "spa", "es-MX", "Spanish", "Español"), "es"),
    (("pt", "pt-BR", "por", "Portuguese"), "pt-br"),
    (("zh", "zh-CN", "zh-Hans-CN"), "zh-hans"),
    (("zh-TW", "zh-Hant-HK"), "zh-hant"),
    (("hat", "ht", "Haitian Creole"), "ht"),
    (("so", "so-SO", "Somali"), "so"),
    (("",), ""),
])
def test_a_language_has_one_report_key_however_it_is_spelled(codes, key):
    assert {language_key(code) for code in codes} == {key}
