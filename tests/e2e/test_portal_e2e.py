"""The family portal in a real browser: a Spanish-speaking mother signs in by code on a small phone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from homeroom.core.models import OutboxEntry
from homeroom.messaging.models import ConversationEntry
from homeroom.portal.models import ChildProfile, GlossaryTerm, GuideEntry
from homeroom.portal.shipped import load_shipped
from tests.actors import World
from tests.portal.helpers import conversation_with, sofia_gradebook

pytestmark = pytest.mark.e2e

@pytest.fixture(autouse=True)
def _shipped_guidance(world: World) -> None:
    # Live-server tests flush the database between tests, which empties what the data migration loaded.
    load_shipped(GuideEntry, GlossaryTerm)


PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "es-ES"}


def _sign_in_by_code(page: Any, email: str) -> None:
    page.goto(reverse("account_request_login_code"))
    page.locator("input[name=login]").fill(email)
    page.locator("form[action$='/code/'] button[type=submit]").click()
    page.locator("input[name=code]").wait_for()
    mail = OutboxEntry.objects.filter(channel="email", to__icontains=email).latest("created_at")
    code = re.search(r"\n\n(\S+)\n\n", mail.body).group(1)
    page.locator("input[name=code]").fill(code)
    page.locator("input[name=code]").press("Enter")
    page.wait_for_url(re.compile(r"/family/$"))


def _check_accessible(page: Any, assert_accessible: Any) -> None:
    # The confirmation banner is part of what is checked.
    assert_accessible(page)


def _fits_the_screen(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_spanish_guardian_signs_in_by_code_reads_grades_replies_and_edits_profile(
    world: World, new_context, assert_accessible, settings
):
    # pytest-django swaps in the locmem backend; the code must arrive the way it does in development.
    settings.EMAIL_BACKEND = "homeroom.core.mail.DevOutboxEmailBackend"
    sofia_gradebook(world)
    conversation = conversation_with(world, world.ana, subject="Reunión de padres", body="¿Puede venir el jueves?")
    page = new_context(**PHONE).new_page()

    _sign_in_by_code(page, "ana@family.example")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Mi familia"
    _check_accessible(page, assert_accessible)

    page.get_by_role("link", name="Notas y tareas").first.click()
    page.get_by_role("heading", name="5A").wait_for()
    assert page.get_by_role("row", name=re.compile("Fractions quiz")).get_by_text("9 / 10").is_visible()
    assert page.get_by_text("Great work on equivalent fractions").is_visible()
    assert _fits_the_screen(page)
    assert_accessible(page)

    page.goto(reverse("portal:inbox"))
    page.get_by_role("link", name="Reunión de padres").click()
    page.get_by_label("Su respuesta").fill("Sí, allí estaré a las 3.")
    page.get_by_role("button", name="Enviar respuesta").click()
    page.get_by_text("Su respuesta fue enviada.").wait_for()
    assert ConversationEntry.objects.filter(
        conversation=conversation, from_guardian=True, body="Sí, allí estaré a las 3."
    ).exists()
    _check_accessible(page, assert_accessible)

    page.goto(reverse("portal:child_profile", args=[world.sofia.pk]))
    page.get_by_label("¿Qué le gusta hacer a su hijo o hija?").fill("Los dinosaurios y dibujar")
    page.get_by_role("button", name="Guardar").click()
    page.get_by_text("El perfil de su hijo o hija está guardado.").wait_for()
    assert ChildProfile.objects.get(student=world.sofia).interests == "Los dinosaurios y dibujar"
    _check_accessible(page, assert_accessible)


FAMILY_PAGES = {
    "home": lambda w: reverse("portal:home"),
    "child": lambda w: reverse("portal:child", args=[w.sofia.pk]),
    "grades": lambda w: reverse("portal:child_grades", args=[w.sofia.pk]),
    "attendance": lambda w: reverse("portal:child_attendance", args=[w.sofia.pk]),
    "profile": lambda w: reverse("portal:child_profile", args=[w.sofia.pk]),
    "inbox": lambda w: reverse("portal:inbox"),
    "conversation": lambda w: reverse("portal:conversation", args=[conversation_with(w, w.ana).pk]),
    "preferences": lambda w: reverse("portal:preferences"),
    "documents": lambda w: reverse("portal:documents"),
    "expectations": lambda w: reverse("portal:expectations"),
    "resources": lambda w: reverse("portal:resources"),
    "glossary": lambda w: reverse("portal:glossary") + "?q=IEP",
    "feedback": lambda w: reverse("portal:feedback"),
}


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("name", sorted(FAMILY_PAGES))
def test_family_page_is_accessible_and_fits_a_small_phone(world, new_context, sign_in, assert_accessible,
                                                          name, language):
    sofia_gradebook(world)
    context = new_context(viewport={"width": 360, "height": 740})
    sign_in(context, "ana", language=language)
    page = context.new_page()
    response = page.goto(FAMILY_PAGES[name](world))
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert _fits_the_screen(page)
    assert_accessible(page)


STAFF_PAGES = {
    "section_notes_index": ("teacher", lambda w: reverse("portal:section_notes_index")),
    "section_notes": ("teacher", lambda w: reverse("portal:section_notes", args=[w.section_5a.pk])),
    "feedback_list": ("principal", lambda w: reverse("portal:feedback_list")),
}


@pytest.mark.parametrize("name", sorted(STAFF_PAGES))
def test_staff_portal_page_is_accessible(world, context, page, sign_in, assert_accessible, name):
    actor, url = STAFF_PAGES[name]
    sign_in(context, actor)
    response = page.goto(url(world))
    assert response is not None and response.status == 200
    assert_accessible(page)


def test_glossary_search_works_without_javascript(world, new_context, sign_in):
    context = new_context(java_script_enabled=False)
    sign_in(context, "paul")
    page = context.new_page()
    page.goto(reverse("portal:glossary"))
    page.get_by_label("Search the glossary").fill("PPT")
    # Without JavaScript the search is a full page load: wait for it, not for the old page.
    with page.expect_navigation(url=re.compile(r"[?&]q=PPT")):
        page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("PPT (Planning and Placement Team)")).to_be_visible()
    expect(page.get_by_text("LRE (Least Restrictive Environment)")).to_have_count(0)
