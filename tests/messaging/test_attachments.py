"""A file a family attaches to a reply: checked by content and size, and visible to the staff who may read the
conversation (the staff thread and the family record), served only through a scoped view."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homeroom.messaging.conversations.attachments import AttachmentError, attachments_store
from homeroom.messaging.models import ConversationEntry
from tests.portal.helpers import conversation_with

pytestmark = pytest.mark.django_db
NOTE = b"%PDF-1.4\n% doctor's note\n"


def _reply_with(world, client_for, name: str, content: bytes):
    conversation = conversation_with(world, world.ana)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client_for("ana").post(reverse("portal:conversation", args=[conversation.pk]),
                                      {"body": "Adjunto la nota del médico", "attachments": [upload]})
    return conversation, response


def test_staff_who_may_read_the_conversation_see_and_download_the_familys_file(world, client_for):
    conversation, _response = _reply_with(world, client_for, "nota.pdf", NOTE)
    reply = ConversationEntry.objects.get(conversation=conversation, from_guardian=True)
    url = reverse("messaging:conversation_attachment", args=[conversation.pk, reply.pk, 0])
    page = client_for("teacher").get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert "nota.pdf" in page and url in page
    response = client_for("teacher").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == NOTE
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")


def test_staff_outside_the_conversation_and_families_cannot_fetch_it_from_the_staff_view(world, client_for):
    conversation, _response = _reply_with(world, client_for, "nota.pdf", NOTE)
    reply = ConversationEntry.objects.get(conversation=conversation, from_guardian=True)
    url = reverse("messaging:conversation_attachment", args=[conversation.pk, reply.pk, 0])
    assert client_for("other_teacher").get(url).status_code == 404
    assert client_for("ana").get(url).status_code == 403


def test_the_family_record_lists_the_file_with_its_link(world, client_for):
    conversation, _response = _reply_with(world, client_for, "nota.pdf", NOTE)
    reply = ConversationEntry.objects.get(conversation=conversation, from_guardian=True)
    page = client_for("principal").get(reverse("contacts:family_timeline", args=[world.ana.pk])).content.decode()
    assert "nota.pdf" in page
    assert reverse("messaging:conversation_attachment", args=[conversation.pk, reply.pk, 0]) in page


def test_a_file_whose_content_is_not_what_its_name_says_is_refused(world, client_for):
    conversation, response = _reply_with(world, client_for, "nota.pdf", b"MZ\x90\x00\x03\x00\x00\x00 a program")
    assert response.status_code == 200
    assert not conversation.entries.filter(from_guardian=True).exists()


def test_a_file_over_the_size_cap_is_refused(world, client_for):
    conversation, response = _reply_with(world, client_for, "nota.pdf", NOTE + b"0" * (5 * 1024 * 1024))
    assert response.status_code == 200 and "5 MB" in response.content.decode()
    assert not conversation.entries.filter(from_guardian=True).exists()


def test_photos_documents_and_text_are_accepted_by_content(world):
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    files = [
        SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16),
        SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 16),
        SimpleUploadedFile("carta.docx", docx.getvalue()),
        SimpleUploadedFile("nota.txt", "Mañana no viene.".encode()),
    ]
    assert all(attachments_store(conversation_id=1, files=[upload]) for upload in files)


def test_the_store_itself_refuses_an_unchecked_file(world):
    with pytest.raises(AttachmentError):
        attachments_store(conversation_id=1, files=[SimpleUploadedFile("tarea.docx", b"PK\x03\x04 not a document")])
