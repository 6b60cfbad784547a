"""Anonymous surveys: nothing in the database leads from a response back to a family; identified ones do."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction

from homeroom.roster.models import Guardian, Household, Student
from homeroom.surveys import links, services
from homeroom.surveys.models import Invitation, Response
from tests.surveys.helpers import CALLBACK, GOOD_ANSWERS, invitation_of, lincoln_survey

FAMILY_MODELS = {Guardian, Household, Student, Invitation, get_user_model()}


def test_a_response_row_holds_no_key_to_a_family_model():
    """Every relation of Response except `invitation` and `guardian` (identified only) leads away from families."""
    family_links = {f.name for f in Response._meta.get_fields()
                    if f.related_model in FAMILY_MODELS}
    assert family_links == {"invitation", "guardian"}
    # Nothing points at a Response, so no other table can hold the link either.
    pointing_at_response = [
        (model.__name__, f.name) for model in apps.get_models() for f in model._meta.get_fields()
        if getattr(f, "related_model", None) is Response and f.concrete
    ]
    assert pointing_at_response == []
    # And an invitation holds no key to a response (its reverse accessor is Response.invitation itself).
    assert not [f for f in Invitation._meta.concrete_fields if f.related_model is Response]


def test_an_anonymous_answer_stores_no_path_to_the_family(world, client_for):
    survey = lincoln_survey(world, anonymous=True)
    services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK)
    invitation = invitation_of(survey, world.sofia)
    token = links.invitation_token(invitation.pk)
    client_for("anonymous").post(f"/surveys/r/{token}/", GOOD_ANSWERS)
    response = Response.objects.get()
    assert response.invitation_id is None and response.guardian_id is None
    # The raw row: no column holds the invitation's id, the token, or any family id.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Response._meta.db_table}")  # noqa: S608 - a constant table name
        columns = [c[0] for c in cursor.description]
        row = dict(zip(columns, cursor.fetchone(), strict=True))
    assert set(columns) == {"id", "survey_id", "anonymous", "invitation_id", "guardian_id", "staff_id", "source",
                            "language", "home_language", "school_id", "grades", "subgroups", "answers",
                            "submitted_on"}
    assert row["invitation_id"] is None and row["guardian_id"] is None and row["staff_id"] is None
    assert token not in str(row)
    # The "who answered" mark carries no time and no key to the response.
    assert Invitation.objects.get(pk=invitation.pk).responded is True
    assert {f.name for f in Invitation._meta.concrete_fields} == {
        "id", "survey", "household", "school", "language", "grades", "subgroups", "responded", "times_sent"}
    # A response keeps its day, not its time.
    assert not [f for f in Response._meta.concrete_fields if f.get_internal_type() == "DateTimeField"]


def test_the_database_refuses_an_anonymous_response_with_a_family_key(world):
    survey = lincoln_survey(world, anonymous=True)
    invitation = services.survey_invite(survey=survey, students=[world.sofia])[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, anonymous=True, invitation=invitation, source="link",
                                language="es", answers={}, submitted_on="2026-12-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, anonymous=True, guardian=world.ana, source="link",
                                language="es", answers={}, submitted_on="2026-12-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, anonymous=True, staff=world.teacher, source="staff",
                                language="en", answers={}, submitted_on="2026-12-01")


def test_an_identified_answer_is_linked_to_the_family_invitation(world, client_for):
    survey = lincoln_survey(world, anonymous=False)
    services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK)
    invitation = invitation_of(survey, world.sofia)
    client_for("anonymous").post(f"/surveys/r/{links.invitation_token(invitation.pk)}/", GOOD_ANSWERS)
    assert Response.objects.get().invitation == invitation


def test_an_anonymous_response_keeps_only_group_facts_for_results(world, client_for):
    survey = lincoln_survey(world, anonymous=True)
    services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK)
    invitation = invitation_of(survey, world.mateo)
    client_for("anonymous").post(f"/surveys/r/{links.invitation_token(invitation.pk)}/?lang=es", GOOD_ANSWERS)
    response = Response.objects.get()
    assert (response.school_id, response.grades, response.subgroups, response.language) == (
        world.lincoln.pk, ["05"], ["iep"], "es")
