"""A batch's reads do not grow with its size: each row is loaded once, with every column sending reads; its
writes come in groups, each group in one transaction."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from homeroom.messaging import services
from homeroom.messaging.engine import dispatch
from homeroom.messaging.models import Delivery, DeliveryAttempt
from homeroom.roster.models import Guardian
from tests import factories as f
from tests.messaging.helpers import compose


def _reads_to_send(world, families: int) -> tuple[int, int, int]:
    """(SELECTs, UPDATEs of delivery rows, emails sent) for one batch of `families` more email families."""
    for _ in range(families):
        f.StudentGuardianFactory(student=f.StudentFactory(district=world.district, school=world.lincoln))
    Guardian.objects.update(channel_order=["email"])
    message = compose(world)
    services.message_dispatch(message_id=message.pk)
    batches = set(Delivery.objects.filter(message=message, state="queued").values_list("batch", flat=True))
    assert len(batches) == 1
    mail.outbox = []
    with CaptureQueriesContext(connection) as queries:
        result = dispatch.deliver_batch(message.pk, batches.pop())
    sql = [q["sql"].lstrip().upper() for q in queries]
    record = [s for s in sql if s.startswith(f"UPDATE {connection.ops.quote_name(dispatch.TABLE)}".upper())
              or s.startswith(f"UPDATE {dispatch.TABLE}".upper())]
    return sum(s.startswith("SELECT") for s in sql), len(record), result.sent


@pytest.mark.parametrize("families", [5, 120])
def test_a_batch_reads_the_same_whatever_its_size_and_records_in_groups(world, settings, families):
    settings.MESSAGING_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # cannot be asked
    selects, records, sent = _reads_to_send(world, families)
    assert sent == len(mail.outbox) > families
    assert selects <= 8  # candidates, deferred count, message, the finish check... never one per row
    # The claim, then one statement per RECORD_GROUP sent rows (each email's attempt row is an INSERT).
    assert records <= 1 + -(-sent // dispatch.RECORD_GROUP)


@pytest.mark.django_db
def test_a_text_group_is_recorded_in_one_transaction_or_not_at_all(world, twilio, settings, monkeypatch):
    """A group's sent states and its attempt rows commit together: when the attempt rows cannot be written, the
    texts stay `sending` (checked with the provider after the lease), never `sent` with no attempt on record."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    Guardian.objects.update(channel_order=["sms"])
    message = compose(world)
    services.message_dispatch(message_id=message.pk)
    texts = Delivery.objects.filter(message=message, channel="sms")
    assert texts.filter(state="queued").count() >= 2
    monkeypatch.setattr(dispatch, "ATTEMPT_TABLE", "no_such_table")
    with pytest.raises(DatabaseError):
        dispatch.deliver_batch(message.pk, 0)
    assert set(texts.values_list("state", flat=True)) == {"sending"}
    assert not DeliveryAttempt.objects.filter(delivery__message=message).exists()
    assert len(twilio.requests) == texts.count()  # they did go out: the provider is asked before any resend


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's")
def test_on_postgresql_a_batch_commits_without_waiting_for_the_flush_and_puts_the_setting_back(world, settings,
                                                                                              monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MESSAGING_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Guardian.objects.update(channel_order=["email"])
    message = compose(world)
    services.message_dispatch(message_id=message.pk)
    seen: list[str] = []
    hand_over = dispatch._record_hand_over

    def watched(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            seen.append(cursor.fetchone()[0])
        return hand_over(*args, **kwargs)

    monkeypatch.setattr(dispatch, "_record_hand_over", watched)
    assert dispatch.deliver_batch(message.pk, 0).sent == len(seen) > 0
    assert set(seen) == {"off"}
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"  # the worker's connection serves other work afterwards


@pytest.mark.django_db
def test_a_text_group_s_attempt_rows_are_one_insert(world, twilio, settings):
    """Texts can be asked about afterwards, so their attempt rows wait for the group: one INSERT for the group
    (not one statement per row), each row with its own provider id."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    for _ in range(3):
        f.StudentGuardianFactory(student=f.StudentFactory(district=world.district, school=world.lincoln))
    Guardian.objects.update(channel_order=["sms"])
    message = compose(world)
    services.message_dispatch(message_id=message.pk)
    texts = list(Delivery.objects.filter(message=message, channel="sms", state="queued").order_by("id"))
    assert len(texts) >= 3
    with CaptureQueriesContext(connection) as queries:
        dispatch.deliver_batch(message.pk, texts[0].batch)
    table = DeliveryAttempt._meta.db_table
    inserts = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("INSERT")
               and table in q["sql"]]
    assert len(inserts) == 1
    recorded = dict(Delivery.objects.filter(pk__in=[d.pk for d in texts]).values_list("pk", "provider_id"))
    rows = DeliveryAttempt.objects.filter(delivery__in=texts).values_list("delivery_id", "channel", "outcome",
                                                                             "provider_id")
    assert sorted(rows) == [(d.pk, "sms", "sent", recorded[d.pk]) for d in texts]
    assert len(set(recorded.values())) == len(texts) and "" not in recorded.values()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="LIKE-only indexes are PostgreSQL's")
def test_delivery_rows_carry_no_like_only_index():
    """Every index of the table is rewritten by each claim and record of a send (see Delivery.Meta); a CharField
    with `unique=True` or `db_index=True` would bring back a LIKE-only copy nothing reads."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                       [dispatch.TABLE, "%pattern_ops%"])
        assert cursor.fetchall() == []
