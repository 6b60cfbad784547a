"""No silent English: the audience by home language for every audience kind, the sender's acknowledgement before
families get another language, machine translation when configured, urgent messages at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeroom.languages.access import families_by_language
from homeroom.languages.models import FallbackAcknowledgement, MachineContent, Translation
from homeroom.messaging import services
from homeroom.messaging.compose.saved_lists import saved_list_create
from homeroom.messaging.models import Delivery, Message
from tests.messaging.helpers import EN, ES, compose
from tests.messaging.html_tables import html_table

pytestmark = pytest.mark.django_db


def test_every_audience_kind_counts_families_by_home_language(world, haitian):
    """Jean's parents share a household: one Haitian Creole family. Luis (no rights) is never counted."""
    saved = saved_list_create(owner_id=world.teacher.pk, name="Jean", students=[haitian.jean])
    cases = [
        ("teacher", {"kind": "family", "students": [haitian.jean.pk]}, {"ht": 1}),
        ("teacher", {"kind": "sections", "sections": [world.section_5a.pk]}, {"es": 2, "ht": 1}),
        ("case_manager", {"kind": "caseload"}, {"es": 1, "ht": 1}),
        ("principal", {"kind": "schools", "schools": [world.lincoln.pk]}, {"es": 2, "ht": 1}),
        ("principal", {"kind": "grades", "schools": [world.lincoln.pk], "grades": ["5"]}, {"es": 2, "ht": 1}),
        ("admin", {"kind": "district"}, {"es": 2, "ht": 1, "en": 1}),
        ("teacher", {"kind": "list", "lists": [saved.pk]}, {"ht": 1}),
    ]
    for actor, audience, expected in cases:
        assert families_by_language(world.user(actor), audience) == expected, audience["kind"]


@pytest.mark.parametrize(("actor", "audience"), [
    ("teacher", "family"), ("teacher", "sections"), ("case_manager", "caseload"), ("principal", "schools"),
    ("principal", "grades"), ("admin", "district"), ("teacher", "list"),
])
def test_preview_shows_the_audience_by_home_language_for_every_kind(world, haitian, client_for, actor, audience):
    description = {
        "family": {"kind": "family", "students": [haitian.jean.pk]},
        "sections": {"kind": "sections", "sections": [world.section_5a.pk]},
        "caseload": {"kind": "caseload"},
        "schools": {"kind": "schools", "schools": [world.lincoln.pk]},
        "grades": {"kind": "grades", "schools": [world.lincoln.pk], "grades": ["5"]},
        "district": {"kind": "district"},
        "list": {"kind": "list",
                 "lists": [saved_list_create(owner_id=world.teacher.pk, name="J", students=[haitian.jean]).pk]},
    }[audience]
    message = compose(world, actor, audience=description, contents=[EN, ES])
    page = client_for(actor).get(reverse("messaging:preview", args=[message.pk])).content.decode()
    rows = html_table(page, "audience-languages").rows
    assert rows["Haitian Creole"] == ["1", "English instead (no Haitian Creole text)"]
    if audience not in ("family", "list"):
        assert rows["Spanish"][1] == "Spanish, as written"
    assert "Send in English to 1 family who reads Haitian Creole" in page


def test_compose_check_shows_languages_before_the_message_exists(world, haitian, client_for):
    response = client_for("teacher").post(reverse("messaging:compose"), {
        "category": "news", "audience_kind": "sections", "sections": [world.section_5a.pk],
        "callback_name": "Ms. Rivera", "callback_phone": "+12035550100",
        "subject_es": "Excursión", "body_es": "El viernes vamos al museo.", "check_languages": "1",
    })
    rows = html_table(response.content.decode(), "audience-languages").rows
    assert rows == {"Spanish": ["2", "Spanish, as written"],  # only Spanish written: it is what Marie would get
                    "Haitian Creole": ["1", "Spanish instead (no Haitian Creole text)"]}
    assert not Message.objects.exists()  # checking writes nothing


def _class_message(world, **extra):
    return compose(world, "teacher", audience={"kind": "sections", "sections": [world.section_5a.pk]},
                   contents=[EN, ES], **extra)


def test_sending_without_the_acknowledgement_is_refused_before_anything_goes_out(world, haitian, client_for):
    message = _class_message(world)
    response = client_for("teacher").post(reverse("messaging:send", args=[message.pk]))
    assert response.status_code == 200  # the preview again, with the reason beside the boxes to tick
    page = response.content.decode()
    assert 'id="send-error"' in page and 'name="send_anyway" value="ht"' in page
    assert ("1 family reads Haitian Creole and there is no Haitian Creole text: tick “Send in English to 1 family "
            "who reads Haitian Creole”") in page
    message.refresh_from_db()
    assert message.status == "draft" and not Delivery.objects.exists()
    assert not FallbackAcknowledgement.objects.exists()


def test_the_acknowledgement_is_recorded_and_the_message_goes_out(world, haitian, client_for,
                                                                  django_capture_on_commit_callbacks):
    message = _class_message(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("teacher").post(reverse("messaging:send", args=[message.pk]),
                                              {"send_anyway": ["ht"]})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status in ("sending", "sent")
    ack = FallbackAcknowledgement.objects.get(message=message)
    assert (ack.language, ack.sent_in, ack.families, ack.acknowledged_by) == ("ht", "en", 1, world.teacher.user)
    assert ack.acknowledged_at is not None
    marie = Delivery.objects.filter(message=message, guardian=haitian.marie).exclude(state="skipped").first()
    assert marie is not None and (marie.language, marie.content_language) == ("ht", "en")


def test_a_service_message_language_check_raises_message_error(world, haitian):
    with pytest.raises(services.MessageError):
        services.message_send(message=_class_message(world), user=world.user("teacher"), acknowledged=[])
    # The system's own messages (acknowledged=None) are not refused; their report lists the fallback.
    assert services.message_send(message=_class_message(world), user=world.user("teacher")).status != "draft"


def test_urgent_messages_go_out_at_once_and_the_report_lists_who_got_a_fallback(world, haitian, client_for,
                                                                              django_capture_on_commit_callbacks):
    message = _class_message(world, category="urgent")
    page = client_for("teacher").get(reverse("messaging:preview", args=[message.pk])).content.decode()
    assert "Urgent messages go out at once" in page and 'name="send_anyway"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        client_for("teacher").post(reverse("messaging:send", args=[message.pk]))
    message.refresh_from_db()
    assert message.status in ("sending", "sent") and not FallbackAcknowledgement.objects.exists()
    report = client_for("teacher").get(reverse("messaging:report", args=[message.pk])).content.decode()
    fallback = html_table(report, "report-fallback").rows
    assert fallback == {str(haitian.marie): ["Haitian Creole", "English"],
                        str(haitian.joseph): ["Haitian Creole", "English"]}


def test_with_machine_translation_missing_languages_are_translated_once_and_marked(world, haitian, client_for,
                                                                                 libretranslate):
    message = _class_message(world)
    page = client_for("teacher").get(reverse("messaging:preview", args=[message.pk])).content.decode()
    assert html_table(page, "audience-languages").rows["Haitian Creole"] == [
        "1", "Haitian Creole, machine translation"]
    assert 'name="send_anyway"' not in page and "[ht] School is closed tomorrow." in page
    client_for("teacher").get(reverse("messaging:preview", args=[message.pk]))  # again: from the cache
    assert libretranslate.texts.count("School is closed tomorrow.") == 1
    content = message.contents.get(language="ht")
    auto = MachineContent.objects.get(content=content)
    assert auto.provider == "libretranslate" and auto.source_language == "en"
    assert auto.notice_short == "Tradiksyon otomatik. Ou ka reponn nan lang ou."  # from the Kreyòl catalogue
    services.message_send(message=message, user=world.user("teacher"), acknowledged=[])
    assert Delivery.objects.get(message=message, guardian=haitian.marie).content_language == "ht"
    assert Translation.objects.filter(target_language="ht").count() == 2  # subject and body; the notices are ours


def test_a_failing_translation_service_falls_back_to_the_acknowledgement(world, haitian, client_for, libretranslate):
    libretranslate.status = 429
    message = _class_message(world)
    page = client_for("teacher").get(reverse("messaging:preview", args=[message.pk])).content.decode()
    row = html_table(page, "audience-languages").rows["Haitian Creole"]
    assert row[1].startswith("English instead (no Haitian Creole text)") and "quota" in row[1]
    with pytest.raises(services.MessageError):
        services.message_send(message=message, user=world.user("teacher"), acknowledged=[])
    assert services.message_send(message=message, user=world.user("teacher"), acknowledged=["ht"]).status != "draft"


def test_urgent_messages_are_not_held_for_machine_translation(world, haitian, libretranslate):
    message = _class_message(world, category="urgent")
    services.message_send(message=message, user=world.user("teacher"), acknowledged=[])
    assert libretranslate.requests == [] and not message.contents.filter(language="ht").exists()


def test_a_machine_translation_does_not_stand_in_for_the_spanish_a_school_wide_message_needs(
        world, haitian, client_for, libretranslate):
    message = compose(world, contents=[EN])  # the principal, to all of Lincoln
    client_for("principal").get(reverse("messaging:preview", args=[message.pk]))
    assert message.contents.filter(language="es", auto_translation__isnull=False).exists()
    with pytest.raises(services.MessageError, match="English and Spanish"):
        services.message_send(message=message, user=world.user("principal"), acknowledged=[])


def test_a_scheduled_message_is_translated_for_families_who_joined_since(world, haitian, libretranslate):
    import datetime as dt

    from django.utils import timezone

    from tests import factories as f

    later = timezone.now() + dt.timedelta(hours=2)
    message = _class_message(world, scheduled_for=later)
    services.message_send(message=message, user=world.user("teacher"), acknowledged=[])
    assert Message.objects.get(pk=message.pk).status == "scheduled"
    assert message.contents.filter(language="ht").exists() and not message.contents.filter(language="vi").exists()
    minh = f.StudentFactory(district=world.district, school=world.lincoln, given_name="Minh", family_name="Tran")
    f.EnrollmentFactory(section=world.section_5a, student=minh)
    f.StudentGuardianFactory(student=minh, guardian=f.GuardianFactory(district=world.district, language="vi"))
    services.message_dispatch(message_id=message.pk, now=later)
    assert message.contents.get(language="vi").auto_translation.provider == "libretranslate"
    assert Delivery.objects.filter(message=message, language="vi", content_language="vi").exists()


def test_a_language_the_roster_spells_two_ways_is_one_line_and_reads_its_own_text(world, haitian):
    """Marie's household reads 'ht'; another 5A family's roster row says 'hat' (ISO 639-3), a third 'English'.
    The preview shows one Haitian Creole line of two families, reading the Kreyòl text planning would send them,
    and one English line."""
    from homeroom.languages.access import language_lines
    from tests import factories as f

    for language in ("hat", "English"):
        student = f.StudentFactory(district=world.district, school=world.lincoln, grade="05")
        f.EnrollmentFactory(section=world.section_5a, student=student)
        f.StudentGuardianFactory(student=student, guardian=f.GuardianFactory(district=world.district,
                                                                             language=language))
    counts = families_by_language(world.user("teacher"), {"kind": "sections", "sections": [world.section_5a.pk]})
    assert counts == {"es": 2, "ht": 2, "en": 1}
    lines = {line.language: line for line in language_lines(counts, available={"en", "ht"}, category="news")}
    assert (lines["ht"].families, lines["ht"].receives, lines["ht"].needs_acknowledgement) == (2, "ht", False)
    assert lines["es"].needs_acknowledgement  # no Spanish text: Spanish still needs the sender's tick
