"""Texts families send: STOP/START/HELP with one confirmation each, and replies threaded for staff."""

from __future__ import annotations

import itertools

import pytest
from twilio.request_validator import RequestValidator

from homeroom.messaging.conversations.inbound import MAX_INBOUND_BODY, sms_inbound
from homeroom.messaging.models import ConversationEntry, Delivery, SmsOptOut
from homeroom.roster import reachability
from homeroom.roster.models import ConsentChange, Guardian
from tests.messaging.conftest import TOKEN
from tests.messaging.helpers import compose, send

pytestmark = pytest.mark.django_db
URL = "/messaging/hooks/twilio/sms/"


_SIDS = itertools.count(1)


def _text(client, from_number, body, sid=None):
    sid = sid or f"SM{next(_SIDS):032d}"
    params = {"From": from_number, "To": "+12035550000", "Body": body, "MessageSid": sid}
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


def test_stop_is_a_ledger_row_naming_the_keyword(world, twilio, client):
    _text(client, world.ana.mobile_phone, "PARAR")
    change = ConsentChange.objects.get(guardian=world.ana)
    assert (change.channel, change.category, change.state, change.via, change.detail) == (
        "sms", "", "refused", "stop_text", "PARAR")


def test_start_is_a_ledger_row_too(world, twilio, client):
    _text(client, world.ana.mobile_phone, "STOP")
    _text(client, world.ana.mobile_phone, "START")
    assert list(ConsentChange.objects.filter(guardian=world.ana).order_by("id").values_list("via", flat=True)) == [
        "stop_text", "start_text"]


def test_stop_on_texts_never_silences_calls_or_email(world, twilio, client, django_capture_on_commit_callbacks):
    world.ana.home_phone = "+12035550188"
    world.ana.channel_order = ["sms", "voice", "email"]
    world.ana.save()
    _text(client, world.ana.mobile_phone, "STOP")
    ana = Guardian.objects.get(pk=world.ana.pk)
    assert ana.voice_opted_out_at is None and ana.email_opted_out_at is None
    for channel in ("voice", "email"):
        assert reachability.can_reach(guardian_id=ana.pk, channel=channel, category="news", rule="mission").ok
    assert reachability.can_reach(guardian_id=ana.pk, channel="sms", category="news", rule="mission").reason == (
        "opted_out")


def test_stop_reply_says_exactly_what_stop_did(world, twilio, client):
    reply = _text(client, world.paul.mobile_phone, "STOP").content.decode()
    assert "no more texts from Riverside" in reply
    assert "except urgent alerts, attendance notices" in reply
    assert "Calls and email are not affected" in reply and "START" in reply


def test_stop_reply_is_in_spanish_for_a_spanish_speaking_family(world, twilio, client):
    reply = _text(client, world.ana.mobile_phone, "STOP").content.decode()
    assert "alertas urgentes" in reply and "llamadas" in reply.lower()


def test_a_signed_stop_without_a_sender_opts_out_nobody(world, twilio, client):
    Guardian.objects.filter(pk=world.rosa.pk).update(mobile_phone="")
    for sender in ("", "   "):
        assert _text(client, sender, "STOP").status_code == 400
    assert not Guardian.objects.exclude(sms_opted_out_at=None).exists()
    assert not ConsentChange.objects.exists()


def test_the_inbound_service_refuses_an_empty_sender_too(world):
    Guardian.objects.filter(pk=world.rosa.pk).update(mobile_phone="")
    with pytest.raises(ValueError):
        sms_inbound(from_number="", body="STOP")
    assert not Guardian.objects.exclude(sms_opted_out_at=None).exists()


def test_a_retried_webhook_is_handled_once(world, twilio, client, django_capture_on_commit_callbacks):
    send(world, compose(world), django_capture_on_commit_callbacks)
    for _attempt in range(2):
        _text(client, world.ana.mobile_phone, "¿Hay clase el viernes?", sid="SM" + "7" * 32)
    assert ConversationEntry.objects.filter(from_guardian=True).count() == 1


def test_a_retried_stop_confirms_once_and_records_once(world, twilio, client):
    first = _text(client, world.ana.mobile_phone, "STOP", sid="SM" + "8" * 32)
    second = _text(client, world.ana.mobile_phone, "STOP", sid="SM" + "8" * 32)
    assert b"<Message>" in first.content and b"<Message>" not in second.content
    assert SmsOptOut.objects.count() == 1


def test_a_very_long_inbound_text_is_stored_capped(world, twilio, client, django_capture_on_commit_callbacks):
    send(world, compose(world), django_capture_on_commit_callbacks)
    _text(client, world.ana.mobile_phone, "a" * 100_000)
    assert len(ConversationEntry.objects.get(from_guardian=True).body) == MAX_INBOUND_BODY
