"""The family inbox: the school's messages, unread marks, replies with attachments."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homeroom.messaging.models import ConversationEntry
from tests.portal.helpers import conversation_with


def test_inbox_lists_the_guardians_conversations_with_unread_mark(world, client_for):
    conversation_with(world, world.ana, subject="Reunión de padres")
    body = client_for("ana").get(reverse("portal:inbox")).content.decode()
    assert "Reunión de padres" in body
    assert "badge warn" in body


def test_inbox_does_not_list_another_familys_conversation(world, client_for):
    conversation_with(world, world.paul, subject="Walsh conference")
    assert "Walsh conference" not in client_for("ana").get(reverse("portal:inbox")).content.decode()


def test_opening_a_conversation_marks_the_schools_entries_read(world, client_for):
    conversation = conversation_with(world, world.ana)
    client_for("ana").get(reverse("portal:conversation", args=[conversation.pk]))
    assert not conversation.entries.filter(from_guardian=False, read_at=None).exists()


def test_guardian_replies_to_a_conversation(world, client_for):
    conversation = conversation_with(world, world.ana)
    url = reverse("portal:conversation", args=[conversation.pk])
    response = client_for("ana").post(url, {"body": "Sí, allí estaré"})
    assert response.status_code == 302
    reply = conversation.entries.get(from_guardian=True)
    assert reply.body == "Sí, allí estaré"
    assert reply.author == world.ana.user


def test_reply_with_an_attachment_can_be_downloaded_by_the_family_only(world, client_for):
    conversation = conversation_with(world, world.ana)
    upload = SimpleUploadedFile("nota médica.pdf", b"%PDF-1.4 note", content_type="application/pdf")
    client_for("ana").post(reverse("portal:conversation", args=[conversation.pk]),
                           {"body": "Adjunto la nota", "attachments": [upload]})
    reply = ConversationEntry.objects.get(conversation=conversation, from_guardian=True)
    assert len(reply.attachments) == 1
    url = reverse("portal:conversation_attachment", args=[conversation.pk, reply.pk, 0])
    response = client_for("ana").get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 note"
    assert client_for("paul").get(url).status_code == 404


def test_executable_attachment_is_refused(world, client_for):
    conversation = conversation_with(world, world.ana)
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client_for("ana").post(reverse("portal:conversation", args=[conversation.pk]),
                                      {"body": "x", "attachments": [upload]})
    assert response.status_code == 200
    assert not conversation.entries.filter(from_guardian=True).exists()


def test_other_family_cannot_reply_to_a_conversation(world, client_for):
    conversation = conversation_with(world, world.ana)
    response = client_for("paul").post(reverse("portal:conversation", args=[conversation.pk]), {"body": "hi"})
    assert response.status_code == 404
    assert not conversation.entries.filter(from_guardian=True).exists()


def test_attachment_index_past_the_list_is_not_found(world, client_for):
    conversation = conversation_with(world, world.ana, attachment=True)
    entry = conversation.entries.get()
    url = reverse("portal:conversation_attachment", args=[conversation.pk, entry.pk, 5])
    assert client_for("ana").get(url).status_code == 404
