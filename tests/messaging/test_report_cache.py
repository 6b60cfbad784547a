"""The message report counts its whole audience once per delivery change: later views read the cached figures,
and a delivery changing state (or a new delivery, or an import) counts them afresh."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homeroom.messaging import selectors
from homeroom.messaging.models import Delivery
from homeroom.roster import generation
from tests.messaging.helpers import compose, send


@pytest.fixture
def sent(world, django_capture_on_commit_callbacks):
    return send(world, compose(world), django_capture_on_commit_callbacks)


def _grouping_queries(client, url: str) -> list[str]:
    """The queries of one view that group the message's deliveries (the whole audience's counts)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries
            if '"messaging_delivery"' in q["sql"] and ("GROUP BY" in q["sql"] or "COUNT(DISTINCT" in q["sql"])]


def test_a_second_view_reads_the_counted_figures(world, sent, client_for):
    client, url = client_for("principal"), reverse("messaging:report", args=[sent.pk])
    first = _grouping_queries(client, url)
    second = _grouping_queries(client, url)
    assert len(first) > 2  # by channel and language, the totals, the families by home language, the not reached
    assert len(second) == 1  # only the key: the deliveries counted by state on the (message, state) index


def test_a_delivery_changing_state_counts_them_afresh(world, sent):
    before = selectors.message_report(sent)
    delivery = Delivery.objects.filter(message=sent).exclude(state="skipped").order_by("pk").first()
    Delivery.objects.filter(pk=delivery.pk).update(state="read")
    after = selectors.message_report(sent)
    assert sum(t.read for t in after.by_channel) == sum(t.read for t in before.by_channel) + 1


def test_an_import_counts_them_afresh(world, sent):
    key = selectors.report_key(sent)
    generation.bump()
    assert selectors.report_key(sent) != key


def test_the_figures_are_in_the_readers_language(world, sent):
    from django.utils import translation

    with translation.override("en"):
        english = selectors.message_report(sent).by_channel[0].label
    with translation.override("es"):
        spanish = selectors.message_report(sent).by_channel[0].label
    assert english != spanish
