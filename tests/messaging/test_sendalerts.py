"""The delivery state machine: each delivery sent once, even when a worker dies mid-batch or runs twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone
from freezegun import freeze_time

from homeroom.core.models import OutboxEntry
from homeroom.messaging import services
from homeroom.messaging.channels.sms import SmsTransport
from homeroom.messaging.engine import dispatch
from homeroom.messaging.models import Delivery, Message
from tests import factories as f
from tests.messaging.helpers import compose, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_school(world):
    """Lincoln with 30 more families, so batches have something to lose."""
    for _ in range(30):
        student = f.StudentFactory(district=world.district, school=world.lincoln)
        f.StudentGuardianFactory(student=student)
    return world


def _keys_in_outbox():
    return Counter(e.meta.get("delivery") for e in OutboxEntry.objects.all())


def test_sending_moves_every_delivery_to_sent_and_the_message_to_sent(world, django_capture_on_commit_callbacks):
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    states = set(Delivery.objects.filter(message=message).exclude(state="skipped").values_list("state", flat=True))
    assert states == {"sent"}
    assert Message.objects.get(pk=message.pk).status == "sent"


def test_each_text_carries_the_call_back_line(world, django_capture_on_commit_callbacks):
    send(world, compose(world), django_capture_on_commit_callbacks)
    body = OutboxEntry.objects.get(channel="sms", to=world.ana.mobile_phone).body
    assert "Main office" in body and "+12035550100" in body


def test_running_a_batch_twice_sends_nothing_twice(big_school, django_capture_on_commit_callbacks):
    message = send(big_school, compose(big_school), django_capture_on_commit_callbacks)
    dispatch.deliver_batch(message.pk, 0)
    assert max(_keys_in_outbox().values()) == 1


def test_dispatching_a_message_twice_plans_it_once(world, django_capture_on_commit_callbacks):
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    count = Delivery.objects.filter(message=message).count()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_dispatch(message_id=message.pk)
    assert Delivery.objects.filter(message=message).count() == count


class Crash(Exception):
    pass


def test_worker_killed_mid_batch_then_rerun_loses_nothing_and_duplicates_nothing(
    big_school, monkeypatch, django_capture_on_commit_callbacks
):
    calls = {"n": 0}
    real_send = SmsTransport.send

    def dying_send(self, delivery, rendered):
        calls["n"] += 1
        result = real_send(self, delivery, rendered)
        if calls["n"] == 7:
            # Dies after the provider took the 7th text but before we recorded it: the worst moment.
            raise Crash
        return result

    monkeypatch.setattr(SmsTransport, "send", dying_send)
    message = compose(big_school)
    services.message_send(message=message, user=big_school.user("principal"))  # queued; no worker has run yet
    with pytest.raises(Crash):
        dispatch.deliver_batch(message.pk, 0)
    assert len(_keys_in_outbox()) == 7
    # The 7th was taken by the provider but never recorded; it waits, claimed, for the lease to run out.
    seventh = Delivery.objects.get(idempotency_key=sorted(_keys_in_outbox(), key=lambda k: OutboxEntry.objects
                                                          .get(meta__delivery=k).pk)[-1])
    assert seventh.state == "sending"
    monkeypatch.setattr(SmsTransport, "send", real_send)
    later = timezone.now() + dt.timedelta(minutes=10)  # the dead worker's claim lease has run out
    with freeze_time(later), django_capture_on_commit_callbacks(execute=True):
        services.messages_sweep()
    sendable = Delivery.objects.filter(message=message).exclude(state="skipped")
    assert set(sendable.values_list("state", flat=True)) == {"sent"}
    outbox = _keys_in_outbox()
    assert max(outbox.values()) == 1
    assert {d.idempotency_key for d in sendable if d.channel != "portal"} <= set(outbox)


def test_claimed_delivery_is_not_taken_by_a_second_worker_within_its_lease(world):
    message = compose(world)
    services.message_dispatch(message_id=message.pk)
    delivery = Delivery.objects.filter(message=message, state="queued").first()
    now = timezone.now()
    assert dispatch._claim([delivery.pk], now) == {delivery.pk}
    assert dispatch._claim([delivery.pk], now) == set()
    delivery.refresh_from_db()
    assert delivery.state == "sending"


def test_a_batch_is_claimed_whole_except_rows_another_worker_holds(world):
    message = compose(world)
    services.message_dispatch(message_id=message.pk)
    ids = sorted(Delivery.objects.filter(message=message, state="queued").values_list("pk", flat=True))
    now = timezone.now()
    assert dispatch._claim(ids[:1], now) == {ids[0]}
    assert dispatch._claim(ids, now) == set(ids[1:])


def test_rate_limit_per_sending_number_holds_back_the_rest(big_school, settings,
                                                           django_capture_on_commit_callbacks):
    settings.MESSAGING_PHONE_RATE_PER_SECOND = 1
    settings.MESSAGING_PHONE_RATE_BURST = 5
    start = timezone.now()
    with freeze_time(start):
        message = send(big_school, compose(big_school), django_capture_on_commit_callbacks)
        texts = Delivery.objects.filter(message=message, channel="sms")
        assert texts.filter(state="sent").count() == 5
    with freeze_time(start + dt.timedelta(seconds=3)), django_capture_on_commit_callbacks(execute=True):
        services.messages_sweep()
    assert texts.filter(state="sent").count() == 8


def test_permanent_sms_failure_marks_mobile_bad_and_falls_back_to_calling_home(world, monkeypatch,
                                                                         django_capture_on_commit_callbacks):
    from homeroom.messaging.channels import TransportError

    def refuse(self, delivery, rendered):
        raise TransportError("Twilio 21211: invalid number", permanent=True)

    monkeypatch.setattr(SmsTransport, "send", refuse)
    world.ana.home_phone = "+12035550142"
    world.ana.save()
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    sms = Delivery.objects.get(message=message, guardian=world.ana, channel="sms")
    voice = Delivery.objects.get(message=message, guardian=world.ana, channel="voice")
    world.ana.refresh_from_db()
    assert (sms.state, voice.state, voice.fallback_of_id) == ("failed", "sent", sms.pk)
    assert world.ana.mobile_phone_bad_at is not None


def test_transient_failure_is_retried_not_failed(world, monkeypatch, django_capture_on_commit_callbacks):
    from homeroom.messaging.channels import TransportError

    def flaky(self, delivery, rendered):
        raise TransportError("timeout")

    monkeypatch.setattr(SmsTransport, "send", flaky)
    message = send(world, compose(world), django_capture_on_commit_callbacks)
    sms = Delivery.objects.get(message=message, guardian=world.ana, channel="sms")
    assert (sms.state, sms.attempts) == ("queued", 1)


def test_quiet_hours_deliveries_wait_for_the_sweep_after_the_window(world, django_capture_on_commit_callbacks):
    import datetime as d
    from zoneinfo import ZoneInfo

    world.district.quiet_hours_start = d.time(21, 0)
    world.district.quiet_hours_end = d.time(7, 0)
    world.district.save()
    late = dt.datetime(2025, 3, 3, 23, 0, tzinfo=ZoneInfo("America/New_York"))
    with freeze_time(late):
        message = send(world, compose(world), django_capture_on_commit_callbacks)
    sms = Delivery.objects.filter(message=message, channel="sms")
    assert set(sms.values_list("state", flat=True)) == {"queued"}
    with freeze_time(late + dt.timedelta(hours=8, minutes=1)), django_capture_on_commit_callbacks(execute=True):
        services.messages_sweep()
    assert set(sms.values_list("state", flat=True)) == {"sent"}


def test_scheduled_message_goes_out_when_due(world, django_capture_on_commit_callbacks):
    when = timezone.now() + dt.timedelta(hours=2)
    message = send(world, compose(world, scheduled_for=when), django_capture_on_commit_callbacks)
    assert message.status == "scheduled" and not Delivery.objects.filter(message=message).exists()
    with freeze_time(when + dt.timedelta(minutes=1)), django_capture_on_commit_callbacks(execute=True):
        services.messages_sweep()
    assert Message.objects.get(pk=message.pk).status == "sent"


def test_cancelled_message_sends_nothing_more(world, django_capture_on_commit_callbacks):
    message = compose(world, scheduled_for=timezone.now() + dt.timedelta(hours=1))
    send(world, message, django_capture_on_commit_callbacks)
    services.message_cancel(message=message)
    with freeze_time(timezone.now() + dt.timedelta(hours=2)), django_capture_on_commit_callbacks(execute=True):
        services.messages_sweep()
    assert not OutboxEntry.objects.exists()
