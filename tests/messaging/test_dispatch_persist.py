"""Dispatch writes the plan in bulk: every planned row stored as planned, once, with sendable rows queued."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from homeroom.messaging import services
from homeroom.messaging.engine.planning import plan_message
from homeroom.messaging.models import Delivery, Message
from tests import factories as f
from tests.messaging.helpers import compose

pytestmark = pytest.mark.django_db
LATE = dt.datetime(2025, 3, 3, 22, 15, tzinfo=ZoneInfo("America/New_York"))

FIELDS = ("guardian_id", "channel", "address", "language", "content_language", "student_ids", "reason",
          "idempotency_key", "batch", "not_before")


def _stored(message):
    return sorted(Delivery.objects.filter(message=message).values_list(*FIELDS, "state"))


def test_stored_deliveries_are_the_plan_with_sendable_rows_queued(world):
    world.ana.mobile_phone_bad_at, world.ana.mobile_phone_bad_value = LATE, world.ana.mobile_phone
    world.ana.save()
    message = compose(world)
    expected = sorted(
        (*(getattr(d, name) for name in FIELDS), "queued" if d.state == "planned" else d.state)
        for d in plan_message(message, user=world.user("principal")).deliveries
    )
    services.message_dispatch(message_id=message.pk)
    assert _stored(message) == expected


def test_quiet_hours_hold_is_stored_on_the_texts(world):
    world.district.quiet_hours_start = dt.time(21, 0)
    world.district.quiet_hours_end = dt.time(7, 30)
    world.district.save()
    message = compose(world)
    services.message_dispatch(message_id=message.pk, now=LATE)
    held = set(Delivery.objects.filter(message=message, channel="sms").values_list("not_before", flat=True))
    assert held == {dt.datetime(2025, 3, 4, 7, 30, tzinfo=ZoneInfo("America/New_York"))}


def test_guardian_of_two_children_is_stored_once_with_both(world):
    brother = f.StudentFactory(district=world.district, school=world.lincoln)
    f.StudentGuardianFactory(student=brother, guardian=world.ana)
    message = compose(world)
    services.message_dispatch(message_id=message.pk)
    rows = Delivery.objects.filter(message=message, guardian=world.ana)
    assert [d.student_ids for d in rows] == [sorted([world.sofia.pk, brother.pk])]


def test_dispatching_twice_writes_nothing_the_second_time(world):
    message = compose(world)
    first = services.message_dispatch(message_id=message.pk)
    stored = _stored(message)
    assert services.message_dispatch(message_id=message.pk) == []  # nothing written, nothing queued
    assert first and stored and _stored(message) == stored


def test_two_messages_dispatched_in_one_transaction_are_both_stored(world):
    from django.db import transaction

    first, second = compose(world), compose(world)
    with transaction.atomic():
        services.message_dispatch(message_id=first.pk)
        services.message_dispatch(message_id=second.pk)
    assert Delivery.objects.filter(message=first).count() == Delivery.objects.filter(message=second).count() > 0


def test_audience_nobody_can_be_reached_in_is_sent_at_once_with_nothing_stored(world):
    empty = f.SectionFactory(district=world.district, school=world.lincoln)
    f.EnrollmentFactory(section=empty, staff=world.teacher, role="teacher")
    message = compose(world, actor="teacher", audience={"kind": "sections", "sections": [empty.pk]})
    services.message_dispatch(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, Delivery.objects.filter(message=message).count()) == (Message.Status.SENT, 0)
