"""anymail tracking webhooks: delivered, opened, bounced (→ suppression list and SMS fallback)."""

from __future__ import annotations

import base64
import json

import pytest

from homeroom.messaging.models import Delivery, Suppression
from tests.messaging.helpers import compose, send

pytestmark = pytest.mark.django_db
URL = "/messaging/hooks/email/postmark/"


@pytest.fixture
def emailed(world, settings, django_capture_on_commit_callbacks):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": "hook:secret"}
    world.ana.channel_order = ["email", "sms"]
    world.ana.save()
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    return Delivery.objects.get(message=message, guardian=world.ana, channel="email")


def _post(client, payload, auth="hook:secret"):
    header = "Basic " + base64.b64encode(auth.encode()).decode()
    return client.post(URL, json.dumps(payload), content_type="application/json", HTTP_AUTHORIZATION=header)


def _bounce(delivery):
    return {"RecordType": "Bounce", "Type": "HardBounce", "TypeCode": 1, "MessageID": "pm-1", "Email": delivery.address,
            "Description": "The server was unable to deliver your message", "Metadata": {"delivery":
            delivery.idempotency_key}, "BouncedAt": "2025-03-03T10:00:00Z", "Tag": ""}


def test_webhook_with_wrong_credentials_changes_nothing(emailed, client):
    assert _post(client, _bounce(emailed), auth="wrong:creds").status_code in (400, 403)
    emailed.refresh_from_db()
    assert emailed.state == "sent" and not Suppression.objects.exists()


def test_webhook_is_refused_when_no_secret_is_configured(world, client, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": ""}
    assert client.post(URL, "{}", content_type="application/json").status_code == 403


def test_hard_bounce_suppresses_the_address_and_falls_back_to_sms(emailed, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, _bounce(emailed)).status_code == 200
    emailed.refresh_from_db()
    assert emailed.state == "bounced"
    assert Suppression.objects.filter(address="ana@family.example", reason="bounced").exists()
    assert Delivery.objects.get(message=emailed.message, guardian=emailed.guardian, channel="sms").state == "sent"


def test_delivery_event_marks_delivered(emailed, client):
    _post(client, {"RecordType": "Delivery", "MessageID": "pm-1", "Recipient": emailed.address,
                   "DeliveredAt": "2025-03-03T10:00:00Z", "Details": "", "Tag": "",
                   "Metadata": {"delivery": emailed.idempotency_key}})
    emailed.refresh_from_db()
    assert emailed.state == "delivered"


def test_suppressed_address_is_not_mailed_next_time(emailed, client, world, django_capture_on_commit_callbacks):
    _post(client, _bounce(emailed))
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    email = Delivery.objects.filter(message=message, guardian=world.ana, channel="email").first()
    assert email is None or email.state == "skipped"


def test_an_unsubscribe_is_an_email_opt_out_in_the_consent_ledger_and_nothing_else(world):
    from anymail.signals import AnymailTrackingEvent

    from homeroom.messaging.webhooks import on_anymail_tracking
    from homeroom.roster.models import ConsentChange, Guardian

    event = AnymailTrackingEvent(event_type="unsubscribed", recipient="ANA@family.example", message_id="pm-9")
    on_anymail_tracking(sender=None, event=event, esp_name="Postmark")
    on_anymail_tracking(sender=None, event=event, esp_name="Postmark")  # the ESP may report it twice
    ana = Guardian.objects.get(pk=world.ana.pk)
    assert ana.email_opted_out_at is not None
    assert (ana.sms_opted_out_at, ana.voice_opted_out_at) == (None, None)
    change = ConsentChange.objects.get(guardian=ana)
    assert (change.channel, change.category, change.state, change.via) == ("email", "", "refused",
                                                                           "email_unsubscribe")
