"""Results "by language" count a family under its home language on the roster, whatever language it answered in."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from homeroom.surveys import services
from homeroom.surveys.models import Response
from homeroom.surveys.results import survey_results
from tests.surveys.helpers import CALLBACK, GOOD_ANSWERS, answer_url, invitation_of, lincoln_survey


def _by_language(survey):
    with translation.override("en"):
        groups = dict(survey_results(survey).breakdowns)["By home language"]
    return {group.label: group.responses for group in groups}


def test_a_spanish_speaking_family_answering_in_english_counts_under_spanish(world, client):
    survey = lincoln_survey(world, anonymous=True)
    services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK)
    reply = client.post(answer_url(invitation_of(survey, world.sofia), "en"), GOOD_ANSWERS)
    assert reply.status_code == 302
    response = Response.objects.get(survey=survey)
    assert (response.language, response.home_language) == ("en", "es")
    assert _by_language(survey).get("Spanish") == 1
    assert "English" not in _by_language(survey) or _by_language(survey)["English"] == 0


def test_the_portal_snapshots_the_home_language_for_an_identified_survey(world, client_for):
    survey = services.survey_create(user=world.user("principal"), instrument=lincoln_survey(world).instrument,
                                    school=world.lincoln, title="Portal", anonymous=False, in_portal=True)
    reply = client_for("ana").post(reverse("surveys:family_answer", args=[survey.pk]) + "?lang=en", GOOD_ANSWERS)
    assert reply.status_code == 302
    assert Response.objects.get(survey=survey).home_language == "es"
    assert _by_language(survey) == {"Spanish": 1}


def test_a_public_link_answer_has_no_known_home_language(world, client):
    survey = lincoln_survey(world, public_link=True)
    client.post(reverse("surveys:public", args=[survey.public_token]) + "?lang=es", GOOD_ANSWERS)
    assert Response.objects.get(survey=survey).home_language == ""
    assert _by_language(survey) == {"Not known": 1}
