"""Every instrument a family reads is in every language a family can read (settings.LANGUAGES), and a family
reading Vietnamese, Arabic or Haitian Creole gets the invitation, the questions, the scale and the thanks in it.

Families read the family surveys they are sent and the school self-assessments they rate as members of a
partnership team (tests/surveys/test_self_assessment_languages.py). The languages are settings.LANGUAGES, so a
language added there without translations of these instruments fails here. Only the staff card may stay English
and Spanish.
"""

from __future__ import annotations

import importlib
import json
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from homeroom.languages.models import MachineContent
from homeroom.messaging.models import Delivery, Message
from homeroom.messaging.rendering import render
from homeroom.programs.events import FEEDBACK_INSTRUMENT
from homeroom.surveys import services
from homeroom.surveys.definition import build
from homeroom.surveys.models import Instrument, Response
from homeroom.surveys.results import MIN_GROUP, survey_results
from homeroom.surveys.services import POST_MEETING_INSTRUMENT
from homeroom.surveys.shipped import shipped_files
from tests.languages.standins import LibreTranslateStandIn
from tests.surveys.helpers import CALLBACK, GOOD_ANSWERS, answer_url, invitation_of, lincoln_survey, shipped

FAMILY_FILES = [path for path in shipped_files()
                if json.loads(path.read_text(encoding="utf-8"))["kind"] == "family"]
# A partnership team's family members rate these in the portal.
SELF_ASSESSMENT_FILES = [path for path in shipped_files()
                         if json.loads(path.read_text(encoding="utf-8"))["kind"] == "self_assessment"]
FAMILY_READ_FILES = FAMILY_FILES + SELF_ASSESSMENT_FILES
LANGUAGES = [pytest.param(code, id=code) for code, _name in settings.LANGUAGES]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdif]|\{\w*\}")
# Words a language writes as English does (Vietnamese says "Email").
SAME_AS_ENGLISH = {"Email"}
MIGRATION = "homeroom.surveys.migrations.0003_shipped_instruments_every_language"


def _texts(node, path=""):
    """Every translation object of an instrument, with its path in the file."""
    if isinstance(node, dict):
        if "en" in node and all(isinstance(value, str) for value in node.values()):
            yield path, node
            return
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _texts(value, f"{path}[{n}]")


def test_the_instruments_families_receive_are_the_family_files():
    """The feedback card (programs) and the post-PPT survey (meetings) send these; nothing else goes to families."""
    keys = {json.loads(path.read_text(encoding="utf-8"))["key"] for path in FAMILY_FILES}
    assert keys == {"family-partnership", "post-ppt-feedback"}
    assert {FEEDBACK_INSTRUMENT, POST_MEETING_INSTRUMENT} <= keys


def test_the_self_assessments_families_rate_are_the_self_assessment_files():
    keys = {json.loads(path.read_text(encoding="utf-8"))["key"] for path in SELF_ASSESSMENT_FILES}
    assert keys == {"bridging-differences", "families-as-advocates"}


@pytest.mark.parametrize("path", FAMILY_READ_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("code", LANGUAGES)
def test_every_string_of_a_family_instrument_is_in_every_language(path, code):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert code in data["languages"]
    problems = []
    for where, text in _texts(data):
        english, own = text["en"], text.get(code, "")
        if not own.strip():
            problems.append(f"{where}: no {code}")
        elif code != "en" and own == english and english not in SAME_AS_ENGLISH:
            problems.append(f"{where}: {code} is the English text")
        elif set(PLACEHOLDER.findall(own)) != set(PLACEHOLDER.findall(english)):
            problems.append(f"{where}: placeholders differ")
    assert not problems, "\n".join(problems)
    definition = build(data)
    assert definition.language_for(code) == code
    assert all(len(item.labels) == 4 for item in definition.items if item.type == "rating")


@pytest.mark.parametrize("path", FAMILY_READ_FILES, ids=lambda p: p.stem)
def test_the_database_holds_what_the_file_says(db, path):
    data = json.loads(path.read_text(encoding="utf-8"))
    row = Instrument.objects.get(district=None, key=data["key"], version=data["version"])
    assert row.data == data


@pytest.mark.parametrize("tag, expected", [("vi", "vi"), ("ar", "ar"), ("hat", "ht"), ("zh-CN", "zh-hans"),
                                           ("zh", "zh-hans"), ("por", "pt-br"), ("pt", "pt-br"), ("es-MX", "es"),
                                           ("pl-PL", "pl"), ("zh-TW", None), ("so", None)])
def test_a_roster_language_tag_finds_the_instruments_language(tag, expected):
    path = next(p for p in FAMILY_FILES if p.stem == "family-partnership")
    assert build(json.loads(path.read_text(encoding="utf-8"))).language_for(tag) == expected


def test_the_upgrade_adds_the_languages_in_place_and_keeps_the_answers(world):
    """A district installed before: its shipped rows have English and Spanish only and a survey has answers.
    The data migration updates the same rows (same key and version), so the survey now speaks Vietnamese and
    its results are unchanged."""
    row = shipped("family-partnership")
    old = json.loads(json.dumps(row.data))
    old["languages"] = ["en", "es"]
    for _where, text in _texts(old):
        for code in list(text):
            if code not in ("en", "es"):
                del text[code]
    Instrument.objects.filter(pk=row.pk).update(data=old)
    survey = lincoln_survey(world)
    assert survey.instrument.definition.languages == ("en", "es")
    for _n in range(MIN_GROUP):  # enough answers for results to show them
        services.response_submit(survey=survey, data=GOOD_ANSWERS, language="es", source="link")
    with translation.override("en"):
        before = survey_results(survey)
    assert before.overall.items

    importlib.import_module(MIGRATION).load(apps, None)

    survey.refresh_from_db()
    assert survey.instrument.pk == row.pk and survey.instrument.version == 1
    assert "vi" in survey.instrument.definition.languages
    assert Instrument.objects.filter(district=None, key="family-partnership").count() == 1
    with translation.override("en"):
        after = survey_results(survey)
    assert after.responses == before.responses == MIN_GROUP
    assert _counts(after) == _counts(before) and _counts(after)["welcome-greeted"][3] == MIN_GROUP


def _counts(results):
    return {result.item.key: [bar.count for bar in result.bars] for result in results.overall.items}


# --- a family in its own language ---------------------------------------------------------------------------

FAMILY_PAGES = [
    pytest.param("vi", "Khảo sát về sự hợp tác giữa nhà trường và gia đình", "Hoàn toàn đồng ý", id="vi"),
    pytest.param("ar", "استبيان الشراكة مع الأسر", "أوافق بشدة", id="ar"),
    pytest.param("ht", "Sondaj sou patenarya ak fanmi yo", "Dakò nèt", id="ht"),
]


def _gettext(code: str, msgid: str) -> str:
    with translation.override(code):
        text = translation.gettext(msgid)
    assert text != msgid, f"{msgid!r} has no {code} translation"
    return text


@pytest.mark.parametrize("code, title, strongly_agree", FAMILY_PAGES)
def test_the_invitation_and_the_survey_are_in_the_familys_language(world, client_for, code, title, strongly_agree):
    world.ana.language = code
    world.ana.save(update_fields=["language"])
    survey = lincoln_survey(world)
    services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK)
    invitation = invitation_of(survey, world.sofia)
    assert invitation.language == code

    # The invitation (email and text): written in their language, not machine-translated, not English.
    delivery = Delivery.objects.filter(guardian=world.ana).first()
    assert delivery is not None and delivery.content_language == code
    message = Message.objects.get(pk=delivery.message_id)
    content = message.contents.get(language=code)
    assert content.subject == title
    email = render(message, content, "email", code).text
    assert _gettext(code, "Answer here (no password needed): %(url)s").split("%(")[0].strip() in email
    assert "Answer here" not in email
    assert not MachineContent.objects.filter(content__message=message).exists()
    assert "automatically" not in email and _gettext(code, "Translated automatically. You can reply in your "
                                                           "language.") not in email

    # The page: their language, right-to-left for Arabic, the scale in their words, not marked as machine work.
    client = client_for("anonymous")
    body = client.get(answer_url(invitation)).content.decode()
    rtl = ' dir="rtl"' if code == "ar" else ""
    assert f'<html lang="{code}"{rtl}>' in body
    assert title in body and strongly_agree in body and "Strongly agree" not in body
    assert _gettext(code, "Send my answers") in body
    assert "automatically" not in body.lower()
    assert 'href="?lang=en" lang="en" hreflang="en" dir="ltr"' in body  # they may still switch

    # Answering: saved in their language and thanked in it.
    assert client.post(answer_url(invitation), GOOD_ANSWERS).status_code == 302
    response = Response.objects.get(survey=survey)
    assert (response.language, response.home_language) == (code, code)
    thanks = client.get(answer_url(invitation)).content.decode()
    assert _gettext(code, "Thank you! Your answers have been received.") in thanks


def test_an_english_page_marks_its_arabic_link_right_to_left(world, client_for):
    survey = lincoln_survey(world)
    services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK)
    body = client_for("anonymous").get(answer_url(invitation_of(survey, world.sofia), "en")).content.decode()
    assert '<html lang="en">' in body
    assert 'href="?lang=ar" lang="ar" hreflang="ar" dir="rtl"' in body
    assert "(العربية)" in body and "(Tiếng Việt)" in body


def test_the_portal_page_follows_the_familys_own_language(world, client_for):
    user = world.user("ana")
    user.language = "vi"
    user.save(update_fields=["language"])
    survey = services.survey_create(user=world.user("principal"), instrument=shipped("post-ppt-feedback"),
                                    school=world.lincoln, title="Portal", anonymous=True, in_portal=True)
    body = client_for("ana").get(reverse("surveys:family_answer", args=[survey.pk])).content.decode()
    assert '<html lang="vi">' in body and "Buổi họp diễn ra như thế nào?" in body


def test_machine_translation_is_used_and_said_only_where_no_translation_exists(world, settings):
    """With a translator configured, a Vietnamese family's invitation is Homeroom's own Vietnamese (no notice);
    a Somali family, whose language no instrument has, gets a machine translation that says so."""
    world.ana.language = "vi"
    world.ana.save(update_fields=["language"])
    world.rosa.language = "so"
    world.rosa.save(update_fields=["language"])
    with LibreTranslateStandIn() as standin:
        settings.MESSAGING_TRANSLATION_PROVIDER = "libretranslate"
        settings.MESSAGING_TRANSLATION_URL = standin.url
        settings.MESSAGING_TRANSLATION_API_KEY = ""
        survey = lincoln_survey(world)
        services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK)
        targets = {request["json"].get("target") for request in standin.requests}
    assert "vi" not in targets and "so" in targets
    ana = Delivery.objects.filter(guardian=world.ana).first()
    rosa = Delivery.objects.filter(guardian=world.rosa).first()
    assert ana is not None and ana.content_language == "vi" and rosa is not None and rosa.content_language == "so"
    assert not MachineContent.objects.filter(content__message_id=ana.message_id).exists()
    assert MachineContent.objects.filter(content__message_id=rosa.message_id, content__language="so").exists()
