"""A staff feedback card answered by signed-in staff of its school: once each, anonymous when the card is."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from homeroom.surveys import services
from homeroom.surveys.models import Response, StaffAnswered
from tests.surveys.helpers import shipped

CARD_ANSWERS = {"useful": "4", "try": "yes", "need": "More time to plan calls home"}


def _card(world, *, anonymous=True, school=None):
    return services.survey_create(user=world.user("principal"), instrument=shipped("staff-feedback-card"),
                                  school=school or world.lincoln, title="After our discussion", anonymous=anonymous)


def test_a_teacher_of_the_school_answers_once_while_signed_in(world, client_for):
    card = _card(world)
    url = reverse("surveys:staff_answer", args=[card.pk])
    rivera = client_for("teacher")
    assert rivera.get(url).status_code == 200
    assert rivera.post(url, CARD_ANSWERS).status_code == 302
    again = rivera.get(url).content.decode()
    assert "Thank you! Your answers have been received." in again
    rivera.post(url, CARD_ANSWERS)
    assert Response.objects.filter(survey=card).count() == 1
    assert StaffAnswered.objects.filter(survey=card, staff=world.teacher).exists()
    assert client_for("case_manager").post(url, CARD_ANSWERS).status_code == 302
    assert Response.objects.filter(survey=card).count() == 2


def test_staff_of_another_school_and_families_cannot_answer(world, client_for):
    url = reverse("surveys:staff_answer", args=[_card(world).pk])
    assert client_for("other_teacher").get(url).status_code == 404
    assert client_for("ana").get(url).status_code == 403
    assert client_for("anonymous").get(url).status_code == 302


def test_an_anonymous_card_keeps_no_path_from_the_answer_to_the_staff_member(world, client_for):
    card = _card(world, anonymous=True)
    client_for("teacher").post(reverse("surveys:staff_answer", args=[card.pk]), CARD_ANSWERS)
    response = Response.objects.get(survey=card)
    assert response.staff_id is None and response.source == "staff"
    columns = {c.name for c in connection.introspection.get_table_description(connection.cursor(),
                                                                               StaffAnswered._meta.db_table)}
    assert columns == {"id", "survey_id", "staff_id"}  # the mark: who answered, never which answer


def test_an_identified_card_records_the_staff_member(world, client_for):
    card = _card(world, anonymous=False)
    client_for("teacher").post(reverse("surveys:staff_answer", args=[card.pk]), CARD_ANSWERS)
    assert Response.objects.get(survey=card).staff == world.teacher


def test_only_staff_cards_have_a_staff_answering_page(world, client_for):
    family = services.survey_create(user=world.user("principal"), instrument=shipped("family-partnership"),
                                    school=world.lincoln, title="Families", anonymous=True)
    assert client_for("teacher").get(reverse("surveys:staff_answer", args=[family.pk])).status_code == 404
