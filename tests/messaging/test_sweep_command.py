"""The cron safety net sends a scheduled message that is due."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from homeroom.messaging.models import Delivery, Message
from tests.messaging.helpers import compose


def test_sweep_dispatches_a_due_scheduled_message(world):
    message = compose(world, "principal", category="news")
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SCHEDULED, scheduled_for=timezone.now() - dt.timedelta(minutes=1)
    )
    out = StringIO()
    call_command("messages-sweep", stdout=out)
    assert int(out.getvalue().split()[0]) >= 1
    assert Delivery.objects.filter(message=message).exists()


def test_sweep_leaves_a_future_message_alone(world):
    message = compose(world, "principal", category="news")
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SCHEDULED, scheduled_for=timezone.now() + dt.timedelta(hours=1)
    )
    out = StringIO()
    call_command("messages-sweep", stdout=out)
    assert out.getvalue().startswith("0 ")
    assert not Delivery.objects.filter(message=message).exists()
