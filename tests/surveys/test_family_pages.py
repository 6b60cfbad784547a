"""A family answers by its signed link, without an account or JavaScript, in its own language."""

from __future__ import annotations

from django.urls import reverse

from homeroom.surveys import services
from homeroom.surveys.models import Response
from tests.surveys.helpers import CALLBACK, GOOD_ANSWERS, answer_url, invitation_of, lincoln_survey


def _sent(world, **options):
    survey = lincoln_survey(world, **options)
    services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK)
    return survey


def test_the_link_opens_in_the_familys_language_without_signing_in(world, client_for):
    survey = _sent(world)
    page = client_for("anonymous").get(answer_url(invitation_of(survey, world.sofia)))
    body = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="es">' in body
    assert "Encuesta sobre la colaboración con las familias" in body
    assert "Muy de acuerdo" in body
    assert "Enviar mis respuestas" in body
    assert "hx-" not in body.split("<main", 1)[1]  # a plain form: no script needed to answer


def test_the_family_can_switch_to_english(world, client_for):
    survey = _sent(world)
    body = client_for("anonymous").get(answer_url(invitation_of(survey, world.sofia), "en")).content.decode()
    assert '<html lang="en">' in body and "Strongly agree" in body


def test_answering_saves_once_and_thanks_the_family_in_spanish(world, client_for):
    survey = _sent(world)
    client = client_for("anonymous")
    url = answer_url(invitation_of(survey, world.sofia))
    assert client.post(url, GOOD_ANSWERS).status_code == 302
    again = client.post(url, GOOD_ANSWERS)
    assert "¡Gracias! Recibimos sus respuestas." in again.content.decode()
    response = Response.objects.get()
    assert response.answers == {"welcome-greeted": 4, "welcome-belong": 3, "comm-channel": ["text", "paper"],
                                "voice-idea": "Más reuniones por la tarde"}
    assert response.language == "es"


def test_an_answer_out_of_range_is_refused_and_kept_for_correction(world, client_for):
    survey = _sent(world)
    page = client_for("anonymous").post(answer_url(invitation_of(survey, world.sofia)),
                                        {"welcome-greeted": "9", "voice-idea": "hola"})
    assert page.status_code == 422
    body = page.content.decode()
    assert "Elija una de las respuestas." in body and "hola" in body
    assert not Response.objects.exists()


def test_a_forged_or_altered_link_finds_nothing(world, client_for):
    survey = _sent(world)
    url = answer_url(invitation_of(survey, world.sofia))
    assert client_for("anonymous").get(url.replace("/r/", "/r/x")).status_code == 404
    assert client_for("anonymous").get(reverse("surveys:answer", kwargs={"token": "1"})).status_code == 404


def test_a_closed_survey_takes_no_answers(world, client_for):
    survey = _sent(world)
    services.survey_close(survey=survey)
    client_for("anonymous").post(answer_url(invitation_of(survey, world.sofia)), GOOD_ANSWERS)
    assert not Response.objects.exists()


def test_the_public_link_takes_answers_for_the_school(world, client_for):
    survey = lincoln_survey(world, public_link=True)
    url = reverse("surveys:public", kwargs={"token": survey.public_token})
    assert client_for("anonymous").post(url + "?lang=es", GOOD_ANSWERS).status_code == 302
    response = Response.objects.get()
    assert (response.source, response.school_id, response.language) == ("public", world.lincoln.pk, "es")


def test_without_a_public_link_the_public_address_finds_nothing(world, client_for):
    survey = lincoln_survey(world, public_link=False)
    url = reverse("surveys:public", kwargs={"token": survey.public_token})
    assert client_for("anonymous").get(url).status_code == 404
