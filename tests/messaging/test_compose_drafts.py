"""Drafts: saved, edited after preview, refusals on the preview before Send is enabled; counters and call script."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from homeroom.messaging.models import Message
from tests import factories as f
from tests.messaging.helpers import EN, ES, compose

pytestmark = pytest.mark.django_db


def _class_draft(world, **extra):
    return compose(world, "teacher", audience={"kind": "sections", "sections": [world.section_5a.pk]},
                   contents=[EN, ES], **extra)


def _post_fields(world, **extra):
    return {"pick": [f"section:{world.section_5a.pk}"], "category": "news", "callback_name": "Ms. Rivera",
            "callback_phone": "+12035550100", "subject_en": "Field trip", "body_en": "We go to the museum.",
            "subject_es": "Excursión", "body_es": "Vamos al museo.", "do_preview": "1", **extra}


def test_edit_after_preview_prefills_the_draft_and_saves_it_back(world, client_for):
    message = _class_draft(world)
    client = client_for("teacher")
    preview = client.get(reverse("messaging:preview", args=[message.pk])).content.decode()
    assert f'href="/messaging/{message.pk}/edit/"' in preview
    page = client.get(reverse("messaging:edit", args=[message.pk]))
    form = page.context["form"]
    assert form.initial["body_en"] == EN.body and form.initial["pick"] == [f"section:{world.section_5a.pk}"]
    response = client.post(reverse("messaging:edit", args=[message.pk]),
                            _post_fields(world, body_en="We go to the science museum.", subject_es="", body_es=""))
    assert response.status_code == 302 and response["Location"] == reverse("messaging:preview", args=[message.pk])
    message.refresh_from_db()
    assert Message.objects.count() == 1 and message.status == "draft"
    assert list(message.contents.values_list("language", "body")) == [("en", "We go to the science museum.")]
    preview = client.get(reverse("messaging:preview", args=[message.pk])).content.decode()
    assert "We go to the science museum." in preview


def test_a_sent_message_cannot_be_edited(world, client_for, django_capture_on_commit_callbacks):
    from homeroom.messaging import services

    message = _class_draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(message=message, user=world.user("teacher"), acknowledged=[])
    response = client_for("teacher").post(reverse("messaging:edit", args=[message.pk]), _post_fields(world))
    assert response.status_code == 302 and response["Location"].endswith("/report/")
    message.refresh_from_db()
    assert message.contents.get(language="en").body == EN.body


def test_another_teacher_cannot_open_the_draft(world, client_for):
    message = _class_draft(world)
    assert client_for("other_teacher").get(reverse("messaging:edit", args=[message.pk])).status_code == 404


def test_missing_translation_acknowledgement_is_shown_before_send_and_send_is_disabled(world, client_for):
    jean = f.StudentFactory(district=world.district, school=world.lincoln, given_name="Jean", family_name="Pierre")
    f.EnrollmentFactory(section=world.section_5a, student=jean)
    marie = f.GuardianFactory(district=world.district, given_name="Marie", family_name="Pierre", language="ht",
                              email="marie@family.example")
    f.StudentGuardianFactory(student=jean, guardian=marie, relationship="mother")
    message = _class_draft(world)
    client = client_for("teacher")
    page = client.get(reverse("messaging:preview", args=[message.pk])).content.decode()
    assert 'id="send-error"' in page and "Haitian Creole" in page
    assert '<button type="submit" class="button" id="send-button" disabled' in page
    page = client.post(reverse("messaging:preview", args=[message.pk]), {"send_anyway": ["ht"]}).content.decode()
    assert 'id="send-error"' not in page
    assert '<input type="hidden" name="send_anyway" value="ht">' in page
    assert '<button type="submit" class="button" id="send-button">' in page
    message.refresh_from_db()
    assert message.status == "draft" and not message.fallback_acks.exists()


def test_audience_no_longer_allowed_is_shown_before_send(world, client_for):
    message = _class_draft(world)
    world.section_5a.is_active = False
    world.section_5a.save()
    page = client_for("teacher").get(reverse("messaging:preview", args=[message.pk])).content.decode()
    assert 'id="send-refusals"' in page and "your own classes" in page
    assert 'id="send-button" disabled' in page


def test_preview_shows_the_text_counter_per_language_and_the_call_script(world, client_for):
    message = compose(world, "teacher", audience={"kind": "sections", "sections": [world.section_5a.pk]},
                      contents=[EN, ES])
    page = client_for("teacher").get(reverse("messaging:preview", args=[message.pk])).content.decode()
    # "está" and "mañana": á is outside GSM-7, so the Spanish version is Unicode.
    assert 'id="text-counter-es"' in page and "Unicode: 70 characters per text" in page
    assert 'id="text-counter-en"' in page and "standard: 160 characters per text" in page
    assert 'id="call-script-es"' in page and "Escuela cerrada. La escuela está cerrada mañana." in page


def test_live_counter_endpoint_counts_what_is_typed(world, client_for):
    response = client_for("teacher").post(reverse("messaging:counter"), {
        "callback_name": "Ms. Rivera", "callback_phone": "+12035550100", "subject_en": "Hi", "body_en": "x" * 200})
    assert "2 text messages" in response.content.decode()


def test_scheduled_time_is_read_on_the_district_clock_and_shown_in_words(world, client_for):
    tomorrow = (timezone.now().astimezone(dt.timezone(dt.timedelta(hours=-5))) + dt.timedelta(days=1)).date()
    response = client_for("teacher").post("/messaging/new/", _post_fields(
        world, scheduled_for=f"{tomorrow.isoformat()}T07:00"))
    assert response.status_code == 302
    message = Message.objects.get()
    local = message.scheduled_for.astimezone(dt.UTC)
    assert local.hour in (11, 12)  # 7:00 am in New York is 11:00 or 12:00 UTC
    page = client_for("teacher").get(response["Location"]).content.decode()
    assert "at 7:00 am" in page
