"""The staff roster pages in a real browser: accessible in English and Spanish, usable on a small phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from homeroom.roster.models import Student
from tests import factories as f
from tests.actors import World

pytestmark = pytest.mark.e2e


def _household(world: World) -> int:
    household = f.HouseholdFactory(district=world.district, name="Garcia", address_line="12 Elm Street",
                                   city="Riverside", postal_code="06001")
    Student.objects.filter(pk=world.sofia.pk).update(household=household)
    world.ana.household = household
    world.ana.save()
    return household.pk


PAGES = {
    "dashboard": lambda w: reverse("roster:dashboard"),
    "school": lambda w: reverse("roster:school", args=[w.lincoln.pk]),
    "section": lambda w: reverse("roster:section", args=[w.section_5a.pk]),
    "student": lambda w: reverse("roster:student", args=[w.sofia.pk]),
    "guardian": lambda w: reverse("roster:guardian", args=[w.ana.pk]),
    "household": lambda w: reverse("roster:household", args=[_household(w)]),
    "search": lambda w: reverse("roster:search"),
}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_roster_page_has_no_serious_accessibility_problems(world, context, page, sign_in, assert_accessible,
                                                           name, language):
    sign_in(context, "principal", language=language)
    response = page.goto(PAGES[name](world))
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "es"])
def test_search_results_page_has_no_serious_accessibility_problems(world, context, page, sign_in,
                                                                   assert_accessible, language):
    sign_in(context, "teacher", language=language)
    page.goto(reverse("roster:search"))
    page.locator("input[type=search]").fill("Garcia")
    page.locator("form.roster-search button[type=submit]").click()
    page.locator("#search-results a", has_text="Sofia Garcia").wait_for()
    assert_accessible(page)


def test_search_shows_live_results_while_typing_without_leaving_the_page(world, context, page, sign_in):
    sign_in(context, "teacher")
    search_url = page.goto(reverse("roster:search")).url
    page.evaluate("window.__stillHere = true")  # a full page load would forget this
    page.locator("input[type=search]").press_sequentially("Gar", delay=30)
    results = page.locator("#search-results")
    results.get_by_role("link", name="Sofia Garcia").wait_for()
    assert results.get_by_role("link", name="Ana Garcia").is_visible()
    assert results.get_by_role("link", name="Liam Walsh").count() == 0
    assert page.evaluate("window.__stillHere") is True
    assert page.url == search_url  # the name never reaches the address bar


def test_search_works_without_javascript(world, new_context, sign_in):
    context = new_context(java_script_enabled=False)
    sign_in(context, "teacher")
    page = context.new_page()
    page.goto(reverse("roster:search"))
    page.locator("input[type=search]").fill("Sofia")
    page.locator("form.roster-search button[type=submit]").click()
    page.get_by_role("link", name="Sofia Garcia").wait_for()
    assert "Sofia" not in page.url


def _horizontal_overflow(page: Any) -> dict[str, int]:
    return page.evaluate(
        """() => ({
            viewport: document.documentElement.clientWidth,
            html: document.documentElement.scrollWidth,
            body: document.body.scrollWidth,
        })"""
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_student_page_fits_a_360px_phone_without_sideways_scrolling(world, new_context, sign_in, language):
    world.ana.email = "ana.maria.garcia-fernandez.family.contact@very-long-family-domain.example"
    world.ana.best_time = "Weekday evenings after 6 p.m., or Saturday mornings"
    world.ana.save()
    context = new_context(viewport={"width": 360, "height": 780}, device_scale_factor=2, is_mobile=True)
    sign_in(context, "principal", language=language)
    page = context.new_page()
    page.goto(reverse("roster:student", args=[world.sofia.pk]))
    widths = _horizontal_overflow(page)
    assert widths["viewport"] == 360
    assert widths["html"] <= widths["viewport"], widths
    assert widths["body"] <= widths["viewport"], widths


def test_non_custodial_flag_is_visible_on_the_student_page(world, context, page, sign_in):
    sign_in(context, "teacher")
    page.goto(reverse("roster:student", args=[world.sofia.pk]))
    card = page.locator("article", has=page.get_by_role("heading", name="Luis Garcia"))
    assert card.get_by_text("Do not share information").is_visible()
