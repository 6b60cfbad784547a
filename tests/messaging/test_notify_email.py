"""Email channel: a real SMTP server on loopback (aiosmtpd) receives what Django's SMTP backend sends."""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from homeroom.messaging.models import Delivery
from tests.messaging.helpers import compose, send

pytestmark = pytest.mark.django_db


class Sink:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    sink = Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MESSAGING_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    yield sink
    controller.stop()


@pytest.fixture
def email_first(world):
    for guardian in (world.ana, world.rosa):
        guardian.channel_order = ["email", "sms"]
        guardian.save()
    return world


def _subject(msg) -> str:
    return str(make_header(decode_header(msg["Subject"])))


def test_email_reaches_the_smtp_server_in_the_guardians_language(email_first, smtp,
                                                                  django_capture_on_commit_callbacks):
    send(email_first, compose(email_first), django_capture_on_commit_callbacks)
    received = {tuple(to): msg for to, msg in smtp.messages}
    assert _subject(received[("ana@family.example",)]) == "Escuela cerrada"


def test_email_carries_the_delivery_key_and_message_id(email_first, smtp, django_capture_on_commit_callbacks):
    message = send(email_first, compose(email_first), django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(message=message, guardian=email_first.ana, channel="email")
    msg = next(m for to, m in smtp.messages if to == ["ana@family.example"])
    assert msg["X-Homeroom-Delivery"] == delivery.idempotency_key
    assert delivery.provider_id == msg["Message-ID"].strip() and delivery.state == "sent"


def test_refused_recipient_is_a_permanent_failure_that_falls_back_to_sms(email_first, smtp,
                                                                         django_capture_on_commit_callbacks):
    email_first.ana.email = "nobody@family.example"
    email_first.ana.save()
    message = send(email_first, compose(email_first), django_capture_on_commit_callbacks)
    email = Delivery.objects.get(message=message, guardian=email_first.ana, channel="email")
    fallback = Delivery.objects.get(message=message, guardian=email_first.ana, channel="sms")
    assert (email.state, fallback.state, fallback.fallback_of_id) == ("failed", "sent", email.pk)


def test_email_body_ends_with_the_call_back_line(email_first, smtp, django_capture_on_commit_callbacks):
    send(email_first, compose(email_first), django_capture_on_commit_callbacks)
    msg = next(m for to, m in smtp.messages if to == ["ana@family.example"])
    assert "Main office" in msg.get_payload(decode=True).decode()
