"""providers.smtp: the bytes it hands the SMTP server are the bytes Django's SMTP backend would hand it."""

from __future__ import annotations

import random
import string
from email.message import Message

import pytest
from django.core.mail import EmailMultiAlternatives

from homeroom.messaging.channels.email import email_backend_path
from homeroom.messaging.providers.smtp import message_bytes

SUBJECTS = [
    "Snow day",
    "Día de nieve: las escuelas están cerradas",
    "Re: the field trip on Friday, please bring a packed lunch, a coat and the signed form",
    "Two  spaces and a trailing one ",
    "x" * 120,
    "Exactly at the line length limit for a Subject header line, 78 char",
]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_an_email_as_the_channel_builds_it_is_written_byte_for_byte_as_django_writes_it(subject):
    email = EmailMultiAlternatives(
        subject, "Schools are closed today.\n\nQuestions? Call the office at +12035550100.",
        "Central office <noreply@homeroom.localhost>", ["Ana Pérez <g1@bench.example>"],
        reply_to=["reply+d12-0123456789abcdef01234567@homeroom.localhost"],
        headers={"Message-ID": "<k-0123@homeroom.localhost>", "X-Homeroom-Delivery": "k" * 40,
                 "In-Reply-To": "<earlier-message-with-a-long-identifier-0123456789abcdef@homeroom.localhost>"},
    )
    email.attach_alternative("<p>Schools are closed today.</p>", "text/html")
    email.attach("notice.txt", "Closed.\n", "text/plain")
    message = email.message()
    assert message_bytes(message) == message.as_bytes(linesep="\r\n")


def test_any_header_value_is_written_as_the_standard_folding_writes_it():
    rng = random.Random(13)
    alphabet = string.ascii_letters + string.digits + " " * 12 + "\t;,:=?\"()<>@.-"
    for _ in range(2_000):
        message = Message()
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 95)))
        message[rng.choice(["Subject", "X-Homeroom-Delivery", "X-A-Rather-Long-Header-Name"])] = value
        message.set_payload("body")
        assert message_bytes(message) == message.as_bytes(policy=message.policy.clone(linesep="\r\n")), value


def test_the_channel_sends_through_it_where_djangos_smtp_backend_is_configured(settings):
    settings.MESSAGING_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert email_backend_path() == "homeroom.messaging.providers.smtp.EmailBackend"
    settings.MESSAGING_EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    assert email_backend_path() == "anymail.backends.postmark.EmailBackend"
