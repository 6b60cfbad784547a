"""A newline in a subject: forms refuse it, and a message that still cannot be built fails alone, never the batch."""

from __future__ import annotations

import pytest

from homeroom.messaging.compose.forms import ComposeForm, ReviewForm
from homeroom.messaging.models import Delivery, Message, MessageContent
from homeroom.roster.models import Guardian
from tests.messaging.helpers import compose, send

pytestmark = pytest.mark.django_db


def test_the_compose_form_refuses_a_newline_in_a_subject(world):
    form = ComposeForm({
        "category": "news", "audience_kind": "schools", "schools": [world.lincoln.pk],
        "callback_name": "Main office", "callback_phone": "+12035550100",
        "subject_en": "School closed\r\nBcc: everyone@example.com", "body_en": "Closed tomorrow.",
    }, user=world.user("principal"))
    assert not form.is_valid()
    assert "subject_en" in form.errors


def test_the_review_form_refuses_a_newline_in_a_subject():
    form = ReviewForm({"subject": "Cerrado\nmañana", "body": "La escuela está cerrada."})
    assert not form.is_valid() and "subject" in form.errors


def test_a_message_that_cannot_be_built_fails_its_emails_and_the_rest_of_the_batch_goes_on(
    world, django_capture_on_commit_callbacks
):
    Guardian.objects.filter(pk=world.ana.pk).update(channel_order=["email"])
    Guardian.objects.filter(pk=world.rosa.pk).update(channel_order=["sms"])
    message = compose(world)
    # Written past the forms (an import, the API, an old draft): the engine must still cope.
    MessageContent.objects.filter(message=message, language="es").update(subject="Escuela\nBcc: x@example.com")
    send(world, message, django_capture_on_commit_callbacks)
    deliveries = Delivery.objects.filter(message=message).exclude(state="skipped")
    email = deliveries.get(guardian=world.ana, channel="email")
    assert email.state == "failed" and "could not be built" in email.error
    assert deliveries.get(guardian=world.rosa, channel="sms").state == "sent"  # the batch went on
    assert not deliveries.filter(state__in=["queued", "sending"]).exists()
    assert Message.objects.get(pk=message.pk).status == "sent"
    world.ana.refresh_from_db()
    assert world.ana.email_bad_at is None  # the family's address is not to blame
