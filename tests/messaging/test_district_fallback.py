"""Fallback per district: each district decides sms→voice and email→sms; without a record the setting applies."""

from __future__ import annotations

import datetime as dt

import pytest

from homeroom.messaging.engine.fallback import fallback_rules
from homeroom.messaging.engine.outcomes import delivery_failed_permanently
from homeroom.messaging.models import Delivery, DistrictMessagingPolicy
from tests.messaging.helpers import compose, send
from tests.messaging.test_notify_sms import _post_callback

pytestmark = pytest.mark.django_db
URL = "/messaging/district-settings/"


def _undelivered_text(world, twilio, client, capture):
    """Send to Lincoln, then Twilio reports Ana's text undeliverable to a landline (permanent)."""
    world.ana.home_phone = "+12035550142"
    world.ana.save()
    message = send(world, compose(world), capture)
    delivery = Delivery.objects.get(message=message, guardian=world.ana, channel="sms")
    form = next(f for f in twilio.sent() if f["To"] == world.ana.mobile_phone)
    url, params, signature = twilio.signed_callback(
        form, MessageSid=delivery.provider_id, MessageStatus="undelivered", ErrorCode="30006")
    with capture(execute=True):
        _post_callback(client, url, params, signature)
    return message


def test_district_that_turned_off_sms_to_voice_gets_no_call(world, twilio, client,
                                                            django_capture_on_commit_callbacks):
    DistrictMessagingPolicy.objects.create(district=world.district, sms_to_voice=False)
    message = _undelivered_text(world, twilio, client, django_capture_on_commit_callbacks)
    assert not Delivery.objects.filter(message=message, guardian=world.ana, channel="voice").exists()
    assert twilio.sent("Calls.json") == []


def test_district_without_a_record_still_falls_back_to_a_call(world, twilio, client,
                                                              django_capture_on_commit_callbacks):
    message = _undelivered_text(world, twilio, client, django_capture_on_commit_callbacks)
    assert Delivery.objects.get(message=message, guardian=world.ana, channel="voice").state == "sent"


def test_district_that_turned_off_email_to_sms_gets_no_text_after_a_bounce(world,
                                                                          django_capture_on_commit_callbacks):
    DistrictMessagingPolicy.objects.create(district=world.district, email_to_sms=False)
    world.ana.channel_order = ["email", "sms"]
    world.ana.save()
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    email = Delivery.objects.get(message=message, guardian=world.ana, channel="email")
    assert delivery_failed_permanently(delivery_id=email.pk, reason="bounced") is None


def test_other_pairs_of_the_setting_still_apply_to_a_district_with_a_record(world, settings):
    settings.MESSAGING_FALLBACK = {"sms": "voice", "email": "sms", "voice": "sms"}
    DistrictMessagingPolicy.objects.create(district=world.district, sms_to_voice=False, email_to_sms=True)
    assert fallback_rules(district_id=world.district.pk) == {"email": "sms", "voice": "sms"}


def test_settings_page_shows_the_default_for_a_district_without_a_record(client_for, settings):
    settings.MESSAGING_FALLBACK = {"sms": "voice"}
    form = client_for("admin").get(URL).context["form"]
    assert (form.initial["sms_to_voice"], form.initial["email_to_sms"]) == (True, False)


def test_district_admin_saves_the_fallback_rule_and_quiet_hours(client_for, world):
    response = client_for("admin").post(URL, {"email_to_sms": "on", "quiet_hours_start": "21:00",
                                              "quiet_hours_end": "07:30"})
    assert response.status_code == 302
    policy = DistrictMessagingPolicy.objects.get(district=world.district)
    assert (policy.sms_to_voice, policy.email_to_sms, policy.updated_by) == (False, True, world.admin.user)
    world.district.refresh_from_db()
    assert (world.district.quiet_hours_start, world.district.quiet_hours_end) == (dt.time(21), dt.time(7, 30))


def test_quiet_hours_need_both_ends(client_for, world):
    response = client_for("admin").post(URL, {"sms_to_voice": "on", "quiet_hours_start": "21:00"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not DistrictMessagingPolicy.objects.exists()


def test_principal_may_not_change_the_district_rule(client_for):
    assert client_for("principal").post(URL, {"sms_to_voice": "on"}).status_code == 403
    assert not DistrictMessagingPolicy.objects.exists()


@pytest.mark.parametrize("suppressed", [True, False])
def test_a_fallback_to_email_skips_an_address_on_the_suppression_list(world, settings, suppressed,
                                                                      django_capture_on_commit_callbacks):
    from homeroom.messaging.models import Suppression

    settings.MESSAGING_FALLBACK = {"sms": "email"}  # a deployment whose texts fall back to email
    world.ana.channel_order = ["sms", "email"]
    world.ana.save()
    Suppression.objects.create(address="someone.else@example.net", reason="bounce")
    if suppressed:
        Suppression.objects.create(address=world.ana.email.upper().strip().lower(), reason="complained")
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    text = Delivery.objects.get(message=message, guardian=world.ana, channel="sms")
    Delivery.objects.filter(message=message, guardian=world.ana, channel="email").delete()  # planned only sms
    fallback = delivery_failed_permanently(delivery_id=text.pk, reason="Twilio 30006")
    assert (fallback is None) is suppressed
    if not suppressed:
        assert (fallback.channel, fallback.address) == ("email", world.ana.email.lower())
