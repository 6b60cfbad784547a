"""Email through an anymail ESP backend: the ESP gets the delivery key as metadata and keeps our headers."""

from __future__ import annotations

import pytest
from django.core import mail

from homeroom.messaging.channels.email import reply_address
from homeroom.messaging.models import Delivery
from homeroom.roster.models import Guardian
from tests.messaging.helpers import compose, send

pytestmark = pytest.mark.django_db


def test_each_email_reaches_the_esp_with_its_key_tag_and_headers(world, settings,
                                                                django_capture_on_commit_callbacks):
    settings.MESSAGING_EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.MESSAGING_EMAIL_DOMAIN = "mail.district.example"
    Guardian.objects.update(channel_order=["email"])
    mail.outbox = []
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    emails = Delivery.objects.filter(message=message, channel="email").exclude(state="skipped")
    assert emails.count() >= 2 and set(emails.values_list("state", flat=True)) == {"sent"}
    by_key = {m.anymail_test_params["metadata"]["delivery"]: (i, m) for i, m in enumerate(mail.outbox)}
    assert set(by_key) == set(emails.values_list("idempotency_key", flat=True))
    for delivery in emails:
        index, sent = by_key[delivery.idempotency_key]
        params = sent.anymail_test_params
        assert [e.addr_spec for e in params["to"]] == [delivery.address]
        assert [e.addr_spec for e in params["reply_to"]] == [reply_address(delivery.pk)]
        assert params["tags"] == [f"message-{message.pk}"]
        assert params["extra_headers"]["Message-ID"] == f"<{delivery.idempotency_key}@mail.district.example>"
        assert params["extra_headers"]["X-Homeroom-Delivery"] == delivery.idempotency_key
        assert params["subject"] and params["text_body"]
        # The ESP's own message id is what its tracking webhooks will name.
        assert delivery.provider_id == str(index or f"<{delivery.idempotency_key}@mail.district.example>")
