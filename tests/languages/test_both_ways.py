"""Language access both ways: families are told a text was machine-translated (briefly by text, in full by email
and in the portal) and invited to reply in their language; what they write reaches staff translated, with the
original; staff answers go back in the family's language; reports count families by their own language."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from homeroom.core.models import OutboxEntry
from homeroom.languages.models import AnswerTranslation, Translation
from homeroom.languages.notices import notices_for
from homeroom.messaging import services
from homeroom.messaging.models import ConversationEntry, Delivery
from homeroom.portal.models import ChildProfile, Feedback
from homeroom.roster.models import Guardian
from tests.messaging.helpers import EN, ES, compose
from tests.messaging.html_tables import html_table

pytestmark = pytest.mark.django_db

SHORT_EN = "Translated automatically. You can reply in your language."
# Kreyòl has its own catalogue: the notices come from it (a language without one gets them machine-translated).
SHORT_HT = "Tradiksyon otomatik. Ou ka reponn nan lang ou."
LONG_HT = "Se yon òdinatè ki tradui mesaj sa a otomatikman"


def _send_to_class(world, capture, contents=None, **extra):
    message = compose(world, "teacher", audience={"kind": "sections", "sections": [world.section_5a.pk]},
                      contents=contents or [EN, ES], **extra)
    with capture(execute=True):
        services.message_send(message=message, user=world.user("teacher"), acknowledged=[])
    return message


def test_families_see_the_text_was_machine_translated_briefly_by_text_and_in_full_by_email(
        world, haitian, libretranslate, django_capture_on_commit_callbacks):
    Guardian.objects.filter(pk=haitian.marie.pk).update(channel_order=["sms"])
    Guardian.objects.filter(pk=haitian.joseph.pk).update(channel_order=["email"])
    _send_to_class(world, django_capture_on_commit_callbacks)
    text = OutboxEntry.objects.get(channel="sms", to=haitian.marie.mobile_phone).body
    email = OutboxEntry.objects.get(channel="email", to=haitian.joseph.email)
    assert "[ht] School is closed tomorrow." in text and text.endswith(SHORT_HT)
    assert LONG_HT in email.body and SHORT_HT not in email.body
    # Staff-written texts carry no such notice.
    ana_email = OutboxEntry.objects.filter(to=world.ana.email).first() or OutboxEntry.objects.get(
        to=world.ana.mobile_phone)
    assert "translated automatically" not in ana_email.body.lower()


def test_the_portal_copy_shows_the_notice(world, haitian, libretranslate, client_for,
                                          django_capture_on_commit_callbacks):
    message = _send_to_class(world, django_capture_on_commit_callbacks)
    page = client_for_guardian(haitian.marie, client_for).get(reverse("portal:message", args=[message.pk]), follow=True)
    body = page.content.decode()
    assert "[ht] School is closed tomorrow." in body
    assert LONG_HT in body


def client_for_guardian(guardian, _client_for):
    from django.test import Client

    client = Client()
    client.force_login(guardian.user)
    return client


def test_a_spanish_family_reads_the_notice_from_homerooms_own_catalogue(world, libretranslate):
    short, _long = notices_for("es-MX")
    with translation.override("es"):
        from django.utils.translation import gettext

        assert short == gettext(SHORT_EN) and short != SHORT_EN
    assert libretranslate.requests == []  # nothing to translate: the catalogue has it
    assert notices_for("ht")[0] == SHORT_HT and libretranslate.requests == []
    # Somali ships no catalogue: its notice is machine-translated (once, then cached).
    assert "[so]" in notices_for("so")[0] and len(libretranslate.requests) > 0


def test_a_family_reply_is_translated_in_the_background_and_shown_with_the_original(
        world, haitian, libretranslate, client_for, django_capture_on_commit_callbacks):
    message = _send_to_class(world, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.filter(message=message, guardian=haitian.marie).exclude(state="skipped").first()
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.conversation_record_inbound(guardian=haitian.marie, channel="email",
                                                     body="Mèsi, n ap la demen.", delivery=delivery)
    # Translated as it arrived, into both staff languages, before anyone opened it.
    assert set(Translation.objects.filter(source_language="ht", target_language__in=["en", "es"])
               .values_list("target_language", flat=True)) == {"en", "es"}
    asked = len(libretranslate.requests)
    page = client_for("teacher").get(reverse("messaging:conversation", args=[entry.conversation_id])).content.decode()
    assert "Mèsi, n ap la demen." in page  # the original stays
    assert "Machine translation:</strong> [en] Mèsi, n ap la demen." in page
    assert len(libretranslate.requests) == asked  # read from the cache


def test_without_machine_translation_replies_are_shown_as_written(world, haitian, client_for,
                                                                 django_capture_on_commit_callbacks):
    message = compose(world, "teacher", audience={"kind": "sections", "sections": [world.section_5a.pk]})
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(message=message, user=world.user("teacher"), acknowledged=["ht"])
    entry = services.conversation_record_inbound(guardian=haitian.marie, channel="sms", body="Mèsi")
    page = client_for("teacher").get(reverse("messaging:conversation", args=[entry.conversation_id])).content.decode()
    assert "Mèsi" in page and "Machine translation" not in page


def test_a_staff_answer_goes_back_in_the_familys_language_and_the_original_is_kept(
        world, haitian, libretranslate, client_for, django_capture_on_commit_callbacks):
    message = _send_to_class(world, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.filter(message=message, guardian=haitian.marie).exclude(state="skipped").first()
    inbound = services.conversation_record_inbound(guardian=haitian.marie, channel="email", body="Ki lè?",
                                                   delivery=delivery)
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.conversation_reply(conversation=inbound.conversation, author_user=world.teacher.user,
                                             body="At 8 in the morning.")
    record = AnswerTranslation.objects.get(entry=answer)
    assert (record.original, record.original_language, record.language) == ("At 8 in the morning.", "en", "ht")
    assert answer.body.startswith("[ht] At 8 in the morning.")
    sent = Delivery.objects.get(pk=answer.delivery_id)
    assert sent.content_language == "ht"
    email = OutboxEntry.objects.filter(channel="email", to=haitian.marie.email).order_by("pk").last()
    assert "[ht] At 8 in the morning." in email.body and LONG_HT in email.body
    page = client_for("teacher").get(reverse("messaging:conversation", args=[inbound.conversation_id])).content.decode()
    assert "Sent to the family in Haitian Creole by machine translation. You wrote:" in page
    assert "At 8 in the morning." in page


def test_an_answer_in_the_familys_own_language_is_not_translated(world, libretranslate,
                                                                django_capture_on_commit_callbacks):
    from homeroom.messaging.models import Conversation

    conversation = Conversation.objects.create(district=world.district, school=world.lincoln, guardian=world.paul,
                                               staff=world.principal, subject="Hi", last_entry_at="2026-01-01T00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.conversation_reply(conversation=conversation, author_user=world.principal.user,
                                             body="See you Friday.")
    assert answer.body == "See you Friday." and not AnswerTranslation.objects.exists()
    assert libretranslate.requests == []


def test_getting_to_know_my_child_and_feedback_are_translated_for_staff_on_first_view(
        world, haitian, libretranslate, client_for):
    ChildProfile.objects.create(student=haitian.jean, strengths="Li renmen li liv.", updated_by=haitian.marie.user)
    Feedback.objects.create(district=world.district, school=world.lincoln, guardian=haitian.marie,
                            body="Lekòl la bon anpil.", language="ht")
    student_page = client_for("teacher").get(reverse("roster:student", args=[haitian.jean.pk])).content.decode()
    assert "Li renmen li liv." in student_page and "[en] Li renmen li liv." in student_page
    feedback = client_for("principal").get(reverse("portal:feedback_list")).content.decode()
    assert "Lekòl la bon anpil." in feedback and "[en] Lekòl la bon anpil." in feedback
    asked = len(libretranslate.requests)
    client_for("teacher").get(reverse("roster:student", args=[haitian.jean.pk]))
    assert len(libretranslate.requests) == asked  # kept: the second view asks nothing


def test_a_spanish_reading_staff_member_reads_the_translation_in_spanish(world, haitian, libretranslate, client_for):
    Feedback.objects.create(district=world.district, school=world.lincoln, guardian=haitian.marie,
                            body="Lekòl la bon anpil.", language="ht")
    world.principal.user.language = "es"
    world.principal.user.save(update_fields=["language"])
    page = client_for("principal").get(reverse("portal:feedback_list")).content.decode()
    assert "[es] Lekòl la bon anpil." in page


def test_the_report_counts_families_by_their_own_language_and_what_they_received(
        world, haitian, client_for, django_capture_on_commit_callbacks):
    message = compose(world, "teacher", audience={"kind": "sections", "sections": [world.section_5a.pk]},
                      contents=[EN, ES])
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(message=message, user=world.user("teacher"), acknowledged=["ht"])
    page = client_for("teacher").get(reverse("messaging:report", args=[message.pk])).content.decode()
    rows = html_table(page, "report-home-languages").body
    cells = [[text for _tag, text, _scope in row] for row in rows]
    assert ["Haitian Creole", "English", "1"] in cells and ["Spanish", "Spanish", "2"] in cells
    assert "Sent in English to 1 family who reads Haitian Creole: agreed by Elena Rivera" in page
    assert "m..<" not in page  # the time ends the line: "… on 12/04/2026 6:14 p.m.", not "p.m.."
    response = client_for("teacher").get(reverse("messaging:report_csv", args=[message.pk]))
    header, *lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    home, received = header.index("Home language"), header.index("Received in")
    marie = [line for line in lines if line[0] == str(haitian.marie.pk)]
    assert marie and all((line[home], line[received]) == ("Haitian Creole", "English") for line in marie)


def test_the_report_lists_by_name_each_family_member_sent_another_language(
        world, haitian, client_for, django_capture_on_commit_callbacks):
    message = compose(world, "teacher", audience={"kind": "sections", "sections": [world.section_5a.pk]},
                      contents=[EN, ES])
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(message=message, user=world.user("teacher"), acknowledged=["ht"])
    page = client_for("teacher").get(reverse("messaging:report", args=[message.pk])).content.decode()
    rows = [[text for _tag, text, _scope in row] for row in html_table(page, "report-fallback").body]
    assert [str(haitian.marie), "Haitian Creole", "English"] in rows
    assert not [row for row in rows if row[1] == "Spanish"]  # the Spanish families got Spanish


def test_the_report_marks_machine_translations(world, haitian, libretranslate, client_for,
                                               django_capture_on_commit_callbacks):
    message = _send_to_class(world, django_capture_on_commit_callbacks)
    page = client_for("teacher").get(reverse("messaging:report", args=[message.pk])).content.decode()
    cells = [[text for _tag, text, _scope in row] for row in html_table(page, "report-home-languages").body]
    assert ["Haitian Creole", "Haitian Creole (machine translation)", "1"] in cells
    assert "report-fallback" not in page  # nobody got another language


def test_a_family_whose_deliveries_were_all_skipped_counts_as_nothing_sent(world, haitian, client_for,
                                                                          django_capture_on_commit_callbacks):
    Guardian.objects.filter(pk__in=[haitian.marie.pk, haitian.joseph.pk]).update(email="", mobile_phone="",
                                                                                channel_order=["email", "sms"])
    message = compose(world, "teacher", audience={"kind": "sections", "sections": [world.section_5a.pk]})
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(message=message, user=world.user("teacher"), acknowledged=["ht"])
    page = client_for("teacher").get(reverse("messaging:report", args=[message.pk])).content.decode()
    cells = [[text for _tag, text, _scope in row] for row in html_table(page, "report-home-languages").body]
    assert ["Haitian Creole", "Nothing sent", "1"] in cells
    assert ConversationEntry.objects.count() == 0
