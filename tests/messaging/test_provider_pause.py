"""A provider set up wrong is the district's fault: the send pauses, the admin is told, a probe resumes it.

Only a documented per-recipient error counts against a family's number or address.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from homeroom.messaging import services
from homeroom.messaging.channels.base import Fault
from homeroom.messaging.models import Delivery, ProviderPause, Suppression
from homeroom.messaging.providers.twilio_errors import TWILIO_ERRORS, twilio_fault
from homeroom.roster.models import Guardian
from tests.messaging.conftest import TOKEN
from tests.messaging.helpers import compose, send

pytestmark = pytest.mark.django_db


def _texts(message):
    return Delivery.objects.filter(message=message, channel="sms").exclude(state="skipped")


def _no_marks() -> bool:
    return not Guardian.objects.exclude(mobile_phone_bad_at=None).exists() and not Guardian.objects.exclude(
        home_phone_bad_at=None).exists() and not Guardian.objects.exclude(email_bad_at=None).exists()


@pytest.fixture
def wrong_token(twilio, settings):
    settings.TWILIO_AUTH_TOKEN = "not-the-token"
    return twilio


def test_a_twilio_401_pauses_the_texts_and_marks_no_number_bad(world, wrong_token,
                                                               django_capture_on_commit_callbacks):
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    texts = _texts(message)
    assert texts.count() >= 2
    assert set(texts.values_list("state", flat=True)) == {"queued"}
    assert set(texts.values_list("attempts", flat=True)) == {0}  # no attempt used up
    assert _no_marks()
    assert not Delivery.objects.filter(message=message, fallback_of__isnull=False).exists()  # nothing fell back
    pause = ProviderPause.objects.get(provider="twilio")
    assert pause.paused_at is not None and "20003" in pause.error
    assert wrong_token.created == []


def test_other_channels_go_on_while_twilio_is_paused(world, wrong_token, django_capture_on_commit_callbacks):
    Guardian.objects.filter(pk=world.paul.pk).update(channel_order=["email"])
    message = send(world, compose(world, "admin", audience={"kind": "district"}), django_capture_on_commit_callbacks,
                   actor="admin")
    assert Delivery.objects.get(message=message, guardian=world.paul, channel="email").state == "sent"
    assert set(_texts(message).values_list("state", flat=True)) == {"queued"}


def test_the_district_admin_is_emailed_once_in_their_language(world, wrong_token,
                                                              django_capture_on_commit_callbacks):
    admin = world.user("admin")
    admin.language = "es"
    admin.save()
    mail.outbox = []
    send(world, compose(world), django_capture_on_commit_callbacks)
    send(world, compose(world), django_capture_on_commit_callbacks)  # the same error again: no second email
    to_admin = [m for m in mail.outbox if admin.email in m.to]
    assert len(to_admin) == 1
    assert "Twilio" in to_admin[0].subject and "pausados" in to_admin[0].subject
    assert "ninguna familia" in to_admin[0].body and "20003" in to_admin[0].body
    assert not [m for m in mail.outbox if world.user("teacher").email in m.to]


def test_district_admins_see_a_banner_on_staff_pages_and_teachers_do_not(world, wrong_token, client_for,
                                                                          django_capture_on_commit_callbacks):
    send(world, compose(world), django_capture_on_commit_callbacks)
    admin_page = client_for("admin").get("/messaging/").content.decode()
    assert "are paused" in admin_page and "Twilio" in admin_page
    assert "are paused" not in client_for("teacher").get("/messaging/").content.decode()


def test_the_banner_is_in_spanish_for_a_spanish_speaking_admin(world, wrong_token, client_for,
                                                               django_capture_on_commit_callbacks):
    send(world, compose(world), django_capture_on_commit_callbacks)
    admin = world.user("admin")
    admin.language = "es"
    admin.save()
    page = client_for("admin").get("/messaging/").content.decode()
    assert "están en pausa" in page


def test_the_send_resumes_by_itself_once_the_token_is_fixed(world, wrong_token, settings,
                                                            django_capture_on_commit_callbacks):
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    settings.TWILIO_AUTH_TOKEN = TOKEN
    later = timezone.now() + dt.timedelta(seconds=settings.MESSAGING_PROVIDER_PROBE_SECONDS + 1)
    with freeze_time(later), django_capture_on_commit_callbacks(execute=True):
        services.messages_sweep()
    texts = _texts(message)
    assert set(texts.values_list("state", flat=True)) == {"sent"}
    assert sorted(f["To"] for f in wrong_token.sent()) == sorted(texts.values_list("address", flat=True))
    assert ProviderPause.objects.get(provider="twilio").paused_at is None
    assert _no_marks()


def test_a_probe_that_still_fails_keeps_the_send_paused(world, wrong_token, settings,
                                                        django_capture_on_commit_callbacks):
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    later = timezone.now() + dt.timedelta(seconds=settings.MESSAGING_PROVIDER_PROBE_SECONDS + 1)
    with freeze_time(later), django_capture_on_commit_callbacks(execute=True):
        services.messages_sweep()
    assert set(_texts(message).values_list("state", flat=True)) == {"queued"}
    pause = ProviderPause.objects.get(provider="twilio")
    assert pause.paused_at is not None and pause.probed_at >= later - dt.timedelta(seconds=1)


def test_a_suspended_account_keeps_the_send_paused(world, wrong_token, settings,
                                                   django_capture_on_commit_callbacks):
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    settings.TWILIO_AUTH_TOKEN = TOKEN
    wrong_token.account_status = "suspended"
    later = timezone.now() + dt.timedelta(seconds=settings.MESSAGING_PROVIDER_PROBE_SECONDS + 1)
    with freeze_time(later), django_capture_on_commit_callbacks(execute=True):
        services.messages_sweep()
    assert set(_texts(message).values_list("state", flat=True)) == {"queued"}


def test_per_recipient_codes_are_data_with_their_meaning():
    for code in (21211, 21610, 21614, 30003, 30005, 30006):
        assert TWILIO_ERRORS[code].fault == Fault.RECIPIENT and TWILIO_ERRORS[code].meaning
    for code in (20003, 20005, 20404):
        assert TWILIO_ERRORS[code].fault == Fault.PROVIDER
    assert twilio_fault(status=401, code=0) == twilio_fault(status=403, code=0) == Fault.PROVIDER
    assert twilio_fault(status=400, code=12345) == Fault.MESSAGE  # unknown: the number is not blamed


def test_an_unlisted_twilio_refusal_fails_the_text_without_marking_the_number(world, twilio,
                                                                              django_capture_on_commit_callbacks):
    twilio.refusals[world.ana.mobile_phone] = (400, {"code": 21999, "message": "Something else", "status": 400})
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    text = Delivery.objects.get(message=message, guardian=world.ana, channel="sms")
    assert text.state == "failed" and "21999" in text.error
    assert _no_marks()
    assert not Delivery.objects.filter(fallback_of=text).exists()


def test_a_documented_recipient_code_still_marks_the_number_bad(world, twilio, django_capture_on_commit_callbacks):
    twilio.refusals[world.ana.mobile_phone] = (400, {"code": 21614, "message": "not a mobile", "status": 400})
    send(world, compose(world), django_capture_on_commit_callbacks)
    world.ana.refresh_from_db()
    assert world.ana.mobile_phone_bad_at is not None


def test_a_status_callback_with_an_account_code_marks_no_number(world, twilio, client,
                                                                django_capture_on_commit_callbacks):
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(message=message, guardian=world.ana, channel="sms")
    form = next(f for f in twilio.sent() if f["To"] == world.ana.mobile_phone)
    url, params, signature = twilio.signed_callback(
        form, MessageSid=delivery.provider_id, MessageStatus="undelivered", ErrorCode="30034")
    client.post(url.removeprefix("http://testserver"), params, HTTP_X_TWILIO_SIGNATURE=signature)
    world.ana.refresh_from_db()
    assert Delivery.objects.get(pk=delivery.pk).state == "failed"
    assert world.ana.mobile_phone_bad_at is None


@pytest.fixture
def email_only(world):
    Guardian.objects.update(channel_order=["email"])
    return world


def test_an_esp_refusing_our_api_key_pauses_email_and_marks_no_address(email_only, settings,
                                                                        django_capture_on_commit_callbacks):
    settings.MESSAGING_EMAIL_BACKEND = "tests.messaging.esp_backends.RefusedKeyBackend"
    message = send(email_only, compose(email_only), django_capture_on_commit_callbacks)
    emails = Delivery.objects.filter(message=message, channel="email").exclude(state="skipped")
    assert set(emails.values_list("state", flat=True)) == {"queued"}
    assert set(emails.values_list("attempts", flat=True)) == {0}
    assert _no_marks() and not Suppression.objects.exists()
    assert ProviderPause.objects.get(provider="email").paused_at is not None


def test_an_smtp_login_refused_pauses_email_then_it_resumes(email_only, settings,
                                                             django_capture_on_commit_callbacks):
    settings.MESSAGING_EMAIL_BACKEND = "tests.messaging.esp_backends.LoginRefusedSmtpBackend"
    message = send(email_only, compose(email_only), django_capture_on_commit_callbacks)
    emails = Delivery.objects.filter(message=message, channel="email").exclude(state="skipped")
    assert set(emails.values_list("state", flat=True)) == {"queued"} and _no_marks()
    settings.MESSAGING_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = timezone.now() + dt.timedelta(seconds=settings.MESSAGING_PROVIDER_PROBE_SECONDS + 1)
    with freeze_time(later), django_capture_on_commit_callbacks(execute=True):
        services.messages_sweep()
    assert set(emails.values_list("state", flat=True)) == {"sent"}


def test_an_esp_rejecting_the_recipient_counts_against_the_address(email_only, settings,
                                                                   django_capture_on_commit_callbacks):
    settings.MESSAGING_EMAIL_BACKEND = "tests.messaging.esp_backends.RejectingBackend"
    message = send(email_only, compose(email_only), django_capture_on_commit_callbacks)
    email = Delivery.objects.get(message=message, guardian=email_only.ana, channel="email")
    email_only.ana.refresh_from_db()
    assert email.state == "failed" and email_only.ana.email_bad_at is not None
    assert not ProviderPause.objects.exclude(paused_at=None).exists()
