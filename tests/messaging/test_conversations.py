"""Portal inbox and replies: a guardian sees only their own threads; staff answers reach the family."""

from __future__ import annotations

import pytest
from django.http import Http404

from homeroom.core.models import OutboxEntry
from homeroom.messaging import selectors, services
from homeroom.messaging.models import ConversationEntry, Delivery
from tests.messaging.helpers import compose, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_world(world):
    for guardian in (world.ana, world.rosa, world.paul):
        guardian.channel_order = ["portal"]
        guardian.save()
    return world


def test_portal_delivery_lands_in_the_guardians_inbox_as_delivered(portal_world, django_capture_on_commit_callbacks):
    message = send(portal_world, compose(portal_world), django_capture_on_commit_callbacks)
    inbox = list(selectors.portal_inbox_for(portal_world.ana.user))
    assert [c.subject for c in inbox] == ["Escuela cerrada"] and inbox[0].unread == 1
    assert Delivery.objects.get(message=message, guardian=portal_world.ana).state == "delivered"


def test_guardian_cannot_open_another_familys_conversation(portal_world, django_capture_on_commit_callbacks):
    send(portal_world, compose(portal_world), django_capture_on_commit_callbacks)
    rosas = selectors.portal_inbox_for(portal_world.rosa.user).get()
    with pytest.raises(Http404):
        selectors.conversation_for(portal_world.ana.user, rosas.pk)


def test_barred_parent_has_an_empty_inbox(portal_world, django_capture_on_commit_callbacks):
    send(portal_world, compose(portal_world), django_capture_on_commit_callbacks)
    assert not selectors.portal_inbox_for(portal_world.luis.user).exists()


def test_reading_a_portal_message_marks_the_delivery_read(portal_world, django_capture_on_commit_callbacks):
    message = send(portal_world, compose(portal_world), django_capture_on_commit_callbacks)
    conversation = selectors.conversation_for(portal_world.ana.user, selectors.portal_inbox_for(
        portal_world.ana.user).get().pk)
    services.conversation_mark_read(conversation=conversation, by_guardian=True)
    assert Delivery.objects.get(message=message, guardian=portal_world.ana).state == "read"


def test_family_reply_from_the_portal_shows_unread_in_the_staff_inbox(portal_world,
                                                                       django_capture_on_commit_callbacks):
    send(portal_world, compose(portal_world), django_capture_on_commit_callbacks)
    conversation = selectors.portal_inbox_for(portal_world.ana.user).get()
    entry = services.conversation_reply(conversation=conversation, author_user=portal_world.ana.user, body="¡Gracias!")
    assert entry.from_guardian
    assert selectors.staff_inbox_for(portal_world.principal.user).get(pk=conversation.pk).unread == 1


def test_other_schools_teacher_does_not_see_the_conversation(portal_world, django_capture_on_commit_callbacks):
    send(portal_world, compose(portal_world), django_capture_on_commit_callbacks)
    conversation = selectors.portal_inbox_for(portal_world.ana.user).get()
    with pytest.raises(Http404):
        selectors.conversation_for(portal_world.other_teacher.user, conversation.pk)


def test_staff_answer_to_a_text_is_texted_back(world, django_capture_on_commit_callbacks):
    from homeroom.messaging.conversations.threads import conversation_record_inbound

    entry = conversation_record_inbound(guardian=world.ana, channel="sms", body="¿Hay clases?")
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_reply(conversation=entry.conversation, author_user=world.principal.user, body="Sí")
    assert OutboxEntry.objects.get(channel="sms").body == "Sí"
    assert ConversationEntry.objects.get(pk=entry.pk).read_at is not None


def test_timeline_lists_each_delivery_with_method_and_outcome(world, django_capture_on_commit_callbacks):
    send(world, compose(world), django_capture_on_commit_callbacks)
    items = selectors.timeline_items(guardian_ids=[world.ana.pk])
    assert [(i.kind, i.method, i.outcome, i.title) for i in items] == [("message", "sms", "sent", "Escuela cerrada")]


def test_timeline_never_shows_a_barred_parent_deliveries(world, django_capture_on_commit_callbacks):
    send(world, compose(world), django_capture_on_commit_callbacks)
    assert selectors.timeline_items(guardian_ids=[world.luis.pk]) == []
