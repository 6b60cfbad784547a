"""SMS and voice through Twilio's REST API (loopback stand-in), and Twilio's signed status callbacks."""

from __future__ import annotations

import threading

import pytest
from twilio.request_validator import RequestValidator

from homeroom.messaging.models import Delivery
from homeroom.messaging.providers import send_transactional_sms
from homeroom.messaging.providers.twilio import TwilioPhone, http_client
from tests.messaging.conftest import FROM
from tests.messaging.helpers import compose, send
from tests.messaging.standins import INVALID_NUMBER

pytestmark = pytest.mark.django_db


def _post_callback(client, url, params, signature):
    return client.post(url.removeprefix("http://testserver"), params, HTTP_X_TWILIO_SIGNATURE=signature)


def test_text_is_posted_to_twilio_messages_api_with_a_status_callback(world, twilio,
                                                                      django_capture_on_commit_callbacks):
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    form = next(f for f in twilio.sent() if f["To"] == world.ana.mobile_phone)
    delivery = Delivery.objects.get(message=message, guardian=world.ana, channel="sms")
    assert form["From"] == FROM and form["Body"].startswith("Escuela cerrada")
    assert form["StatusCallback"] == f"http://testserver/messaging/hooks/twilio/status/?d={delivery.idempotency_key}"
    assert delivery.provider_id.startswith("SM") and delivery.state == "sent"


def test_signed_delivered_callback_marks_the_delivery_delivered(world, twilio, client,
                                                                 django_capture_on_commit_callbacks):
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(message=message, guardian=world.ana, channel="sms")
    form = next(f for f in twilio.sent() if f["To"] == world.ana.mobile_phone)
    url, params, signature = twilio.signed_callback(form, MessageSid=delivery.provider_id, MessageStatus="delivered")
    assert _post_callback(client, url, params, signature).status_code == 204
    delivery.refresh_from_db()
    assert delivery.state == "delivered"


def test_delivered_callback_repeated_changes_nothing_twice(world, twilio, client,
                                                           django_capture_on_commit_callbacks):
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(message=message, guardian=world.ana, channel="sms")
    form = next(f for f in twilio.sent() if f["To"] == world.ana.mobile_phone)
    url, params, signature = twilio.signed_callback(form, MessageSid=delivery.provider_id, MessageStatus="delivered")
    _post_callback(client, url, params, signature)
    first = Delivery.objects.get(pk=delivery.pk).finished_at
    _post_callback(client, url, params, signature)
    assert Delivery.objects.get(pk=delivery.pk).finished_at == first


def test_unsigned_status_callback_is_refused(world, twilio, client):
    response = client.post("/messaging/hooks/twilio/status/", {"MessageSid": "SM1", "MessageStatus": "delivered"})
    assert response.status_code == 403


def test_callback_with_a_forged_signature_is_refused(world, twilio, client):
    params = {"MessageSid": "SM1", "MessageStatus": "delivered"}
    signature = RequestValidator("not-the-token").compute_signature(
        "http://testserver/messaging/hooks/twilio/status/", params)
    assert client.post("/messaging/hooks/twilio/status/", params,
                       HTTP_X_TWILIO_SIGNATURE=signature).status_code == 403


def test_undelivered_callback_with_landline_code_fails_and_falls_back_to_a_call(world, twilio, client,
                                                                                django_capture_on_commit_callbacks):
    world.ana.home_phone = "+12035550142"
    world.ana.save()
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(message=message, guardian=world.ana, channel="sms")
    form = next(f for f in twilio.sent() if f["To"] == world.ana.mobile_phone)
    url, params, signature = twilio.signed_callback(
        form, MessageSid=delivery.provider_id, MessageStatus="undelivered", ErrorCode="30006")
    with django_capture_on_commit_callbacks(execute=True):
        _post_callback(client, url, params, signature)
    call = next(f for f in twilio.sent("Calls.json") if f["To"] == "+12035550142")
    assert "<Say" in call["Twiml"] and 'language="es-US"' in call["Twiml"]
    assert Delivery.objects.get(message=message, guardian=world.ana, channel="voice").state == "sent"


def test_invalid_number_is_a_permanent_failure(world, twilio, django_capture_on_commit_callbacks):
    world.ana.mobile_phone = INVALID_NUMBER
    world.ana.save()
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(message=message, guardian=world.ana, channel="sms")
    assert delivery.state == "failed" and "21211" in delivery.error


def test_urgent_call_reads_the_message_in_the_guardians_language(world, twilio, django_capture_on_commit_callbacks):
    world.ana.channel_order = ["voice"]
    world.ana.save()
    send(world, compose(world, category="urgent"), django_capture_on_commit_callbacks)
    call = next(f for f in twilio.sent("Calls.json") if f["To"] == world.ana.mobile_phone)
    assert "Escuela cerrada" in call["Twiml"] and "Polly.Lupe" in call["Twiml"]


def test_transactional_sms_uses_twilio_when_configured(twilio):
    sid = send_transactional_sms("+12035550123", "Your code is 123456")
    assert sid.startswith("SM") and twilio.sent()[0]["Body"] == "Your code is 123456"


@pytest.mark.django_db
def test_transactional_sms_goes_to_the_dev_outbox_without_twilio(settings):
    from homeroom.core.models import OutboxEntry

    settings.TWILIO_ACCOUNT_SID = ""
    send_transactional_sms("+12035550123", "Your code is 123456")
    assert OutboxEntry.objects.get(channel="sms").body == "Your code is 123456"



class Crash(Exception):
    pass


def _twilio_crash_then_rerun(world, twilio, monkeypatch, capture, *, crash_at):
    """Kill the worker right after Twilio accepted the `crash_at`-th call, then re-run after the lease."""
    import datetime as dt

    from django.utils import timezone
    from freezegun import freeze_time

    from homeroom.messaging import services
    from homeroom.messaging.engine import dispatch

    real = TwilioPhone.send_sms
    calls = {"n": 0}

    def dying(self, to, body, *, key=""):
        sid = real(self, to, body, key=key)
        calls["n"] += 1
        if calls["n"] == crash_at:
            raise Crash
        return sid

    monkeypatch.setattr(TwilioPhone, "send_sms", dying)
    message = compose(world)
    services.message_send(message=message, user=world.user("principal"))
    with pytest.raises(Crash):
        dispatch.deliver_batch(message.pk, 0)
    monkeypatch.setattr(TwilioPhone, "send_sms", real)
    with freeze_time(timezone.now() + dt.timedelta(minutes=10)), capture(execute=True):
        services.messages_sweep()
    return message


def test_worker_killed_after_twilio_accepted_a_text_resends_nothing_after_the_lease(
    world, twilio, monkeypatch, django_capture_on_commit_callbacks
):
    message = _twilio_crash_then_rerun(world, twilio, monkeypatch, django_capture_on_commit_callbacks, crash_at=1)
    texts = Delivery.objects.filter(message=message, channel="sms")
    sent_to = [form["To"] for form in twilio.sent()]
    assert sorted(sent_to) == sorted(set(sent_to)) == sorted(texts.values_list("address", flat=True))
    assert set(texts.values_list("state", flat=True)) == {"sent"}


def test_recovered_text_records_the_sid_twilio_gave_it(world, twilio, monkeypatch,
                                                      django_capture_on_commit_callbacks):
    message = _twilio_crash_then_rerun(world, twilio, monkeypatch, django_capture_on_commit_callbacks, crash_at=1)
    first = twilio.created[0]
    assert Delivery.objects.get(message=message, address=first["to"], channel="sms").provider_id == first["sid"]


def test_twilio_message_list_filters_by_to_and_from(world, twilio, django_capture_on_commit_callbacks):
    import datetime as dt

    send(world, compose(world), django_capture_on_commit_callbacks)
    since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    ids = TwilioPhone().sent_ids(kind="sms", key="", to=world.ana.mobile_phone, since=since)
    assert len(ids) == 1 and ids[0].startswith("SM")


def test_each_sending_thread_keeps_its_own_twilio_client(twilio):
    """httpcore's pool, shared by threads, can close a connection under another thread's request
    (encode/httpcore#1110): a thread's requests go through its own client, kept from one send to the next."""
    phone = TwilioPhone()
    mine = http_client(*phone.credentials)  # this thread's, made before the others start
    used: dict[str, list[object]] = {}  # the clients themselves: an id could be reused once a thread ends

    def send(name: str) -> None:
        for n in range(2):
            phone.send_sms(f"+1203555{n:04d}", "Schools are closed today.")
            used.setdefault(name, []).append(http_client(*phone.credentials))

    threads = [threading.Thread(target=send, args=(f"t{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(twilio.sent()) == 4
    assert used["t0"][0] is used["t0"][1] and used["t1"][0] is used["t1"][1]  # kept from one send to the next
    assert len({id(mine), id(used["t0"][0]), id(used["t1"][0])}) == 3  # never shared
