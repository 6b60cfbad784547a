"""Surveys in a real browser: a family answers in Spanish on a phone, with and without JavaScript; a school team
rates itself, agrees, and ends with an action plan."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from homeroom.surveys import services
from homeroom.surveys.models import ActionPlan, Instrument, Response, Team
from homeroom.surveys.shipped import load_shipped
from tests.actors import World
from tests.surveys.helpers import answer_url

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _shipped_instruments(world: World) -> None:
    # Live-server tests flush the database between tests, which empties what the data migration loaded.
    load_shipped(Instrument)


def _fits_the_screen(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_a_mother_answers_in_spanish_on_a_phone(world: World, new_context, assert_accessible, javascript):
    survey = services.survey_create(user=world.user("principal"),
                                    instrument=Instrument.objects.get(district=None, key="family-partnership"),
                                    school=world.lincoln, title="Lincoln 2026", anonymous=True)
    invitation = services.survey_invite(survey=survey, students=[world.sofia])[0]
    context = new_context(viewport={"width": 360, "height": 740}, java_script_enabled=javascript, locale="en-US")
    page = context.new_page()

    page.goto(answer_url(invitation))  # no account, and the browser asks for English: the family's language wins
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Encuesta sobre la colaboración con las familias"
    assert _fits_the_screen(page)
    if javascript:  # axe-core runs in the page, so it needs JavaScript; the page is the same either way
        assert_accessible(page)

    page.get_by_role("group", name="Me siento bienvenido cuando voy a la escuela.").get_by_label(
        "Muy de acuerdo", exact=True).check()
    language_help = page.get_by_role("group", name="Puedo recibir ayuda en mi idioma.")
    language_help.get_by_label("En desacuerdo", exact=True).check()
    channels = page.get_by_role("group", name="¿Cómo prefiere recibir noticias de la escuela?")
    channels.get_by_label("Mensaje de texto").check()
    channels.get_by_label("En persona").check()
    page.get_by_label("Algo que la escuela debería cambiar:").fill("Reuniones por la tarde, por favor")
    page.get_by_role("button", name="Enviar mis respuestas").click()
    page.get_by_text("¡Gracias! Recibimos sus respuestas.").wait_for()
    assert _fits_the_screen(page)
    if javascript:
        assert_accessible(page)

    response = Response.objects.get()
    assert response.answers == {"welcome-greeted": 4, "welcome-language": 2, "comm-channel": ["text", "in-person"],
                                "voice-idea": "Reuniones por la tarde, por favor"}
    assert response.language == "es" and response.invitation_id is None


def _rate_everything(page: Any, assessment_url: str, choice: str) -> None:
    page.goto(assessment_url)
    groups = page.locator("fieldset")
    for n in range(groups.count()):
        groups.nth(n).get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Save my ratings").click()
    page.get_by_text("Your ratings are saved").wait_for()


def test_a_team_rates_agrees_and_makes_a_plan(world: World, new_context, sign_in, assert_accessible):
    team = Team.objects.create(school=world.lincoln, name="Lincoln partnership team")
    team.staff.add(world.principal, world.teacher)
    principal = new_context()
    sign_in(principal, "principal")
    page = principal.new_page()

    page.goto(reverse("surveys:team", args=[team.pk]))
    page.get_by_label("Instrument").select_option(label="Bridging racial, class and cultural differences (v1)")
    page.get_by_label("School year (starting)").fill("2026")
    page.get_by_role("button", name="Start").click()
    page.get_by_role("heading", name="My ratings").wait_for()
    assessment_url = page.url
    assert_accessible(page)
    _rate_everything(page, assessment_url, "Not yet")

    teacher = new_context()
    sign_in(teacher, "teacher")
    _rate_everything(teacher.new_page(), assessment_url, "Growing")

    # The consensus page shows the split; the team agrees item by item and reflects.
    page.goto(assessment_url + "consensus/")
    assert page.get_by_text("Members disagree: discuss").count() == 10
    assert_accessible(page)
    selects = page.locator("main select")
    for n in range(selects.count()):
        selects.nth(n).select_option("3")
    page.get_by_label("Team rating").first.select_option("1")
    page.get_by_label("What are we proud of?").fill("Our family liaisons")
    page.get_by_role("button", name="Finish and make the action plan").click()

    page.get_by_role("heading", name="Action plan: Lincoln Elementary, 2026").wait_for()
    plan = ActionPlan.objects.get(school=world.lincoln, year=2026)
    action = plan.items.get()
    assert action.item_key == "know-cultures" and action.rating == 1
    page.get_by_label("What we will do").fill("Family culture nights each term")
    page.get_by_label("Owner").fill("Dr. Okafor")
    page.get_by_label("By when").fill("2027-02-01")
    page.get_by_label("How we will know it worked").fill("Half of families attend one")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The action item is saved.").wait_for()
    assert page.get_by_text("planned", exact=True).is_visible()
    assert_accessible(page)
    action.refresh_from_db()
    assert action.is_complete
