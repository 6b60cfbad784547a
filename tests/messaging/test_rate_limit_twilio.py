"""The rate limit per sending number, through the Twilio provider against a stand-in that enforces one too."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from freezegun import freeze_time

from homeroom.messaging import services
from homeroom.messaging.engine import dispatch
from homeroom.messaging.engine.dispatch import THROTTLE_PAUSE_SECONDS
from homeroom.messaging.engine.ratelimit import rate_take, rate_wait_seconds
from homeroom.messaging.models import Delivery, Message
from homeroom.roster.models import Guardian
from tests import factories as f
from tests.messaging.conftest import FROM, SID, TOKEN
from tests.messaging.helpers import compose
from tests.messaging.standins import TwilioStandIn

pytestmark = pytest.mark.django_db
RATE, BURST = 2, 5  # texts per second per number, and how many may go at once
OTHER_NUMBER = "+12035550001"
SECOND = dt.timedelta(seconds=1)


class Clock:
    """The stand-in's clock, moved by the test to the same `now` the batch runs at."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> float:
        return self.now.timestamp()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _twilio(settings: Any, clock: Clock, *, rate_per_second: float, burst: float) -> Iterator[TwilioStandIn]:
    with TwilioStandIn(SID, TOKEN, rate_per_second=rate_per_second, burst=burst, clock=clock) as standin:
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM_NUMBER = SID, TOKEN, FROM
        settings.TWILIO_API_BASE = standin.url
        settings.MESSAGING_PHONE_PROVIDER = "twilio"
        settings.MESSAGING_WEBHOOK_BASE_URL = "http://testserver"
        yield standin


@pytest.fixture
def limited(settings: Any, clock: Clock) -> Iterator[TwilioStandIn]:
    """Our limit is RATE/BURST per number, and Twilio refuses (429) anything beyond the same limit."""
    settings.MESSAGING_PHONE_RATE_PER_SECOND, settings.MESSAGING_PHONE_RATE_BURST = RATE, BURST
    yield from _twilio(settings, clock, rate_per_second=RATE, burst=BURST)


@pytest.fixture
def strict_twilio(settings: Any, clock: Clock) -> Iterator[TwilioStandIn]:
    """Our own limit off, Twilio's stricter: 3 at once, then one a second. One request in flight at a time."""
    settings.MESSAGING_PHONE_RATE_PER_SECOND = 0
    settings.MESSAGING_SEND_CONCURRENCY = 1
    yield from _twilio(settings, clock, rate_per_second=1, burst=3)


@pytest.fixture
def school(world: Any) -> Any:
    """Lincoln with 12 more families: 14 texts (Ana, Rosa and the 12)."""
    for _ in range(12):
        f.StudentGuardianFactory(student=f.StudentFactory(district=world.district, school=world.lincoln))
    return world


def _queued(world: Any, clock: Clock) -> Message:
    """A message planned at the clock's time, its batch not run yet."""
    message = compose(world)
    services.message_send(message=message, user=world.user("principal"), now=clock.now)
    return message


def _run(message: Message, clock: Clock, at: dt.datetime) -> dispatch.BatchResult:
    clock.now = at
    return dispatch.deliver_batch(message.pk, 0, now=at)


def _accepted(twilio: TwilioStandIn) -> list[dict[str, Any]]:
    return [r for r in twilio.requests if r["resource"] == "Messages.json" and r["status"] == 201]


def _paced_send(world: Any, settings: Any, *, rate_per_second: float,
                burst: float) -> tuple[TwilioStandIn, Message, dispatch.BatchResult]:
    """Send to Lincoln and run its batch, paced on the real clock, against Twilio holding the given ceiling."""
    with TwilioStandIn(SID, TOKEN, rate_per_second=rate_per_second, burst=burst) as twilio:
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM_NUMBER = SID, TOKEN, FROM
        settings.TWILIO_API_BASE = twilio.url
        settings.MESSAGING_PHONE_PROVIDER = "twilio"
        settings.MESSAGING_WEBHOOK_BASE_URL = "http://testserver"
        message = compose(world)
        services.message_send(message=message, user=world.user("principal"))
        result = dispatch.deliver_batch(message.pk, 0)
    return twilio, message, result


def test_a_batch_sends_no_more_texts_than_the_burst_from_one_number(school, limited, clock):
    message = _queued(school, clock)
    texts = Delivery.objects.filter(message=message, channel="sms")
    assert texts.count() == 14
    result = _run(message, clock, clock.now)
    assert [r["form"]["From"] for r in limited.requests] == [FROM] * BURST
    assert (result.sent, result.deferred) == (BURST, 14 - BURST)
    assert Counter(texts.values_list("state", flat=True)) == {"sent": BURST, "queued": 14 - BURST}


def test_held_back_texts_go_out_in_later_runs_at_the_configured_rate(school, limited, clock):
    message = _queued(school, clock)
    start = clock.now
    per_run = []
    for second in range(8):
        before = len(limited.requests)
        _run(message, clock, start + second * SECOND)
        per_run.append(len(limited.requests) - before)
    assert per_run == [BURST, RATE, RATE, RATE, RATE, 1, 0, 0]  # 5 at once, then 2 a second: 14 in all
    assert {r["status"] for r in limited.requests} == {201}  # Twilio, holding the same limit, refused none
    texts = Delivery.objects.filter(message=message, channel="sms")
    assert set(texts.values_list("state", flat=True)) == {"sent"}
    assert sorted(r["form"]["To"] for r in limited.requests) == sorted(texts.values_list("address", flat=True))
    assert Message.objects.get(pk=message.pk).status == "sent"


def test_a_run_half_a_second_later_sends_only_the_one_text_earned_since(school, limited, clock):
    message = _queued(school, clock)
    start = clock.now
    _run(message, clock, start)
    result = _run(message, clock, start + SECOND / 2)
    assert (result.sent, len(_accepted(limited))) == (1, BURST + 1)


def test_the_sweep_sends_what_the_rate_limit_held_back(school, limited, clock, django_capture_on_commit_callbacks):
    message = _queued(school, clock)
    start = clock.now
    _run(message, clock, start)
    clock.now = start + 2 * SECOND
    with freeze_time(clock.now), django_capture_on_commit_callbacks(execute=True):
        services.messages_sweep()
    assert len(_accepted(limited)) == BURST + 2 * RATE
    assert Delivery.objects.filter(message=message, channel="sms", state="queued").count() == 14 - BURST - 2 * RATE


def test_each_sending_number_has_its_own_allowance(school, limited, clock, settings):
    first, second = _queued(school, clock), _queued(school, clock)
    _run(first, clock, clock.now)
    settings.TWILIO_FROM_NUMBER = OTHER_NUMBER
    _run(second, clock, clock.now)
    assert Counter(r["form"]["From"] for r in _accepted(limited)) == {FROM: BURST, OTHER_NUMBER: BURST}
    assert {r["status"] for r in limited.requests} == {201}


def test_twilio_429_puts_the_text_back_in_the_queue_not_failed(school, strict_twilio, clock):
    message = _queued(school, clock)
    result = _run(message, clock, clock.now)
    refused = [r for r in strict_twilio.requests if r["status"] == 429]
    # One refusal is enough: the rest of the batch on that number is not sent into a wall of 429s.
    assert (len(_accepted(strict_twilio)), len(refused)) == (3, 1)
    assert (result.sent, result.retry, result.failed, result.deferred) == (3, 0, 0, 11)
    waiting = Delivery.objects.filter(message=message, channel="sms").exclude(state="sent")
    assert waiting.count() == 11
    assert set(waiting.values_list("state", flat=True)) == {"queued"}
    # Being throttled is not the message's fault: no attempt is used up, and they wait a few seconds.
    assert {d.attempts for d in waiting} == {0}
    assert {d.not_before for d in waiting} == {clock.now + dt.timedelta(seconds=THROTTLE_PAUSE_SECONDS)}
    assert waiting.get(address=refused[0]["form"]["To"]).error.startswith("Twilio 20429")
    # A temporary refusal says nothing about the number: none marked bad, no fallback call.
    assert not Guardian.objects.filter(mobile_phone_bad_at__isnull=False).exists()
    assert not Delivery.objects.filter(message=message, channel="voice").exists()


def test_texts_twilio_refused_with_429_are_sent_by_a_later_run(school, strict_twilio, clock):
    message = _queued(school, clock)
    start = clock.now
    _run(message, clock, start)
    strict_twilio.rate_per_second = strict_twilio.burst = 0  # Twilio takes everything again
    result = _run(message, clock, start + SECOND)
    assert result.sent == 0  # still inside the pause after the 429
    result = _run(message, clock, start + (THROTTLE_PAUSE_SECONDS + 1) * SECOND)
    assert result.sent == 11
    texts = Delivery.objects.filter(message=message, channel="sms")
    assert set(texts.values_list("state", flat=True)) == {"sent"}
    assert sorted(r["form"]["To"] for r in _accepted(strict_twilio)) == sorted(texts.values_list("address", flat=True))


def test_a_taker_with_an_older_clock_does_not_rewind_the_bucket():
    start = timezone.now()
    assert rate_take(key="twilio:+1", wanted=5, rate_per_second=1, burst=5, now=start) == 5
    # A worker that read its clock a second before the first one took its tokens comes second:
    assert rate_take(key="twilio:+1", wanted=5, rate_per_second=1, burst=5, now=start - SECOND) == 0
    # One second after the first take, one token has been earned, not two.
    assert rate_take(key="twilio:+1", wanted=5, rate_per_second=1, burst=5, now=start + SECOND) == 1


def test_a_paced_batch_sends_the_texts_twilio_refused_with_429_in_the_same_run(school, settings, monkeypatch):
    """The bench's ceilings run once left texts queued after a 429: the batch gave them back and ended, and only
    a rerun task would have sent them. A paced batch now waits for them as for its next tokens."""
    settings.MESSAGING_PHONE_RATE_PER_SECOND = 0  # our own limit off: Twilio's is the only one
    settings.MESSAGING_SEND_CONCURRENCY = 1
    settings.MESSAGING_PACE_SECONDS = 30
    monkeypatch.setattr(dispatch, "THROTTLE_PAUSE_SECONDS", 0.3)
    twilio, message, result = _paced_send(school, settings, rate_per_second=20, burst=6)
    refused = [r for r in twilio.requests if r["status"] == 429]
    assert refused  # Twilio did refuse some: 14 texts against a burst of 6
    texts = Delivery.objects.filter(message=message, channel="sms")
    assert set(texts.values_list("state", flat=True)) == {"sent"}  # none left queued
    assert sorted(r["form"]["To"] for r in _accepted(twilio)) == sorted(texts.values_list("address", flat=True))
    assert result.sent == 14 and not result.follow_ups  # nothing left to a rerun
    assert Message.objects.get(pk=message.pk).status == "sent"


def test_a_paced_batch_waits_for_a_passs_worth_of_tokens_not_one_at_a_time(school, settings, monkeypatch):
    """At a 100 texts/s ceiling, waiting for one token meant a pass (re-reading the batch) every 10 ms, for one
    text each: CPU the web pages need during a district send. A pass now waits for PACE_STEP_SECONDS of tokens
    (here capped by the burst of 5)."""
    rate, burst = 20, 5
    settings.MESSAGING_PHONE_RATE_PER_SECOND, settings.MESSAGING_PHONE_RATE_BURST = rate, burst
    settings.MESSAGING_PACE_SECONDS = 30
    asked: list[float] = []
    real_wait = dispatch.rate_wait_seconds
    monkeypatch.setattr(dispatch, "rate_wait_seconds",
                        lambda **kwargs: asked.append(kwargs["tokens"]) or real_wait(**kwargs))
    twilio, _message, result = _paced_send(school, settings, rate_per_second=rate, burst=burst)
    assert result.sent == 14 and len(_accepted(twilio)) == 14
    # The burst of 5 goes at once and 9 texts are owed: the batch waits for the next 5 tokens (0.25 s at 20 a
    # second), capped by the burst; waiting for one token at a time meant a pass per text.
    assert asked[0] == 5


def test_the_wait_for_tokens_counts_what_the_bucket_has_earned_since_it_was_last_taken_from():
    """A pass that took 0.3 s (ten calls at 150-300 ms each) has already earned 0.3 s of tokens: waiting the
    whole second again after it ran the bench's 10 calls/s at 1.2x the provider's floor."""
    start = timezone.now()
    assert rate_take(key="calls", wanted=5, rate_per_second=10, burst=5, now=start) == 5  # the bucket is empty
    assert rate_wait_seconds(key="calls", rate_per_second=10, tokens=10, now=start) == pytest.approx(1.0)
    assert rate_wait_seconds(key="calls", rate_per_second=10, tokens=10, now=start + 0.3 * SECOND) == \
        pytest.approx(0.7)
    assert rate_wait_seconds(key="calls", rate_per_second=10, tokens=10, now=start + 2 * SECOND) == 0.0
