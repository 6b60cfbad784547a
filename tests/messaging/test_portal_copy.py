"""Every message to a family is readable in their portal inbox, whatever channel carried it, marked with how it
was sent; the portal copy is not a second notification."""

from __future__ import annotations

import pytest

from homeroom.messaging import selectors
from homeroom.messaging.models import Delivery
from homeroom.roster.models import Guardian
from tests.messaging.helpers import compose, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def texted(world, django_capture_on_commit_callbacks):
    """The principal's message reached Ana by text only (she has a portal account, but texts come first)."""
    Guardian.objects.filter(pk=world.ana.pk).update(channel_order=["sms", "portal"])
    return send(world, compose(world), django_capture_on_commit_callbacks)


def test_a_texted_message_is_in_the_portal_inbox_marked_sent_by_text(world, texted):
    assert Delivery.objects.filter(message=texted, guardian=world.ana).exclude(state="skipped").count() == 1
    items = selectors.portal_inbox_items(world.ana.user)
    assert [(i.subject, i.sent_by) for i in items] == [("Escuela cerrada", ["Sent by text message"])]


def test_the_inbox_page_lists_it_in_the_familys_language(world, texted, client_for):
    page = client_for("ana").get("/family/messages/").content.decode()
    assert "Escuela cerrada" in page and "Enviado por mensaje de texto" in page


def test_opening_it_shows_the_message_as_it_was_sent_with_a_reply_form(world, texted, client_for):
    client = client_for("ana")
    response = client.get(f"/family/messages/sent/{texted.pk}/")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "La escuela está cerrada mañana." in page and "Enviado por mensaje de texto" in page
    assert 'name="body"' in page


def test_the_portal_copy_is_not_a_second_notification(world, texted, client_for):
    before = selectors.message_report(texted)
    client = client_for("ana")
    client.get(client.get(f"/family/messages/sent/{texted.pk}/")["Location"])
    client.get(f"/family/messages/sent/{texted.pk}/")  # opened twice: still one thread, one copy
    after = selectors.message_report(texted)
    assert Delivery.objects.filter(message=texted, guardian=world.ana).exclude(state="skipped").count() == 1
    assert (after.guardians, after.reached) == (before.guardians, before.reached)
    assert [(t.key, t.sent, t.read) for t in after.by_channel] == [(t.key, t.sent, t.read) for t in before.by_channel]
    assert Delivery.objects.get(message=texted, guardian=world.ana, channel="sms").state == "sent"
    assert [i.unread for i in selectors.portal_inbox_items(world.ana.user)] == [0]
    conversation = world.ana.conversations.get()
    assert conversation.entries.count() == 1


def test_another_family_cannot_open_it(world, texted, client_for):
    assert client_for("paul").get(f"/family/messages/sent/{texted.pk}/").status_code == 404
