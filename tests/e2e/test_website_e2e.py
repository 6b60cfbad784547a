"""A family opens the school's public page on a phone and on a desktop, in Spanish and in Arabic (right to
left), without signing in and without JavaScript: everything readable, nothing wider than the screen, axe clean."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from homeroom.website.models import Announcement, CommunityResource, PublicationSettings, ResourceCategory
from tests.actors import World

pytestmark = pytest.mark.e2e

SIZES = ({"width": 360, "height": 740}, {"width": 1280, "height": 900})
HEADINGS = {"es": "Próximas actividades y eventos", "ar": "الأنشطة والفعاليات القادمة"}


def test_public_school_page_in_two_languages_on_a_phone_and_a_desktop(world: World, new_context,
                                                                       assert_accessible) -> None:
    Announcement.objects.create(district=world.district, school=world.lincoln,
                                starts_on=timezone.localdate() + dt.timedelta(days=3), place="Gym",
                                titles={"en": "Family math night", "es": "Noche de matemáticas",
                                        "ar": "ليلة الرياضيات العائلية"})
    CommunityResource.objects.create(district=world.district, category=ResourceCategory.COMPUTER_ACCESS,
                                     name="Riverside Library", address="12 Main St", languages=["es", "ar"])
    PublicationSettings.objects.create(district=world.district, office_phone="203-555-0100",
                                       reach_figures=["overall"])
    url = reverse("website:school", args=[world.district.slug, "lincoln-elementary"])
    plain = new_context(viewport=SIZES[0], java_script_enabled=False)  # the page needs no script at all
    page = plain.new_page()
    page.goto(f"{url}?lang=es")
    expect(page.get_by_role("heading", name=HEADINGS["es"])).to_be_visible()
    page.get_by_role("link", name="Buscar recursos de la comunidad por tipo e idioma").click()
    page.get_by_label("Tipo de ayuda").select_option("computer_access")
    page.get_by_role("button", name="Mostrar").click()
    expect(page.get_by_text("Riverside Library")).to_be_visible()
    plain.close()
    for size in SIZES:  # axe runs as a script, so these pages have it
        context = new_context(viewport=size)
        page = context.new_page()
        for language, heading in HEADINGS.items():
            page.goto(f"{url}?lang={language}")
            expect(page.locator("html")).to_have_attribute("lang", language)
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
            expect(page.get_by_text("Riverside Library")).to_be_visible()
            if language == "ar":
                expect(page.locator("html")).to_have_attribute("dir", "rtl")
                expect(page.get_by_text("ليلة الرياضيات العائلية", exact=False)).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (language, size)
            assert_accessible(page)
        page.goto(f"{reverse('website:community', args=[world.district.slug])}?lang=es&category=computer_access")
        expect(page.get_by_text("Riverside Library")).to_be_visible()
        assert_accessible(page)
        context.close()
