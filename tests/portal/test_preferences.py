"""Preferences: language, channels, consent with its source and time, and contact corrections."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from homeroom.roster.models import Guardian

FORM = {
    "language": "es",
    "channel_1": "email",
    "channel_2": "sms",
    "channel_3": "portal",
    "channel_4": "voice",
    "update_frequency": "weekly",
    "best_time": "Después de las 5",
    "sms": "yes",
    "voice": "no",
    "email": "ana@family.example",
    "mobile_phone": "(203) 555-0142",
    "home_phone": "",
    "work_phone": "",
}


def _save(client_for, actor="ana", **changes):
    return client_for(actor).post(reverse("portal:preferences"), {**FORM, **changes})


def test_preferences_save_channel_order_and_frequency(world, client_for):
    assert _save(client_for).status_code == 302
    ana = Guardian.objects.get(pk=world.ana.pk)
    assert ana.channel_order == ["email", "sms", "portal", "voice"]
    assert ana.update_frequency == "weekly"


def test_language_choice_sets_guardian_and_account_language(world, client_for):
    _save(client_for, language="en")
    world.ana.refresh_from_db()
    world.ana.user.refresh_from_db()
    assert world.ana.language == "en"
    assert world.ana.user.language == "en"


def test_language_choice_takes_effect_on_the_next_page(world, client_for):
    client = client_for("ana")
    client.post(reverse("portal:preferences"), {**FORM, "language": "en"})
    assert "My family" in client.get(reverse("portal:home")).content.decode()


def test_sms_opt_in_records_portal_as_consent_source_with_time(world, client_for):
    _save(client_for)
    ana = Guardian.objects.get(pk=world.ana.pk)
    assert ana.sms_consent_source == "portal"
    assert ana.sms_consent_at is not None
    assert ana.sms_opted_out_at is None


def test_saving_again_keeps_the_original_consent_time(world, client_for):
    _save(client_for)
    first = Guardian.objects.get(pk=world.ana.pk).sms_consent_at
    _save(client_for, best_time="Mornings")
    assert Guardian.objects.get(pk=world.ana.pk).sms_consent_at == first


def test_sms_opt_out_is_recorded(world, client_for):
    _save(client_for)
    _save(client_for, sms="no")
    assert Guardian.objects.get(pk=world.ana.pk).sms_opted_out_at is not None


def test_voice_opt_in_after_opt_out_clears_the_opt_out(world, client_for):
    Guardian.objects.filter(pk=world.ana.pk).update(voice_opted_out_at=timezone.now())
    _save(client_for, voice="yes")
    ana = Guardian.objects.get(pk=world.ana.pk)
    assert ana.voice_opted_out_at is None
    assert ana.voice_consent_source == "portal"


def test_phone_is_stored_as_e164(world, client_for):
    _save(client_for)
    assert Guardian.objects.get(pk=world.ana.pk).mobile_phone == "+12035550142"


def test_correcting_a_bad_phone_clears_the_bad_mark(world, client_for):
    Guardian.objects.filter(pk=world.ana.pk).update(mobile_phone_bad_at=timezone.now())
    _save(client_for, mobile_phone="203 555 0199")
    assert Guardian.objects.get(pk=world.ana.pk).mobile_phone_bad_at is None


def test_correcting_a_bad_email_clears_the_bad_mark(world, client_for):
    Guardian.objects.filter(pk=world.ana.pk).update(email_bad_at=timezone.now())
    _save(client_for, email="ana.garcia@family.example")
    ana = Guardian.objects.get(pk=world.ana.pk)
    assert ana.email == "ana.garcia@family.example"
    assert ana.email_bad_at is None


def test_unchanged_bad_email_keeps_its_mark(world, client_for):
    Guardian.objects.filter(pk=world.ana.pk).update(email_bad_at=timezone.now())
    _save(client_for)
    assert Guardian.objects.get(pk=world.ana.pk).email_bad_at is not None


@pytest.mark.parametrize("number", ["12", "not a phone", "+1 000 000 0000"])
def test_invalid_phone_is_refused(world, client_for, number):
    response = _save(client_for, mobile_phone=number)
    assert response.status_code == 200
    assert Guardian.objects.get(pk=world.ana.pk).mobile_phone == world.ana.mobile_phone


def test_each_channel_may_be_chosen_only_once(world, client_for):
    response = _save(client_for, channel_2="email")
    assert response.status_code == 200
    assert Guardian.objects.get(pk=world.ana.pk).channel_order != ["email", "email", "portal", "voice"]


def test_text_messages_need_a_mobile_number(world, client_for):
    assert _save(client_for, mobile_phone="").status_code == 200


def test_preferences_page_shows_the_sms_legal_wording(world, client_for):
    body = client_for("paul").get(reverse("portal:preferences")).content.decode()
    assert "Reply STOP" in body
    assert "Message and data rates may apply" in body


def test_preferences_page_marks_a_bad_email(world, client_for):
    Guardian.objects.filter(pk=world.paul.pk).update(email_bad_at=timezone.now())
    body = client_for("paul").get(reverse("portal:preferences")).content.decode()
    assert "Email did not arrive" in body


def test_a_guardian_changes_only_their_own_preferences(world, client_for):
    _save(client_for, actor="paul", email="paul.new@family.example")
    assert Guardian.objects.get(pk=world.ana.pk).email == "ana@family.example"
    assert Guardian.objects.get(pk=world.paul.pk).email == "paul.new@family.example"
