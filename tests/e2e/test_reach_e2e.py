"""A principal opens the reach page on a phone: figures, the two-way view, the not-reached list and its load-more."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from homeroom.reach import refresh
from tests import factories as f
from tests.actors import World

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 360, "height": 740}}


def fits(page: object) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # type: ignore[attr-defined]


def test_principal_reads_the_reach_page_on_a_phone(world: World, new_context, sign_in, assert_accessible) -> None:
    for index in range(30):  # enough families for the figures to be shown and the list to page
        student = f.StudentFactory(district=world.district, school=world.lincoln, grade="03",
                                   home_language="ht" if index % 2 else "en")
        f.StudentGuardianFactory(student=student, guardian=f.GuardianFactory(district=world.district))
    refresh.refresh(full=True)
    context = new_context(**PHONE)
    sign_in(context, "principal")
    page = context.new_page()
    page.goto(reverse("reach:school", args=[world.lincoln.pk]))

    expect(page.get_by_role("heading", name="Families reached: Lincoln Elementary")).to_be_visible()
    expect(page.get_by_text("a call answered by a person")).to_be_visible()
    expect(page.get_by_text("a group of fewer than 10 families shows no figures")).to_be_visible()
    expect(page.get_by_text("0 of 32 families (0.0%).")).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert fits(page)
    assert_accessible(page)

    rows = page.locator("#not-reached ~ div tbody tr, section[aria-labelledby=not-reached] tbody tr")
    expect(rows).to_have_count(26)  # 25 families and the load-more row
    page.get_by_role("link", name="Load more families").click()  # htmx: appended in place
    expect(rows).to_have_count(32)
    assert page.url.endswith(reverse("reach:school", args=[world.lincoln.pk]))
    assert_accessible(page)

    page.get_by_role("link", name="Two-way only").click()
    expect(page.get_by_role("heading", name="Families not reached both ways in the last 30 days")).to_be_visible()
    assert fits(page)
    assert_accessible(page)
