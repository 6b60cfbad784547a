"""Preferences: language, channels, consent with its source and time, and contact corrections."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from homeroom.roster import reachability
from homeroom.roster.models import ConsentChange, ConsentChoice, Guardian

FORM = {
    "language": "es",
    "channel_1": "email",
    "channel_2": "sms",
    "channel_3": "portal",
    "channel_4": "voice",
    "update_frequency": "weekly",
    "best_time": "Después de las 5",
    "consent_sms_news": "given",
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


def test_a_yes_for_texts_is_recorded_for_that_category_with_portal_time_and_author(world, client_for):
    _save(client_for)
    change = ConsentChange.objects.get(guardian=world.ana)
    assert (change.channel, change.category, change.state, change.via) == ("sms", "news", "given", "portal")
    assert change.by == world.ana.user and change.at is not None
    assert ConsentChoice.objects.get(guardian=world.ana, channel="sms", category="news").given


def test_saving_again_adds_no_second_ledger_row(world, client_for):
    _save(client_for)
    _save(client_for, best_time="Mornings", consent_sms_news="given")
    assert ConsentChange.objects.filter(guardian=world.ana).count() == 1


def test_a_no_for_texts_is_recorded(world, client_for):
    _save(client_for)
    _save(client_for, consent_sms_news="refused")
    assert not ConsentChoice.objects.get(guardian=world.ana, channel="sms", category="news").given


def test_a_yes_for_calls_after_an_opt_out_lifts_it_for_that_category_only(world, client_for):
    Guardian.objects.filter(pk=world.ana.pk).update(voice_opted_out_at=timezone.now())
    _save(client_for, consent_voice_reminder="given")
    ana = Guardian.objects.get(pk=world.ana.pk)
    states = reachability.consent_states(ana)
    assert states[("voice", "reminder")] == "given"
    assert states[("voice", "news")] == "refused"  # the opt-out still holds for what the family did not touch


def test_phone_is_stored_as_e164(world, client_for):
    _save(client_for)
    assert Guardian.objects.get(pk=world.ana.pk).mobile_phone == "+12035550142"


def test_correcting_a_bad_phone_clears_the_bad_mark(world, client_for):
    reachability.mark_field_bad(world.ana, "mobile_phone")
    _save(client_for, mobile_phone="203 555 0199")
    assert not reachability.is_marked(Guardian.objects.get(pk=world.ana.pk), "mobile_phone")


def test_correcting_a_bad_email_clears_the_bad_mark(world, client_for):
    reachability.mark_field_bad(world.ana, "email")
    _save(client_for, email="ana.garcia@family.example")
    ana = Guardian.objects.get(pk=world.ana.pk)
    assert ana.email == "ana.garcia@family.example"
    assert not reachability.is_marked(ana, "email")


def test_unchanged_bad_email_keeps_its_mark(world, client_for):
    reachability.mark_field_bad(world.ana, "email")
    _save(client_for)
    assert reachability.is_marked(Guardian.objects.get(pk=world.ana.pk), "email")


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
    reachability.mark_field_bad(world.paul, "email")
    body = client_for("paul").get(reverse("portal:preferences")).content.decode()
    assert "Email did not arrive" in body


def test_a_guardian_changes_only_their_own_preferences(world, client_for):
    _save(client_for, actor="paul", email="paul.new@family.example")
    assert Guardian.objects.get(pk=world.ana.pk).email == "ana@family.example"
    assert Guardian.objects.get(pk=world.paul.pk).email == "paul.new@family.example"
