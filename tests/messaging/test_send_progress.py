"""The live send page: queued / sent / delivered / failed while a send runs; queued families not "not reached"."""

from __future__ import annotations

import pytest

from homeroom.messaging.compose.progress import message_progress
from homeroom.messaging.models import Delivery, DeliveryState, Message
from tests.messaging.helpers import compose

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(world, django_capture_on_commit_callbacks):
    """A send whose batches have not run yet: every delivery is still planned or queued."""
    from homeroom.messaging import services

    with django_capture_on_commit_callbacks(execute=False):
        message = services.message_send(message=compose(world), user=world.user("principal"))
    return message


def test_a_send_not_yet_run_is_all_queued_and_keeps_polling(running, client_for):
    waiting = Delivery.objects.filter(message=running, state__in=["planned", "queued"]).count()
    assert waiting > 0
    progress = message_progress(running)
    assert progress.queued == waiting and progress.sent == progress.delivered == progress.failed == 0
    assert progress.running
    page = client_for("principal").get(f"/messaging/{running.pk}/report/").content.decode()
    assert 'hx-trigger="every 3s"' in page
    assert '<meta http-equiv="refresh"' in page  # inside <noscript>, for browsers without JavaScript
    assert f'<strong id="progress-queued">{waiting}</strong>' in page


def test_queued_families_are_not_listed_as_not_reached_while_running(running, client_for):
    page = client_for("principal").get(f"/messaging/{running.pk}/report/").content.decode()
    assert 'id="report-not-reached"' not in page
    # Once a delivery fails for good, that family is listed.
    failed = Delivery.objects.filter(message=running, state__in=["planned", "queued"]).order_by("pk").first()
    Delivery.objects.filter(guardian=failed.guardian, message=running).update(state=DeliveryState.FAILED)
    page = client_for("principal").get(f"/messaging/{running.pk}/report/").content.decode()
    assert 'id="report-not-reached"' in page and str(failed.guardian) in page


def test_counts_follow_the_deliveries_and_polling_stops_when_done(running, client_for):
    ids = list(Delivery.objects.filter(message=running, state__in=["planned", "queued"]).values_list("pk", flat=True))
    Delivery.objects.filter(pk=ids[0]).update(state=DeliveryState.DELIVERED)
    Delivery.objects.filter(pk__in=ids[1:2]).update(state=DeliveryState.SENT)
    Delivery.objects.filter(pk__in=ids[2:]).update(state=DeliveryState.FAILED)
    Message.objects.filter(pk=running.pk).update(status=Message.Status.SENT)
    running.refresh_from_db()
    progress = message_progress(running)
    assert (progress.queued, progress.delivered, progress.sent) == (0, 1, min(1, len(ids) - 1))
    assert progress.failed == len(ids) - 2 and progress.done_percent == 100
    fragment = client_for("principal").get(f"/messaging/{running.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment
    assert '<strong id="progress-delivered">1</strong>' in fragment


def test_progress_fragment_is_scoped_to_who_may_see_the_message(running, client_for):
    assert client_for("teacher").get(f"/messaging/{running.pk}/progress/").status_code == 404
