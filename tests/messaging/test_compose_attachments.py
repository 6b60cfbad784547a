"""Staff attachments: PDF/PNG/JPEG by their bytes, 5 MB, stored privately; families get a signed link."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homeroom.core.models import OutboxEntry
from homeroom.messaging.compose.staff_attachments import family_file_url
from homeroom.messaging.models import Delivery, Message
from tests.messaging.helpers import send

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _fields(world, **extra):
    return {"pick": [f"family:{world.sofia.pk}"], "category": "news", "callback_name": "Ms. Rivera",
            "callback_phone": "+12035550100", "subject_en": "Field trip", "body_en": "Please sign the form.",
            "do_preview": "1", **extra}


def _compose(client, world, *files):
    return client.post("/messaging/new/", {**_fields(world), "attachments": list(files)})


def test_a_pdf_is_stored_privately_and_shown_on_the_preview(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = _compose(client_for("teacher"), world, SimpleUploadedFile("permission slip.pdf", PDF))
    assert response.status_code == 302
    message = Message.objects.get()
    assert len(message.attachments) == 1 and message.attachments[0].startswith(f"message-attachments/{message.pk}/")
    assert (tmp_path / message.attachments[0]).read_bytes() == PDF
    preview = client_for("teacher").get(response["Location"]).content.decode()
    assert "permission_slip.pdf" in preview


@pytest.mark.parametrize(("name", "content"), [
    ("note.pdf", b"MZ\x90\x00 not a pdf at all"),  # a program named .pdf
    ("photo.png", PDF),  # a PDF named .png
    ("notes.txt", b"just text"),  # text is fine from a family, not as a staff attachment
    ("letter.docx", b"PK\x03\x04" + b"\x00" * 30),
])
def test_files_that_are_not_pdf_png_or_jpeg_by_their_bytes_are_refused(world, client_for, name, content):
    response = _compose(client_for("teacher"), world, SimpleUploadedFile(name, content))
    assert response.status_code == 200 and not Message.objects.exists()
    assert "Attach a PDF, a PNG or a JPEG file." in response.content.decode()


def test_a_file_over_5_mb_is_refused(world, client_for):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (5 * 1024 * 1024))
    response = _compose(client_for("teacher"), world, big)
    assert "smaller than 5 MB" in response.content.decode() and not Message.objects.exists()


def test_families_get_a_signed_link_in_texts_and_emails_and_it_serves_the_file(
        world, client_for, client, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    _compose(client_for("teacher"), world, SimpleUploadedFile("slip.png", PNG))
    message = Message.objects.get()
    url = family_file_url(message.pk, 0)
    path = url.removeprefix(settings.SITE_URL.rstrip("/"))
    assert client.get(path).status_code == 404  # a draft's file is not served
    send(world, message, django_capture_on_commit_callbacks, actor="teacher")
    bodies = [body for channel, body in OutboxEntry.objects.values_list("channel", "body") if channel != "voice"]
    links = [re.search(r"Attached file: slip\.png (\S+)", body) for body in bodies]
    assert bodies and all(links)
    assert Delivery.objects.filter(message=message, channel__in=["sms", "email"]).exists()
    path = links[0][1].removeprefix(settings.SITE_URL.rstrip("/"))
    assert path.startswith("/messaging/files/") and str(world.sofia) not in path
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert client.get(path[:-3] + "xx/").status_code == 404  # an edited link


def test_removing_a_file_while_editing_the_draft(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for("teacher")
    _compose(client, world, SimpleUploadedFile("a.pdf", PDF))
    message = Message.objects.get()
    stored = tmp_path / message.attachments[0]
    response = client.post(reverse("messaging:edit", args=[message.pk]), {**_fields(world), "remove_attachment": ["0"]})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.attachments == [] and not stored.exists()


def test_the_portal_copy_shows_the_file_link(world, client_for, settings, tmp_path,
                                             django_capture_on_commit_callbacks):
    from homeroom.messaging.models import ConversationEntry

    settings.MEDIA_ROOT = tmp_path
    world.ana.channel_order = ["portal"]
    world.ana.save()
    _compose(client_for("teacher"), world, SimpleUploadedFile("slip.pdf", PDF))
    message = Message.objects.get()
    send(world, message, django_capture_on_commit_callbacks, actor="teacher")
    entry = ConversationEntry.objects.filter(conversation__message=message, conversation__guardian=world.ana).first()
    # Said in the language of the text she gets (English here: the only one written).
    assert entry is not None and "Attached file: slip.pdf http" in entry.body
    page = client_for("ana").get(reverse("portal:conversation", args=[entry.conversation_id])).content.decode()
    assert re.search(r'<a href="http[^"]+/messaging/files/[^"]+"[^>]*>', page)
