"""The district's editor: community resources and announcements in each language with a preview, files per
language, what the district publishes; and the community search by kind of help and language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from homeroom.website.models import Announcement, CommunityResource, PublicationSettings, PublicFile, ResourceCategory
from tests.actors import World
from tests.website.helpers import other_district, resource

pytestmark = pytest.mark.django_db


def admin_client(w: World) -> Client:
    client = Client()
    client.force_login(w.admin.user)
    return client


def resource_data(**extra: Any) -> dict[str, Any]:
    return {"category": "parenting", "name": "Parent Circle", "address": "4 Elm St", "hours": "Tue 6–8 p.m.",
            "phone": "", "url": "", "languages_served": ["en", "es"], "description_en": "Talk with other parents.",
            "description_es": "Converse con otros padres.", **extra}


def test_preview_shows_each_language_and_saves_nothing(world: World) -> None:
    response = admin_client(world).post(reverse("website:resource_new"), resource_data(preview="1"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Talk with other parents." in html and "Converse con otros padres." in html
    assert "Nothing is saved yet." in html
    assert not CommunityResource.objects.exists()


def test_saving_a_resource_keeps_its_description_per_language(world: World) -> None:
    response = admin_client(world).post(reverse("website:resource_new"), resource_data())
    assert response.status_code == 302
    row = CommunityResource.objects.get()
    assert row.district == world.district
    assert row.languages == ["en", "es"]
    assert row.description("es") == "Converse con otros padres."
    assert row.description("pl") == "Talk with other parents."  # falls back to English


def test_an_administrator_cannot_edit_another_districts_resource(world: World) -> None:
    theirs = resource(world, district=other_district(), name="Hillside Library")
    client = admin_client(world)
    assert client.post(reverse("website:resource_edit", args=[theirs.pk]), resource_data()).status_code == 404
    assert client.post(reverse("website:resource_delete", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Hillside Library"


def test_a_principal_cannot_edit_the_districts_content(world: World, client_for: Any) -> None:
    response = client_for("principal").post(reverse("website:resource_new"), resource_data())
    assert response.status_code == 403
    assert not CommunityResource.objects.exists()


def test_announcement_needs_a_title_in_the_first_language_and_shows_on_the_school_page(world: World) -> None:
    client = admin_client(world)
    data = {"school": world.lincoln.pk, "starts_on": "2099-01-01", "time": "", "place": "Gym", "title_en": "",
            "title_es": "Feria"}
    assert client.post(reverse("website:announcement_new"), data).status_code == 400
    response = client.post(reverse("website:announcement_new"), {**data, "title_en": "Science fair"})
    assert response.status_code == 302
    row = Announcement.objects.get()
    assert row.title("es") == "Feria" and row.title("vi") == "Science fair"


def test_a_new_upload_for_a_language_replaces_the_earlier_file(world: World) -> None:
    client = admin_client(world)

    def upload(content: bytes) -> Any:
        return client.post(reverse("website:files"), {
            "kind": "handbook", "school": "", "key": "handbook", "language": "es", "title": "Manual",
            "file": SimpleUploadedFile("manual.pdf", content, content_type="application/pdf")})

    assert upload(b"%PDF-1.4 one").status_code == 302
    assert upload(b"%PDF-1.4 two").status_code == 302
    row = PublicFile.objects.get()
    assert row.file.read() == b"%PDF-1.4 two"
    bad = client.post(reverse("website:files"), {
        "kind": "handbook", "key": "x", "language": "es", "title": "Script",
        "file": SimpleUploadedFile("run.exe", b"MZ")})
    assert bad.status_code == 400


def test_published_figures_are_chosen_by_the_district(world: World) -> None:
    response = admin_client(world).post(reverse("website:publication"), {
        "office_address": "1 School St", "office_phone": "", "office_email": "", "office_hours": "",
        "reach_figures": ["overall", "grade"]})
    assert response.status_code == 302
    assert PublicationSettings.objects.get(district=world.district).reach_figures == ["overall", "grade"]


def test_community_search_by_kind_of_help_and_language(world: World) -> None:
    CommunityResource.objects.create(district=world.district, category=ResourceCategory.PARENTING,
                                     name="Padres Unidos", languages=["es"])
    CommunityResource.objects.create(district=world.district, category=ResourceCategory.PARENTING,
                                     name="Dads Club", languages=["en"])
    CommunityResource.objects.create(district=world.district, category=ResourceCategory.RECREATION,
                                     name="Teen Center", languages=["es", "en"])
    CommunityResource.objects.create(district=other_district(), category=ResourceCategory.PARENTING,
                                     name="Hillside Parents", languages=["es"])
    url = reverse("website:community", args=[world.district.slug])

    def names(**query: str) -> list[str]:
        html = Client().get(url, query).content.decode()
        return [name for name in ("Padres Unidos", "Dads Club", "Teen Center", "Hillside Parents") if name in html]

    assert names() == ["Padres Unidos", "Dads Club", "Teen Center"]
    assert names(category="parenting") == ["Padres Unidos", "Dads Club"]
    assert names(category="parenting", serves="es") == ["Padres Unidos"]
    assert names(serves="es-MX") == ["Padres Unidos", "Teen Center"]
    assert names(category="not-a-kind") == ["Padres Unidos", "Dads Club", "Teen Center"]


def test_a_family_reaches_its_districts_search_from_the_portal(world: World, client_for: Any) -> None:
    response = client_for("ana").get(reverse("website:family_community"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("website:community", args=[world.district.slug]))
