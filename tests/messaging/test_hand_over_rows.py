"""Email cannot be asked afterwards what it took: each hand-over's attempt row, and what a re-run does with a dead
worker's rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from homeroom.messaging import services
from homeroom.messaging.channels.base import Transport, TransportError
from homeroom.messaging.engine import dispatch
from homeroom.messaging.models import Delivery, DeliveryAttempt
from homeroom.roster.models import Guardian
from tests import factories as f
from tests.messaging.helpers import compose

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(world, settings):
    """A queued message to Lincoln's families by email only (locmem: an email backend that cannot be asked)."""
    settings.MESSAGING_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MESSAGING_EMAIL_DOMAIN = "mail.example"
    for _ in range(4):
        f.StudentGuardianFactory(student=f.StudentFactory(district=world.district, school=world.lincoln))
    Guardian.objects.update(channel_order=["email"])
    message = compose(world)
    services.message_dispatch(message_id=message.pk)
    rows = list(Delivery.objects.filter(message=message, state="queued").order_by("id"))
    assert len(rows) >= 5 and {d.channel for d in rows} == {"email"}
    mail.outbox = []
    return message, rows


def _die_after(rows, *, handed: int) -> None:
    """What a worker killed mid-batch leaves: every row claimed, the first `handed` with their attempt rows."""
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Delivery.objects.filter(pk__in=[d.pk for d in rows]).update(state="sending", claimed_at=long_ago)
    DeliveryAttempt.objects.bulk_create([
        DeliveryAttempt(delivery=d, at=long_ago, channel="email", outcome="sent",
                        provider_id=f"<{d.idempotency_key}@mail.example>") for d in rows[:handed]
    ])


def test_rerun_records_what_the_dead_run_handed_over_and_sends_only_the_rest(emails):
    message, rows = emails
    _die_after(rows, handed=2)

    result = dispatch.deliver_batch(message.pk, rows[0].batch)

    sent_to = [m.to[0] for m in mail.outbox]
    assert sent_to == [d.address for d in rows[2:]]  # the two handed over are not sent again
    assert result.sent == len(rows) - 2
    recorded = {d.pk: d for d in Delivery.objects.filter(pk__in=[d.pk for d in rows])}
    assert {d.state for d in recorded.values()} == {"sent"}
    for handed in rows[:2]:  # recorded with the Message-ID they went out with
        assert recorded[handed.pk].provider_id == f"<{handed.idempotency_key}@mail.example>"
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [
        f"<{d.idempotency_key}@mail.example>" for d in rows[2:]]
    # One attempt row each: the dead worker's two are not written again.
    assert sorted(DeliveryAttempt.objects.filter(outcome="sent").values_list("delivery_id", flat=True)) == [
        d.pk for d in rows]


def test_rerun_of_a_run_that_died_before_its_first_mark_sends_everything(emails):
    message, rows = emails
    _die_after(rows, handed=0)
    dispatch.deliver_batch(message.pk, rows[0].batch)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(d.address for d in rows)


def test_each_email_s_attempt_row_is_on_record_before_the_next_email_leaves(emails, monkeypatch):
    message, rows = emails
    on_record_at_each_send: list[int] = []
    send = mail.backends.locmem.EmailBackend.send_messages

    def counting_send(backend, messages):
        on_record_at_each_send.append(DeliveryAttempt.objects.filter(outcome="sent").count())
        return send(backend, messages)

    monkeypatch.setattr(mail.backends.locmem.EmailBackend, "send_messages", counting_send)
    dispatch.deliver_batch(message.pk, rows[0].batch)
    assert on_record_at_each_send == list(range(len(rows)))  # every earlier email's row, none recorded late
    attempts = DeliveryAttempt.objects.filter(delivery__in=rows)
    assert sorted(attempts.values_list("delivery_id", "outcome", "provider_id")) == [
        (d.pk, "sent", f"<{d.idempotency_key}@mail.example>") for d in rows]


class _ThrottledMail(Transport):
    """A channel that cannot be asked afterwards and whose provider answers the first send with HTTP 429."""

    channel = "email"
    sent: list[int] = []

    def rate_key(self) -> str:
        return "esp:account"

    def send(self, delivery, rendered):
        if not self.sent:
            self.sent.append(0)
            raise TransportError("429 Too Many Requests", throttled=True)
        self.sent.append(delivery.pk)
        return f"esp-{delivery.pk}"


def test_email_rows_held_back_by_a_throttle_go_back_to_the_queue_without_using_an_attempt(emails, monkeypatch):
    message, rows = emails
    _ThrottledMail.sent = []
    monkeypatch.setattr(dispatch, "transport_for", lambda channel: _ThrottledMail())
    result = dispatch.deliver_batch(message.pk, rows[0].batch)
    assert _ThrottledMail.sent == [0]  # after the 429 nothing more went to that account in this run
    assert result.deferred == len(rows)
    states = Delivery.objects.filter(pk__in=[d.pk for d in rows]).values_list("state", "attempts")
    assert set(states) == {("queued", 0)}  # none left `sending`, no attempt used up


def test_a_batch_held_back_whole_by_the_rate_limit_leaves_no_attempt(world, settings, twilio):
    settings.MESSAGING_PHONE_PROVIDER = "twilio"
    settings.MESSAGING_PHONE_RATE_PER_SECOND, settings.MESSAGING_PHONE_RATE_BURST = 1, 0  # no token yet
    Guardian.objects.update(channel_order=["sms"])
    message = compose(world)
    services.message_dispatch(message_id=message.pk)
    batch = Delivery.objects.filter(message=message, state="queued").values_list("batch", flat=True).first()
    result = dispatch.deliver_batch(message.pk, batch)
    assert result.sent == 0 and result.deferred > 0
    assert twilio.sent() == []
    assert not DeliveryAttempt.objects.exists()
    assert set(Delivery.objects.filter(message=message, channel="sms").values_list("state", flat=True)) == {"queued"}
