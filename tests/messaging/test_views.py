"""Compose → preview → send → report through the staff pages, CSV export, outbox and inbox."""

from __future__ import annotations

import pytest

from homeroom.core.models import OutboxEntry
from homeroom.messaging.models import Delivery, Message

pytestmark = pytest.mark.django_db


def _compose_data(world, **extra):
    data = {
        "category": "reminder", "audience_kind": "schools", "schools": [world.lincoln.pk],
        "callback_name": "Front office", "callback_phone": "+12035550100",
        "subject_en": "Conferences", "body_en": "Conferences are on Friday.",
        "subject_es": "Conferencias", "body_es": "Las conferencias son el viernes.",
    }
    return data | extra


def test_principal_composes_previews_sends_and_reads_the_report(world, client_for,
                                                                 django_capture_on_commit_callbacks):
    client = client_for("principal")
    response = client.post("/messaging/new/", _compose_data(world))
    message = Message.objects.get()
    assert response.status_code == 302 and response.url == f"/messaging/{message.pk}/"
    preview = client.get(response.url).content.decode()
    assert "es" in preview and "Conferencias" in preview
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/messaging/{message.pk}/send/")
    assert response.status_code == 302
    report = client.get(f"/messaging/{message.pk}/report/").content.decode()
    # The dev outbox accepts texts but never confirms delivery: sent is not reached (messaging.reached).
    assert '<dd id="reached">0.0% (0)</dd>' in report
    assert '<dd id="not-reached-count">2 (2 sent, not confirmed)</dd>' in report
    assert OutboxEntry.objects.filter(channel="sms").count() == 2  # Ana and Rosa; never Luis


def test_school_wide_message_without_spanish_is_refused_at_send(world, client_for):
    client = client_for("principal")
    client.post("/messaging/new/", _compose_data(world, subject_es="", body_es=""))
    message = Message.objects.get()
    client.post(f"/messaging/{message.pk}/send/")
    assert Message.objects.get().status == "draft"


def test_teacher_cannot_compose_for_a_whole_school(world, client_for):
    response = client_for("teacher").post("/messaging/new/", _compose_data(world))
    assert response.status_code == 200 and not Message.objects.exists()


def test_compose_requires_a_call_back_number(world, client_for):
    client_for("principal").post("/messaging/new/", _compose_data(world, callback_phone=""))
    assert not Message.objects.exists()


def test_report_csv_lists_every_delivery(world, client_for, django_capture_on_commit_callbacks):
    client = client_for("principal")
    client.post("/messaging/new/", _compose_data(world))
    message = Message.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/messaging/{message.pk}/send/")
    body = b"".join(client.get(f"/messaging/{message.pk}/report.csv").streaming_content).decode()
    assert len(body.strip().splitlines()) == 1 + Delivery.objects.filter(message=message).count()


def test_report_lists_families_not_reached_and_why(world, client_for, django_capture_on_commit_callbacks):
    world.rosa.mobile_phone = ""
    world.rosa.email = ""
    world.rosa.user = None
    world.rosa.save()
    client = client_for("principal")
    client.post("/messaging/new/", _compose_data(world))
    message = Message.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/messaging/{message.pk}/send/")
    report = client.get(f"/messaging/{message.pk}/report/").content.decode()
    assert "Rosa Lopez" in report and "No contact details" in report
    assert '<dd id="not-reached-count">2 (1 sent, not confirmed)</dd>' in report  # Ana's text: sent, unconfirmed


def test_outbox_shows_what_would_have_been_sent(world, client_for, settings):
    settings.DEBUG = True  # the page exists only in DEBUG (tests/security/test_outbox.py)
    OutboxEntry.objects.create(channel="sms", to=world.ana.mobile_phone, body="Hola")
    assert world.ana.mobile_phone in client_for("admin").get("/messaging/outbox/?channel=sms").content.decode()


def test_staff_inbox_shows_unread_replies_and_reading_clears_them(world, client_for):
    from homeroom.messaging.conversations.threads import conversation_record_inbound

    # Nothing to answer: Ana's text starts a conversation, routed to Sofia's teacher.
    entry = conversation_record_inbound(guardian=world.ana, channel="sms", body="Gracias")
    assert entry.conversation.staff == world.teacher
    client = client_for("teacher")
    assert '<span class="badge warn">1</span>' in client.get("/messaging/inbox/").content.decode()
    client.get(f"/messaging/inbox/{entry.conversation.pk}/")
    assert '<span class="badge warn">' not in client.get("/messaging/inbox/").content.decode()
    # The principal may read it (all conversations of the school), but it is not theirs to answer.
    principal = client_for("principal")
    assert entry.conversation.subject in principal.get("/messaging/inbox/?show=all").content.decode()
    assert entry.conversation.subject not in principal.get("/messaging/inbox/").content.decode()
