"""The email body is encoded once per rendering and shared; each family's email must still be its own, whole."""

from __future__ import annotations

import copy
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from django.core.mail import BadHeaderError, EmailMultiAlternatives

from homeroom.messaging.channels.email import PreparedEmail, shared_mime
from homeroom.messaging.rendering import Rendered

RENDERED = Rendered(subject="Día de nieve: escuelas cerradas", text="Las escuelas están cerradas hoy.\n" + "x" * 1200)


def _email(shared, to: str, key: str) -> PreparedEmail:
    return PreparedEmail(shared=shared, subject=RENDERED.subject, body=RENDERED.text, from_email="Escuela <a@b.org>",
                         to=[to], reply_to=[f"reply+{key}@b.org"],
                         headers={"Message-ID": f"<{key}@b.org>", "X-Homeroom-Delivery": key})


def test_each_family_gets_the_same_mime_django_would_build_with_its_own_headers(settings):
    settings.DEFAULT_FROM_EMAIL = "Escuela <a@b.org>"
    shared = shared_mime(RENDERED)
    first, second = _email(shared, "ana@example.net", "m1-g1"), _email(shared, "luis@example.net", "m1-g2")
    plain = EmailMultiAlternatives(subject=RENDERED.subject, body=RENDERED.text, from_email="Escuela <a@b.org>",
                                   to=["ana@example.net"], reply_to=["reply+m1-g1@b.org"],
                                   headers={"Message-ID": "<m1-g1@b.org>", "X-Homeroom-Delivery": "m1-g1"})

    ours, django = (message_from_bytes(e.message().as_bytes()) for e in (first, plain))
    other = message_from_bytes(second.message().as_bytes())

    for name in ("Subject", "From", "To", "Reply-To", "Message-ID", "X-Homeroom-Delivery", "Content-Type",
                 "Content-Transfer-Encoding", "MIME-Version"):
        assert ours[name] == django[name], name
    assert str(make_header(decode_header(ours["Subject"]))) == RENDERED.subject
    assert ours.get_payload(decode=True) == django.get_payload(decode=True)
    assert ours.get_payload(decode=True).decode().startswith("Las escuelas están cerradas hoy.")
    assert ours["Date"]
    assert (other["To"], other["Message-ID"], other["Reply-To"]) == (
        "luis@example.net", "<m1-g2@b.org>", "reply+m1-g2@b.org")
    # Building one family's message never leaks its headers into the shared part or the next family's.
    assert shared["To"] is None and shared["Message-ID"] is None
    assert second.message().get_all("To") == ["luis@example.net"]


def test_header_injection_in_an_address_is_still_refused():
    shared = shared_mime(RENDERED)
    with pytest.raises(BadHeaderError):
        _email(shared, "ana@example.net\nBcc: everyone@example.net", "m1-g1").message()


def test_a_copy_shares_the_encoded_body_but_nothing_a_backend_changes():
    shared = shared_mime(RENDERED)
    email = _email(shared, "ana@example.net", "m1-g1")
    clone = copy.deepcopy(email)
    assert clone.shared is shared
    clone.to.append("someone@example.net")
    assert email.to == ["ana@example.net"]
    assert clone.message()["To"] == "ana@example.net, someone@example.net"
