"""Documents addressed to a family: listed and downloaded only through the scope-checking view."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.urls import reverse

from homeroom.portal.services import family_document_create
from tests.portal.helpers import PDF, document_for


def test_guardian_lists_documents_addressed_to_them(world, client_for):
    document_for(world, guardian=world.ana, student=world.sofia, title="Invitación a la reunión PPT")
    body = client_for("ana").get(reverse("portal:documents")).content.decode()
    assert "Invitación a la reunión PPT" in body


def test_guardian_downloads_their_document(world, client_for):
    document = document_for(world, guardian=world.ana, student=world.sofia)
    response = client_for("ana").get(reverse("portal:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")


def test_document_not_addressed_to_the_guardian_is_not_listed(world, client_for):
    document_for(world, guardian=world.paul, student=world.liam, title="Walsh letter")
    assert "Walsh letter" not in client_for("ana").get(reverse("portal:documents")).content.decode()


def test_family_wide_document_without_a_student_is_visible(world, client_for):
    document_for(world, guardian=world.luis, student=None, title="District newsletter")
    assert "District newsletter" in client_for("luis").get(reverse("portal:documents")).content.decode()


def test_document_file_is_not_under_a_public_url(world):
    document = document_for(world, guardian=world.ana, student=world.sofia)
    assert not document.file.name.startswith("/")
    assert str(document.pk) in reverse("portal:document_download", args=[document.pk])


def test_service_creates_a_document_for_several_guardians(world):
    document = family_document_create(
        district=world.district, title="Packet", file=ContentFile(PDF, name="packet.pdf"), language="en",
        student=world.mateo, guardians=[world.rosa, world.ana], kind="packet",
    )
    assert set(document.guardians.all()) == {world.rosa, world.ana}
    assert document.file.read() == PDF
