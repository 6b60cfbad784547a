"""Twilio's status callbacks over real HTTP: the stand-in posts them, signed, to the app on live_server."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from homeroom.messaging import services
from homeroom.messaging.engine import dispatch, outcomes
from homeroom.messaging.models import Delivery, Message
from homeroom.messaging.selectors import message_report
from homeroom.roster.models import Guardian
from tests import factories as f
from tests.messaging.conftest import FROM, SID, TOKEN
from tests.messaging.helpers import compose
from tests.messaging.standins import Outcome, TwilioStandIn

# Transactional: live_server's thread must see what the test wrote, and the test what the callbacks changed.
pytestmark = pytest.mark.django_db(transaction=True)
HOME = "+12035550142"


def _live_twilio(settings: Any, live_server: Any, callbacks: str) -> Iterator[TwilioStandIn]:
    with TwilioStandIn(SID, TOKEN, callbacks=callbacks) as standin:
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM_NUMBER = SID, TOKEN, FROM
        settings.TWILIO_API_BASE = standin.url
        settings.MESSAGING_PHONE_PROVIDER = "twilio"
        settings.MESSAGING_WEBHOOK_BASE_URL = live_server.url
        yield standin


@pytest.fixture
def twilio_live(settings: Any, live_server: Any) -> Iterator[TwilioStandIn]:
    """Twilio that posts each status callback from a background thread once it has answered the create."""
    yield from _live_twilio(settings, live_server, "after")


@pytest.fixture
def twilio_early(settings: Any, live_server: Any) -> Iterator[TwilioStandIn]:
    """Twilio whose callbacks arrive before its answer to the create does."""
    yield from _live_twilio(settings, live_server, "early")


@pytest.fixture
def twilio_quiet(settings: Any, live_server: Any) -> Iterator[TwilioStandIn]:
    """Twilio that posts no callbacks by itself; the test posts them."""
    yield from _live_twilio(settings, live_server, "")


@pytest.fixture
def families(world: Any) -> Any:
    """Lincoln with two more families, so a message goes to four guardians by text."""
    for _ in range(2):
        f.StudentGuardianFactory(student=f.StudentFactory(district=world.district, school=world.lincoln))
    return world


def _send(world: Any, twilio: TwilioStandIn, message: Message) -> None:
    # Callbacks wait at the stand-in's gate until the send has returned, so they arrive after Twilio's answers.
    with twilio.gate:
        services.message_send(message=message, user=world.user("principal"))


def _eventually(twilio: TwilioStandIn, check: Callable[[], bool], timeout: float = 20) -> bool:
    """Poll the database (taking turns with the callbacks) until `check` holds, for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        with twilio.gate:
            if check():
                return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def _states(queryset: Any) -> set[str]:
    return set(queryset.values_list("state", flat=True))


def test_texts_become_delivered_when_twilio_posts_its_signed_callbacks(families, twilio_live):
    message = compose(families)
    _send(families, twilio_live, message)
    texts = Delivery.objects.filter(message=message, channel="sms")
    assert _eventually(twilio_live, lambda: _states(texts) == {"delivered"})
    assert twilio_live.callbacks_posted()
    assert texts.count() == 4
    assert {c["status"] for c in twilio_live.callbacks} == {204}
    posted = [(c["params"]["To"], c["params"]["MessageStatus"]) for c in twilio_live.callbacks]
    for address in texts.values_list("address", flat=True):
        assert [status for to, status in posted if to == address] == ["queued", "sent", "delivered"]
    sids = {item["to"]: item["sid"] for item in twilio_live.created}
    assert all(d.provider_id == sids[d.address] and d.finished_at for d in texts)


def test_undelivered_text_with_a_permanent_code_falls_back_to_calling_home(families, twilio_live):
    ana = families.ana
    ana.home_phone = HOME
    ana.save()
    twilio_live.outcomes[ana.mobile_phone] = Outcome("undelivered", error_code="30006")  # a landline
    message = compose(families)
    _send(families, twilio_live, message)
    call = Delivery.objects.filter(message=message, guardian=ana, channel="voice")
    assert _eventually(twilio_live, lambda: _states(call) == {"delivered"})
    assert twilio_live.callbacks_posted()
    text = Delivery.objects.get(message=message, guardian=ana, channel="sms")
    assert (text.state, text.error, call.get().fallback_of_id) == ("failed", "Twilio 30006", text.pk)
    assert [form["To"] for form in twilio_live.sent("Calls.json")] == [HOME]
    assert Guardian.objects.get(pk=ana.pk).mobile_phone_bad_at is not None
    others = Delivery.objects.filter(message=message, channel="sms").exclude(guardian=ana)
    assert _states(others) == {"delivered"}
    assert Message.objects.get(pk=message.pk).status == "sent"


def test_callback_with_a_wrong_signature_is_refused_over_http_and_changes_nothing(world, twilio_quiet):
    message = compose(world)
    _send(world, twilio_quiet, message)
    text = Delivery.objects.get(message=message, guardian=world.ana, channel="sms")
    form = next(f for f in twilio_quiet.sent() if f["To"] == world.ana.mobile_phone)
    params = {"AccountSid": SID, "MessageSid": text.provider_id, "From": FROM, "To": text.address,
              "MessageStatus": "delivered"}
    assert twilio_quiet.post_status(form["StatusCallback"], params, auth_token="not-the-token") == 403
    assert Delivery.objects.get(pk=text.pk).state == "sent"
    # The same callback signed with the account's token is taken: it was the signature that was refused.
    assert twilio_quiet.post_status(form["StatusCallback"], params) == 204
    assert Delivery.objects.get(pk=text.pk).state == "delivered"


def test_callback_that_arrives_before_twilios_answer_still_records_the_send(families, twilio_early):
    message = compose(families)
    services.message_send(message=message, user=families.user("principal"))  # callbacks land mid-send
    texts = Delivery.objects.filter(message=message, channel="sms")
    sids = {item["to"]: item["sid"] for item in twilio_early.created}
    assert {c["status"] for c in twilio_early.callbacks} == {204}
    assert _states(texts) == {"delivered"}
    assert all(d.provider_id == sids[d.address] and d.sent_at and d.attempts == 1 for d in texts)


def _urgent_call_home(world: Any, twilio: TwilioStandIn, outcome: Outcome) -> Delivery:
    """An urgent call to Ana's home phone that ends with `outcome`; returns the call once its callback landed."""
    ana = world.ana
    ana.home_phone, ana.channel_order = HOME, ["voice"]
    ana.save()
    twilio.outcomes[HOME] = outcome
    message = compose(world, category="urgent")
    _send(world, twilio, message)
    call = Delivery.objects.filter(message=message, guardian=ana, channel="voice", fallback_of=None)
    assert _eventually(twilio, lambda: _states(call) == {"failed"})
    assert twilio.callbacks_posted()
    assert [c["params"]["CallStatus"] for c in twilio.callbacks if c["params"]["To"] == HOME] == [outcome.status]
    return call.get()


@pytest.mark.parametrize("status", ["busy", "no-answer", "canceled"])
def test_call_that_was_not_answered_fails_without_marking_the_home_phone_bad(world, twilio_live, status):
    call = _urgent_call_home(world, twilio_live, Outcome(status))
    assert (call.address, call.error) == (HOME, status)
    assert Guardian.objects.get(pk=world.ana.pk).home_phone_bad_at is None
    # A busy line or no answer is called again later; a cancelled call is not, and nothing falls back.
    again = Delivery.objects.filter(fallback_of=call)
    assert list(again.values_list("channel", "address", "state")) == (
        [] if status == "canceled" else [("voice", HOME, "queued")])
    assert not Delivery.objects.filter(message=call.message, guardian=world.ana).exclude(channel="voice").exists()


def _calls_home(twilio: TwilioStandIn) -> int:
    return sum(form["To"] == HOME for form in twilio.sent("Calls.json"))


def _not_reached(message: Message) -> set[int]:
    return {row["guardian_id"] for row in message_report(message).not_reached}


def _call_again(world: Any, twilio: TwilioStandIn, previous: Delivery) -> Delivery:
    """Run the retry of `previous` when it is due; returns it once its own callback has landed."""
    retry = Delivery.objects.get(fallback_of=previous)
    with twilio.gate:
        dispatch.deliver_batch(retry.message_id, outcomes.FALLBACK_BATCH, now=retry.not_before)
    assert _eventually(twilio, lambda: Delivery.objects.get(pk=retry.pk).state in {"delivered", "failed"})
    return Delivery.objects.get(pk=retry.pk)


def test_busy_line_is_called_again_ten_minutes_later_and_the_family_is_reached(world, twilio_live):
    first = _urgent_call_home(world, twilio_live, Outcome("busy"))
    retry = Delivery.objects.get(fallback_of=first)
    assert retry.idempotency_key == first.idempotency_key + "-retry1"
    assert dt.timedelta(minutes=9.9) < retry.not_before - first.finished_at < dt.timedelta(minutes=10.1)
    with twilio_live.gate:  # not due yet: nothing is called
        assert dispatch.deliver_batch(retry.message_id, outcomes.FALLBACK_BATCH).sent == 0
    twilio_live.outcomes[HOME] = Outcome("completed")  # this time somebody answers

    assert _call_again(world, twilio_live, first).state == "delivered"
    assert _calls_home(twilio_live) == 2
    assert world.ana.pk not in _not_reached(first.message)


def test_a_line_that_stays_busy_is_tried_three_times_in_all(world, twilio_live, settings):
    assert settings.MESSAGING_CALL_RETRIES == 2
    first = _urgent_call_home(world, twilio_live, Outcome("busy"))
    second = _call_again(world, twilio_live, first)
    third = _call_again(world, twilio_live, second)
    assert (second.state, third.state, third.idempotency_key) == ("failed", "failed",
                                                                 first.idempotency_key + "-retry2")
    assert twilio_live.callbacks_posted()
    assert not Delivery.objects.filter(fallback_of=third).exists()
    assert _calls_home(twilio_live) == 3
    reasons = {r["guardian_id"]: r["reasons"] for r in message_report(first.message).not_reached}[world.ana.pk]
    assert reasons == ["Phone call: Failed (busy)"] * 3


def test_call_that_failed_without_an_error_code_does_not_mark_the_home_phone_bad(world, twilio_live):
    _urgent_call_home(world, twilio_live, Outcome("failed"))
    assert Guardian.objects.get(pk=world.ana.pk).home_phone_bad_at is None


def test_call_that_failed_with_a_permanent_code_marks_the_home_phone_bad(world, twilio_live):
    call = _urgent_call_home(world, twilio_live, Outcome("failed", error_code="21217"))
    assert call.error == "Twilio 21217"
    assert Guardian.objects.get(pk=world.ana.pk).home_phone_bad_at is not None
