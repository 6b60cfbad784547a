"""Each family's email is Django's own EmailMultiAlternatives, with its own headers, built through the public API."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from django.core import mail

from homeroom.messaging.channels.base import Fault, TransportError
from homeroom.messaging.channels.email import EmailTransport, message_id_for, reply_address
from homeroom.messaging.models import Delivery
from homeroom.messaging.rendering import Rendered
from tests.messaging.helpers import compose

pytestmark = pytest.mark.django_db
RENDERED = Rendered(subject="Día de nieve: escuelas cerradas", text="Las escuelas están cerradas hoy.")


def _delivery(world, key: str, address: str) -> Delivery:
    message = compose(world)
    return Delivery.objects.create(message=message, guardian=world.ana, channel="email", address=address,
                                   language="es", content_language="es", idempotency_key=key, state="sending")


def test_each_family_gets_its_own_headers(world, settings):
    settings.MESSAGING_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    transport = EmailTransport()
    first, second = _delivery(world, "m1-g1", "ana@example.net"), _delivery(world, "m1-g2", "luis@example.net")
    transport.open()
    transport.send(first, RENDERED)
    transport.send(second, RENDERED)
    transport.close()
    one, two = (m.message() for m in mail.outbox)
    assert str(make_header(decode_header(one["Subject"]))) == RENDERED.subject
    assert (one["To"], one["Message-ID"], one["Reply-To"]) == (
        "ana@example.net", message_id_for(first), reply_address(first.pk))
    assert (two["To"], two["Message-ID"], two["X-Homeroom-Delivery"]) == (
        "luis@example.net", message_id_for(second), "m1-g2")
    assert one.get_payload(decode=True).decode() == RENDERED.text


def test_a_header_django_refuses_fails_that_delivery_alone(world, settings):
    settings.MESSAGING_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    transport = EmailTransport()
    bad = Rendered(subject="Closed\nBcc: everyone@example.net", text="Closed.")
    with pytest.raises(TransportError) as refused:
        transport.send(_delivery(world, "m1-g1", "ana@example.net"), bad)
    assert refused.value.fault == Fault.MESSAGE
