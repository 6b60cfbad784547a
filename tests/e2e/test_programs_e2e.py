"""Programs in a real browser: a family answers an invitation in Spanish on a 360 px phone without an account
and takes the .ics; a team turns a self-assessment item into an activity of its action plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from homeroom.programs import events, teams
from homeroom.programs.models import Rsvp
from homeroom.surveys.models import ActionItem, ActionPlan
from tests.actors import World
from tests.programs.helpers import lincoln_event, lincoln_team

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 360, "height": 740}}


def _fits_the_screen(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_family_rsvps_in_spanish_on_a_phone_and_gets_the_ics(
    world: World, new_context: Any, live_server: Any, assert_accessible: Any
):
    event = lincoln_event(world, capacity=30)
    family = new_context(**PHONE, locale="es-ES", accept_downloads=True)
    family.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "es", "url": live_server.url}])
    phone = family.new_page()
    phone.goto(reverse("programs:rsvp_link", args=[events.link_token(event, world.rosa)]))
    expect(phone.get_by_role("heading", name="Family math night")).to_be_visible()
    assert _fits_the_screen(phone)
    assert_accessible(phone)
    phone.get_by_label("¿Cuántas personas vendrán?").fill("3")
    phone.get_by_label("¿Necesita intérprete?").select_option("es")
    phone.get_by_label("¿Cuántos niños necesitan cuidado?").fill("2")
    phone.get_by_role("button", name="Sí, vendremos").click()
    expect(phone.get_by_text("¡Gracias! Le esperamos.")).to_be_visible()
    assert _fits_the_screen(phone)
    assert_accessible(phone)
    rsvp = Rsvp.objects.get()
    assert (rsvp.guardian, rsvp.seats, rsvp.interpreter_language, rsvp.childcare_children) == (world.rosa, 3, "es", 2)

    with phone.expect_download() as download:
        phone.get_by_role("link", name="Añadir a mi calendario (.ics)").click()
    path = download.value.path()
    ics = open(path, encoding="utf-8").read()  # noqa: SIM115
    assert download.value.suggested_filename == f"event-{event.pk}.ics"
    assert "BEGIN:VEVENT" in ics and "SUMMARY:Family math night" in ics


def test_a_team_turns_a_self_assessment_item_into_an_activity(
    world: World, new_context: Any, sign_in: Any, assert_accessible: Any
):
    team = lincoln_team(world)
    plan, _created = ActionPlan.objects.get_or_create(school=world.lincoln, year=teams.school_year())
    item = ActionItem.objects.create(plan=plan, item_key="welcoming-environment", rating=1)
    staff = new_context()
    sign_in(staff, "principal")
    page = staff.new_page()
    page.goto(reverse("programs:team", args=[team.pk]))
    expect(page.get_by_role("heading", name="From the self-assessment: items waiting for an activity")).to_be_visible()
    assert_accessible(page)
    card = page.locator("section.card", has_text="welcoming-environment")
    card.get_by_label("Activity").fill("Welcome walk for new families, with interpreters")
    card.get_by_label("Owner").fill("Ms. Rivera")
    card.get_by_label("Date").fill((timezone.localdate() + dt.timedelta(days=40)).isoformat())
    card.get_by_label("Families it is meant to reach").fill("Families new to Lincoln")
    card.get_by_label("Measure of success").fill("20 new families take part")
    card.get_by_role("button", name="Make it an activity").click()
    expect(page.get_by_text("The self-assessment item is now an activity of the plan.")).to_be_visible()
    expect(page.get_by_role("cell", name="Families new to Lincoln")).to_be_visible()
    assert_accessible(page)
    item.refresh_from_db()
    assert item.is_complete and item.programs_detail.team == team
