"""A batch's reads do not grow with its size: each row is loaded once, with every column sending reads."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from homeroom.messaging import services
from homeroom.messaging.engine import dispatch
from homeroom.messaging.models import Delivery
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
