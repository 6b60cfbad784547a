"""PPT meetings in a real browser on a 360 px phone: the principal schedules and invites, Ana prepares in Spanish."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from homeroom.meetings.letters import load_letter_defaults
from homeroom.meetings.models import LetterTemplate, Ppt, PrepForm
from tests.actors import World
from tests.meetings.helpers import school_days_ahead

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 360, "height": 740}}


@pytest.fixture(autouse=True)
def _shipped_letters(world: World, settings: Any, tmp_path: Any) -> None:
    # Live-server tests flush the database between tests, which empties what the data migration loaded.
    load_letter_defaults(LetterTemplate)
    settings.MEDIA_ROOT = tmp_path / "media"


def _fits_the_screen(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_principal_schedules_a_ppt_and_ana_prepares_for_it_in_spanish(
    world: World, new_context: Any, sign_in: Any, assert_accessible: Any
):
    staff = new_context(**PHONE)
    sign_in(staff, "principal")
    page = staff.new_page()
    page.goto(reverse("meetings:ppt_create", args=[world.sofia.pk]))
    assert _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_label("Purpose").select_option("annual_review")
    page.locator("input[name=meeting_date]").fill(school_days_ahead(8).isoformat())
    page.locator("input[name=meeting_time]").fill("15:30")
    page.get_by_label("Place").fill("Lincoln Elementary, room 104")
    expect(page.get_by_label("Ana Garcia")).to_be_checked()
    page.locator("select[name=general_education_staff]").select_option(label="Elena Rivera")
    page.locator("select[name=special_education_staff]").select_option(label="Wei Chen")
    page.locator("select[name=district_representative_staff]").select_option(label="Grace Okafor")
    page.locator("input[name=evaluation_interpreter_name]").fill("Dr. Maya Patel")
    page.get_by_role("button", name="Schedule").click()

    page.wait_for_url(re.compile(r"/meetings/ppt/\d+/$"))
    expect(page.get_by_text("Every required role is invited")).to_be_visible()
    assert _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("The invitation is on its way")).to_be_visible()
    meeting = Ppt.objects.get()
    assert meeting.invitation_sent_at is not None
    assert meeting.letters.get().language == "es"

    family = new_context(**PHONE, locale="es-ES")
    sign_in(family, "ana", language="es")
    phone = family.new_page()
    phone.goto(reverse("meetings:family"))
    assert _fits_the_screen(phone)
    phone.get_by_role("link", name="Preparación para la PPT").click()
    expect(phone.get_by_role("heading", name="Preparación para la PPT")).to_be_visible()
    assert _fits_the_screen(phone)
    assert_accessible(phone)
    phone.get_by_label("Las fortalezas de mi hijo o hija").fill("Le encanta leer y dibujar.")
    phone.get_by_label("Mis preocupaciones").fill("Le cuestan las fracciones.")
    phone.get_by_label("Mis preguntas para el equipo").fill("¿Tendrá apoyo en clase?")
    phone.get_by_label("Lo que quiero que sepa el equipo").fill("Duerme poco entre semana.")
    phone.get_by_label("Participaré por video").check()
    phone.get_by_role("button", name="Enviar al equipo").click()
    expect(phone.get_by_text("Gracias. El equipo lo leerá antes de la reunión.")).to_be_visible()
    assert_accessible(phone)
    assert PrepForm.objects.get().participation == "video"

    page.reload()
    expect(page.get_by_text("Le encanta leer y dibujar.")).to_be_visible()
    expect(page.locator("dl.facts").get_by_text("I will join by video")).to_be_visible()
    documents = family.new_page()
    documents.goto(reverse("portal:documents"))
    invitation = re.compile("Invitación a una reunión PPT sobre Sofia Garcia")
    expect(documents.get_by_role("link", name=invitation)).to_be_visible()
