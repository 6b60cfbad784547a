"""Each hand-over to a provider leaves an attempt row: when, which channel, the provider's id, the outcome and
the provider's error code, so "why did this family not get it" has an answer."""

from __future__ import annotations

import pytest

from homeroom.messaging.engine import dispatch
from homeroom.messaging.models import Delivery, DeliveryAttempt
from tests.messaging.helpers import compose, send

pytestmark = pytest.mark.django_db


def test_sent_and_refused_texts_each_leave_an_attempt_row(world, twilio, settings, django_capture_on_commit_callbacks):
    settings.MESSAGING_FALLBACK = {}
    twilio.refusals[world.ana.mobile_phone] = (400, {"code": 21614, "message": "not a mobile number", "status": 400})
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    texts = Delivery.objects.filter(message=message, channel="sms")
    refused = texts.get(guardian=world.ana)
    [failed] = DeliveryAttempt.objects.filter(delivery=refused)
    assert (failed.outcome, failed.error_code, failed.channel) == ("failed", "21614", "sms")
    assert "not a mobile number" in failed.error
    for text in texts.exclude(pk=refused.pk).filter(state="sent"):
        [attempt] = DeliveryAttempt.objects.filter(delivery=text)
        assert (attempt.outcome, attempt.provider_id) == ("sent", text.provider_id)


def test_a_throttled_text_leaves_a_throttled_attempt_and_no_attempt_is_used(world, twilio, settings,
                                                                            django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    twilio.refusals[world.ana.mobile_phone] = (429, {"code": 20429, "message": "Too Many Requests", "status": 429})
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    dispatch.deliver_batch(message.pk, 0)
    text = Delivery.objects.get(message=message, guardian=world.ana, channel="sms")
    assert (text.state, text.attempts) == ("queued", 0)
    assert list(DeliveryAttempt.objects.filter(delivery=text).values_list("outcome", "error_code")) == [
        ("throttled", "20429")]
