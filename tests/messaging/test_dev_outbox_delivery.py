"""In development the dev outbox is the last hop: it reports the texts and emails it took as delivered, through the
same status path a provider's webhook takes, so the demo's reports and reach page count them (messaging.reached
keeps meaning "a channel confirmed it"). Calls are never reported answered; tests run with it off."""

from __future__ import annotations

import pytest

from homeroom.contacts.models import ContactLog
from homeroom.messaging.models import Delivery, DeliveryAttempt
from homeroom.messaging.providers import dev_outbox
from homeroom.messaging.selectors import message_report
from tests.messaging.helpers import compose, send

pytestmark = pytest.mark.django_db


def _states(message):
    return {(d.guardian_id, d.channel): d.state for d in Delivery.objects.filter(message=message)}


def test_with_the_report_on_texts_and_emails_are_delivered_and_the_families_reached(
        world, settings, django_capture_on_commit_callbacks):
    settings.MESSAGING_DEV_OUTBOX_REPORTS_DELIVERY = True
    message = send(world, compose(world, category="urgent"), django_capture_on_commit_callbacks)
    deliveries = list(Delivery.objects.filter(message=message).exclude(state="skipped"))
    by_channel = {d.channel for d in deliveries}
    assert {"sms", "email", "voice"} <= by_channel
    for d in deliveries:
        if d.channel in ("sms", "email"):
            assert d.state == "delivered", d
            # What the sender records of a send is there too: the provider's id, when, one attempt.
            assert d.provider_id and d.sent_at and d.finished_at and d.attempts == 1
            assert DeliveryAttempt.objects.filter(delivery=d, outcome="sent").count() == 1
        elif d.channel == "voice":
            assert d.state == "sent"  # nobody answered a call in a table
    report = message_report(message)
    assert report.reached > 0 and report.reached_percent > 0
    # The reached deliveries went through the status path: contacts' ledger heard of them (deliveries_reached).
    assert ContactLog.objects.filter(guardians__in=[d.guardian_id for d in deliveries]).exists()


def test_off_by_default_in_tests_the_dev_outbox_confirms_nothing(world, django_capture_on_commit_callbacks):
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    states = _states(message)
    assert "delivered" not in {state for (_g, channel), state in states.items() if channel != "portal"}
    assert message_report(message).reached_percent < 100


def test_the_report_moves_a_delivery_once_and_never_back(world, settings, django_capture_on_commit_callbacks):
    settings.MESSAGING_DEV_OUTBOX_REPORTS_DELIVERY = True
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    delivery = Delivery.objects.filter(message=message, channel="sms", state="delivered").first()
    assert delivery is not None
    assert not dev_outbox.report_delivered(key=delivery.idempotency_key, provider_id=delivery.provider_id)
    Delivery.objects.filter(pk=delivery.pk).update(state="bounced")
    assert not dev_outbox.report_delivered(key=delivery.idempotency_key, provider_id=delivery.provider_id)
    assert Delivery.objects.get(pk=delivery.pk).state == "bounced"
    assert not dev_outbox.report_delivered(key="", provider_id="outbox-1")
