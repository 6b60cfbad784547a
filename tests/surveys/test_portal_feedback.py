"""Signed-in families answer the surveys offered in the family portal (replacing the old feedback form)."""

from __future__ import annotations

from django.urls import reverse

from homeroom.surveys import services
from homeroom.surveys.models import Response
from tests.surveys.helpers import CALLBACK, GOOD_ANSWERS, shipped


def _portal_survey(world, *, anonymous):
    return services.survey_create(user=world.user("principal"), instrument=shipped("family-partnership"),
                                  school=world.lincoln, title="Lincoln 2026", anonymous=anonymous, in_portal=True)


def test_a_family_sees_the_survey_of_its_childs_school_in_its_language(world, client_for):
    _portal_survey(world, anonymous=True)
    body = client_for("ana").get(reverse("surveys:family")).content.decode()
    assert "Encuesta sobre la colaboración con las familias" in body
    assert "No hay" not in body
    assert "Encuesta sobre" not in client_for("paul").get(reverse("surveys:family")).content.decode()


def test_an_identified_portal_answer_records_the_guardian_once(world, client_for):
    survey = _portal_survey(world, anonymous=False)
    url = reverse("surveys:family_answer", args=[survey.pk])
    client = client_for("ana")
    assert client.post(url, GOOD_ANSWERS).status_code == 302
    client.post(url, GOOD_ANSWERS)
    response = Response.objects.get()
    assert (response.guardian, response.source) == (world.ana, "portal")
    assert "Respondida. ¡Gracias!" in client.get(reverse("surveys:family")).content.decode()


def test_an_anonymous_portal_answer_records_no_guardian(world, client_for):
    survey = _portal_survey(world, anonymous=True)
    client_for("ana").post(reverse("surveys:family_answer", args=[survey.pk]), GOOD_ANSWERS)
    response = Response.objects.get()
    assert response.guardian_id is None and response.invitation_id is None


def test_answering_in_the_portal_uses_up_the_familys_emailed_link(world, client_for):
    survey = _portal_survey(world, anonymous=True)
    services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK)
    client_for("ana").post(reverse("surveys:family_answer", args=[survey.pk]), GOOD_ANSWERS)
    assert survey.invitations.get(students=world.sofia).responded
    # The reminder skips Sofia's family now.
    assert services.survey_remind(survey=survey, user=world.user("principal"), callback=CALLBACK) == 1


def test_a_parent_without_rights_sees_no_survey(world, client_for):
    survey = _portal_survey(world, anonymous=False)
    assert client_for("luis").get(reverse("surveys:family_answer", args=[survey.pk])).status_code == 404
