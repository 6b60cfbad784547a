"""Families in their own language on a small phone: Arabic right to left, Haitian Creole throughout."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from homeroom.portal.models import GlossaryTerm, GuideEntry
from homeroom.portal.shipped import load_shipped
from tests.actors import World
from tests.portal.helpers import sofia_gradebook

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 360, "height": 740}}


@pytest.fixture(autouse=True)
def _shipped_guidance(world: World) -> None:
    load_shipped(GuideEntry, GlossaryTerm)


def _fits_the_screen(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_arabic_family_reads_the_portal_right_to_left_on_a_phone(world: World, new_context, sign_in,
                                                                      assert_accessible):
    sofia_gradebook(world)
    context = new_context(**PHONE)
    sign_in(context, "ana", language="ar")
    page = context.new_page()
    pages = [reverse("portal:home"), reverse("portal:child", args=[world.sofia.pk]),
             reverse("portal:child_grades", args=[world.sofia.pk]),
             reverse("portal:child_attendance", args=[world.sofia.pk]), reverse("portal:preferences"),
             reverse("portal:glossary")]
    for url in pages:
        page.goto(url)
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl"), url
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        assert _fits_the_screen(page), url
        assert_accessible(page)
    page.goto(reverse("portal:home"))
    assert page.locator("h1").inner_text() == "أسرتي"
    # Mirrored: the language picker sits at the start of the line, which is the right-hand side in Arabic.
    picker = page.locator("form.lang").bounding_box()
    brand = page.locator("a.brand").bounding_box()
    assert brand["x"] > 360 / 2 and picker["x"] + picker["width"] <= 360


def test_a_haitian_creole_family_reads_the_portal_in_kreyol(world: World, new_context, sign_in,
                                                             assert_accessible):
    context = new_context(**PHONE)
    sign_in(context, "ana", language="ht")
    page = context.new_page()
    page.goto(reverse("portal:home"))
    assert page.locator("html").get_attribute("lang") == "ht"
    assert page.locator("h1").inner_text() == "Fanmi mwen"
    assert page.get_by_role("link", name="Preferans").first.is_visible()
    page.goto(reverse("portal:preferences"))
    assert page.get_by_role("heading", name="Ki jan nou jwenn ou").is_visible()
    assert page.locator("#language-select option:checked").inner_text() == "Kreyòl ayisyen"
    assert _fits_the_screen(page)
    assert_accessible(page)
