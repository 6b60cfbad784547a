"""A call that met a busy line or no answer is tried again later: when, and when not."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from homeroom.messaging import services
from homeroom.messaging.engine import outcomes as status
from homeroom.messaging.models import Delivery
from tests.messaging.helpers import compose

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
HOME = "+12035550142"


def _failed_call(world, category: str = "news") -> Delivery:
    """Ana's call (her only channel), sent and then reported busy."""
    world.ana.home_phone, world.ana.channel_order = HOME, ["voice"]
    world.ana.save()
    message = compose(world, category=category)
    services.message_dispatch(message_id=message.pk)
    call = Delivery.objects.get(message=message, guardian=world.ana, channel="voice")
    Delivery.objects.filter(pk=call.pk).update(state="failed", error="busy")
    return call


def test_the_retry_waits_the_set_minutes(world, settings):
    settings.MESSAGING_CALL_RETRY_MINUTES = 15
    call = _failed_call(world)
    now = dt.datetime(2025, 3, 4, 10, 0, tzinfo=NEW_YORK)
    retry = status.call_retry(delivery_id=call.pk, now=now)
    assert (retry.state, retry.batch) == ("queued", status.FALLBACK_BATCH)
    assert retry.not_before == now + dt.timedelta(minutes=15)
    assert status.call_retry(delivery_id=call.pk, now=now) is None  # the callback came twice: still one retry
    assert Delivery.objects.filter(fallback_of=call).count() == 1


@pytest.mark.parametrize(("category", "due"), [
    ("news", dt.datetime(2025, 3, 5, 7, 30, tzinfo=NEW_YORK)),  # held to the end of quiet hours
    ("urgent", dt.datetime(2025, 3, 4, 21, 5, tzinfo=NEW_YORK)),  # urgent calls do not wait for the morning
])
def test_a_retry_that_would_fall_in_quiet_hours_waits_for_the_morning_unless_urgent(world, settings, category, due):
    settings.MESSAGING_CALL_RETRY_MINUTES = 10
    world.district.quiet_hours_start, world.district.quiet_hours_end = dt.time(21, 0), dt.time(7, 30)
    world.district.time_zone = "America/New_York"
    world.district.save()
    call = _failed_call(world, category)
    retry = status.call_retry(delivery_id=call.pk, now=dt.datetime(2025, 3, 4, 20, 55, tzinfo=NEW_YORK))
    assert retry.not_before == due


def test_no_retry_when_the_family_changed_the_number_or_for_a_text(world):
    call = _failed_call(world)
    world.ana.home_phone = "+12035550999"
    world.ana.save()
    assert status.call_retry(delivery_id=call.pk) is None  # the family gave the school another number
    text = Delivery.objects.create(message=call.message, guardian=world.ana, channel="sms", address="+1",
                                   language="en", content_language="en", idempotency_key="t-1", state="failed")
    assert status.call_retry(delivery_id=text.pk) is None


def test_no_more_retries_than_the_setting(world, settings):
    settings.MESSAGING_CALL_RETRIES = 1
    call = _failed_call(world)
    retry = status.call_retry(delivery_id=call.pk)
    Delivery.objects.filter(pk=retry.pk).update(state="failed", error="no-answer")
    assert status.call_retry(delivery_id=retry.pk) is None


@pytest.mark.parametrize(("category", "retried"), [("news", False), ("urgent", True)])
def test_a_family_that_opted_out_of_calls_is_not_called_again_unless_urgent(world, category, retried):
    call = _failed_call(world, category)
    world.ana.voice_opted_out_at = dt.datetime(2025, 3, 4, 9, 0, tzinfo=NEW_YORK)
    world.ana.save()
    # Emergency-class messages (urgent, attendance) need no consent under the FCC rules; the rest honour it.
    assert (status.call_retry(delivery_id=call.pk) is not None) is retried
