"""Texts families send: STOP/START/HELP with one confirmation each, and replies threaded for staff."""

from __future__ import annotations

import pytest
from twilio.request_validator import RequestValidator

from homeroom.messaging.models import ConversationEntry, Delivery, SmsOptOut
from tests.messaging.conftest import TOKEN
from tests.messaging.helpers import compose, send

pytestmark = pytest.mark.django_db
URL = "/messaging/hooks/twilio/sms/"


def _text(client, from_number, body):
    params = {"From": from_number, "To": "+12035550000", "Body": body, "MessageSid": "SM" + "1" * 32}
    signature = RequestValidator(TOKEN).compute_signature("http://testserver" + URL, params)
    return client.post(URL, params, HTTP_X_TWILIO_SIGNATURE=signature)


def test_unsigned_inbound_text_is_refused(world, twilio, client):
    assert client.post(URL, {"From": world.ana.mobile_phone, "Body": "STOP"}).status_code == 403


def test_stop_opts_the_number_out_and_confirms_once(world, twilio, client):
    first = _text(client, world.ana.mobile_phone, "STOP")
    second = _text(client, world.ana.mobile_phone, "stop")
    world.ana.refresh_from_db()
    assert world.ana.sms_opted_out_at is not None
    assert first.content.count(b"<Message>") == 1 and b"<Message>" not in second.content


def test_stop_confirmation_is_in_the_guardians_language(world, twilio, client):
    response = _text(client, world.ana.mobile_phone, "UNSUBSCRIBE")
    assert "mensajes" in response.content.decode() or "textos" in response.content.decode()


@pytest.mark.parametrize("word", ["CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "Please stop texting me"])
def test_every_opt_out_keyword_and_plain_request_opts_out(world, twilio, client, word):
    _text(client, world.ana.mobile_phone, word)
    world.ana.refresh_from_db()
    assert world.ana.sms_opted_out_at is not None


def test_opt_out_is_recorded_with_keyword(world, twilio, client):
    _text(client, world.ana.mobile_phone, "QUIT")
    assert SmsOptOut.objects.get(phone=world.ana.mobile_phone).keyword == "QUIT"


def test_start_resubscribes(world, twilio, client):
    _text(client, world.ana.mobile_phone, "STOP")
    _text(client, world.ana.mobile_phone, "START")
    world.ana.refresh_from_db()
    assert world.ana.sms_opted_out_at is None


def test_opted_out_guardian_gets_no_news_text_afterwards(world, twilio, client, django_capture_on_commit_callbacks):
    _text(client, world.ana.mobile_phone, "STOP")
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    assert not Delivery.objects.filter(message=message, guardian=world.ana, channel="sms", state="sent").exists()


def test_help_answers_with_school_and_call_back_number(world, twilio, client, django_capture_on_commit_callbacks):
    world.paul.channel_order = ["sms"]
    world.paul.save()
    send(world, compose(world), django_capture_on_commit_callbacks)
    body = _text(client, world.rosa.mobile_phone, "HELP").content.decode()
    assert "Lincoln Elementary" in body and "+12035550100" in body


def test_reply_threads_into_a_conversation_for_staff(world, twilio, client, django_capture_on_commit_callbacks):
    send(world, compose(world), django_capture_on_commit_callbacks)
    _text(client, world.ana.mobile_phone, "¿A qué hora abren el jueves?")
    entry = ConversationEntry.objects.get(from_guardian=True)
    assert entry.conversation.guardian == world.ana and entry.channel == "sms"
    assert entry.conversation.message is not None
