"""Every word staff send a family goes through the engine as a Delivery: an answer to a family who wrote in too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeroom.core.models import OutboxEntry
from homeroom.messaging import selectors, services
from homeroom.messaging.conversations.inbound import sms_inbound
from homeroom.messaging.models import ConversationEntry, Delivery, Message
from homeroom.roster.models import Guardian
from tests.messaging.helpers import compose, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana_texted_back(world, django_capture_on_commit_callbacks):
    """The principal's message reached Ana by text, and she answered it by text."""
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    sms_inbound(from_number=world.ana.mobile_phone, body="¿A qué hora abren el jueves?")
    conversation = ConversationEntry.objects.get(from_guardian=True).conversation
    return message, conversation


def _answer(world, conversation, capture, body="A las 8."):
    with capture(execute=True):
        return services.conversation_reply(conversation=conversation, author_user=world.principal.user, body=body)


def test_an_answer_to_a_text_is_a_delivery_sent_through_the_engine(world, ana_texted_back,
                                                                    django_capture_on_commit_callbacks):
    _message, conversation = ana_texted_back
    entry = _answer(world, conversation, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(pk=entry.delivery_id)
    assert (delivery.guardian_id, delivery.channel, delivery.state) == (world.ana.pk, "sms", "sent")
    assert delivery.address == world.ana.mobile_phone and delivery.provider_id.startswith("outbox-")
    assert OutboxEntry.objects.filter(channel="sms", to=world.ana.mobile_phone).order_by("pk").last().body == "A las 8."
    assert Message.objects.get(pk=delivery.message_id).category == "reply"


def test_an_answer_to_a_family_who_texted_stop_is_not_texted_and_waits_in_their_portal(
    world, ana_texted_back, django_capture_on_commit_callbacks
):
    _message, conversation = ana_texted_back
    Guardian.objects.filter(pk=world.ana.pk).update(sms_opted_out_at=timezone.now())
    texts_before = OutboxEntry.objects.filter(channel="sms").count()
    entry = _answer(world, conversation, django_capture_on_commit_callbacks)
    answer = Delivery.objects.filter(message_id=entry.delivery.message_id)
    assert answer.get(channel="sms").state == "skipped" and answer.get(channel="sms").reason == "opted_out"
    assert answer.get(channel="portal").state == "delivered" and entry.channel == "portal"
    assert OutboxEntry.objects.filter(channel="sms").count() == texts_before


def test_an_answer_written_in_quiet_hours_waits_for_the_morning(world, ana_texted_back,
                                                                django_capture_on_commit_callbacks):
    _message, conversation = ana_texted_back
    now = timezone.localtime(timezone.now(), timezone.get_default_timezone())
    world.district.quiet_hours_start = (now - dt.timedelta(hours=1)).time()
    world.district.quiet_hours_end = (now + dt.timedelta(hours=2)).time()
    world.district.time_zone = str(timezone.get_default_timezone())
    world.district.save()
    entry = _answer(world, conversation, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(pk=entry.delivery_id)
    assert delivery.state == "queued" and delivery.not_before is not None and delivery.not_before > timezone.now()


def test_an_answer_twilio_refuses_is_recorded_not_swallowed(world, twilio, django_capture_on_commit_callbacks):
    send(world, compose(world), django_capture_on_commit_callbacks)
    sms_inbound(from_number=world.ana.mobile_phone, body="¿Hay clases?")
    conversation = ConversationEntry.objects.get(from_guardian=True).conversation
    twilio.refusals[world.ana.mobile_phone] = (400, {"code": 21610, "message": "unsubscribed", "status": 400})
    entry = _answer(world, conversation, django_capture_on_commit_callbacks, body="Sí.")
    delivery = Delivery.objects.get(pk=entry.delivery_id)
    assert delivery.state == "failed" and "21610" in delivery.error


def test_the_answer_reaches_the_family_timeline(world, ana_texted_back, django_capture_on_commit_callbacks):
    _message, conversation = ana_texted_back
    _answer(world, conversation, django_capture_on_commit_callbacks)
    items = selectors.timeline_items(guardian_ids=[world.ana.pk])
    assert ("message", "sms", "sent", "Re: Escuela cerrada") in [(i.kind, i.method, i.outcome, i.title) for i in items]


def test_the_conversation_starts_with_the_schools_message_the_family_answered(world, ana_texted_back,
                                                                              django_capture_on_commit_callbacks):
    message, conversation = ana_texted_back
    _answer(world, conversation, django_capture_on_commit_callbacks)
    entries = list(selectors.conversation_entries(conversation))
    assert [(e.from_guardian, e.channel) for e in entries] == [(False, "sms"), (True, "sms"), (False, "sms")]
    assert "La escuela está cerrada mañana." in entries[0].body
    assert entries[0].delivery.message_id == message.pk


def test_each_entry_is_labelled_with_the_channel_it_really_went_by(world, ana_texted_back, client_for,
                                                                   django_capture_on_commit_callbacks):
    _message, conversation = ana_texted_back
    _answer(world, conversation, django_capture_on_commit_callbacks, body="Primera respuesta.")
    Guardian.objects.filter(pk=world.ana.pk).update(sms_opted_out_at=timezone.now())
    _answer(world, conversation, django_capture_on_commit_callbacks, body="Segunda respuesta.")
    labels = [(e.body.split("\n")[0][:20], e.went_by) for e in selectors.conversation_entries(conversation)]
    assert labels[-2:] == [("Primera respuesta.", "Text message"), ("Segunda respuesta.", "Family portal")]
    page = client_for("principal").get(f"/messaging/inbox/{conversation.pk}/").content.decode()
    assert page.count("Text message") >= 3 and "Family portal" in page
