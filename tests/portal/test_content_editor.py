"""The district's editor of the portal's guidance: its own wording per language, previewed, read by families
in the portal and on the public pages; the shipped wording comes back when it is removed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from homeroom.portal.models import GlossaryTerm, GuideEntry
from tests.actors import World

pytestmark = pytest.mark.django_db


def glossary_post(**extra: str) -> dict[str, str]:
    data = {f"title_{code}": "" for code in ("en", "es", "pt-br", "ht", "ar", "zh-hans", "vi", "pl")}
    data |= {f"body_{code}": "" for code in ("en", "es", "pt-br", "ht", "ar", "zh-hans", "vi", "pl")}
    return data | {"title_en": "IEP", "body_en": "Our district's plan.", "title_es": "IEP",
                   "body_es": "El plan de nuestro distrito.", "title_pt-br": "PEI", "body_pt-br": "O plano."} | extra


def test_preview_saves_nothing(world: World, client_for: Any) -> None:
    url = reverse("portal:content_edit", args=["glossary", "iep"])
    response = client_for("admin").post(url, glossary_post(preview="1"))
    assert response.status_code == 200
    assert "El plan de nuestro distrito." in response.content.decode()
    assert not GlossaryTerm.objects.filter(district=world.district).exists()


def test_districts_wording_is_what_families_read_until_removed(world: World, client_for: Any) -> None:
    admin = client_for("admin")
    url = reverse("portal:content_edit", args=["glossary", "iep"])
    assert admin.post(url, glossary_post()).status_code == 302
    assert set(GlossaryTerm.objects.filter(district=world.district, key="iep").values_list("language", flat=True)) \
        == {"en", "es", "pt"}
    ana = client_for("ana")
    assert "El plan de nuestro distrito." in ana.get(reverse("portal:glossary")).content.decode()
    admin.post(reverse("portal:content_restore", args=["glossary", "iep"]))
    assert "El plan de nuestro distrito." not in ana.get(reverse("portal:glossary")).content.decode()


def test_a_new_guide_entry_shows_on_the_public_page(world: World, client_for: Any) -> None:
    url = reverse("portal:content_edit", args=["resource", "new"])
    response = client_for("admin").post(url, {"key": "sde-special-education", "url": "https://example.org/sped",
                                              "title_en": "Our special education office", "body_en": "Call us."})
    assert response.status_code == 302
    assert GuideEntry.objects.get(district=world.district).position == GuideEntry.objects.get(
        district=None, key="sde-special-education", language="en").position
    public = Client().get(reverse("website:district", args=[world.district.slug]), {"lang": "en"})
    assert "Our special education office" in public.content.decode()


def test_only_a_district_administrator_edits(world: World, client_for: Any) -> None:
    url = reverse("portal:content_edit", args=["glossary", "iep"])
    assert client_for("principal").post(url, glossary_post()).status_code == 403
    assert client_for("ana").post(url, glossary_post()).status_code == 403
    assert not GlossaryTerm.objects.filter(district=world.district).exists()
