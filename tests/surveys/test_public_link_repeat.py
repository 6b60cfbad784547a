"""The public link remembers "answered on this device" in a signed cookie: a convenience, not a guarantee."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from homeroom.surveys.models import Response
from tests.surveys.helpers import GOOD_ANSWERS, lincoln_survey


def test_the_same_browser_is_thanked_instead_of_answering_again(world, client):
    survey = lincoln_survey(world, public_link=True)
    url = reverse("surveys:public", args=[survey.public_token])
    assert client.post(url, GOOD_ANSWERS).status_code == 302
    again = client.get(url)
    assert "Thank you! Your answers have been received." in again.content.decode()
    assert "<form method=\"post\" class=\"stack survey-form\"" not in again.content.decode()
    client.post(url, GOOD_ANSWERS)
    assert Response.objects.filter(survey=survey).count() == 1


def test_the_cookie_holds_nothing_about_the_family_and_cannot_be_forged(world, client):
    survey = lincoln_survey(world, public_link=True)
    url = reverse("surveys:public", args=[survey.public_token])
    reply = client.post(url, GOOD_ANSWERS)
    cookie = reply.cookies[f"hr_survey_{survey.pk}"]
    assert cookie["httponly"] and cookie.value.split(":")[0] == str(survey.pk)
    forged = Client()
    forged.cookies[f"hr_survey_{survey.pk}"] = str(survey.pk)  # unsigned: ignored
    assert forged.post(url, GOOD_ANSWERS).status_code == 302
    assert Response.objects.filter(survey=survey).count() == 2


def test_another_browser_can_still_answer(world, client):
    survey = lincoln_survey(world, public_link=True)
    url = reverse("surveys:public", args=[survey.public_token])
    client.post(url, GOOD_ANSWERS)
    assert Client().post(url, GOOD_ANSWERS).status_code == 302
    assert Response.objects.filter(survey=survey).count() == 2
