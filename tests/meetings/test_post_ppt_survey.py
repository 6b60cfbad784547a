"""Marking a PPT held sends the family the post-PPT feedback survey, through messaging, in the parent's language."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse

from homeroom.meetings.services import ppt_mark_held
from homeroom.messaging.models import Delivery
from homeroom.surveys.links import invitation_url
from homeroom.surveys.models import Invitation, Survey
from tests.meetings.helpers import schedule

THURSDAY = dt.date(2026, 3, 12)


def test_a_held_ppt_sends_the_feedback_survey_to_the_parent_with_rights_only(world, after_commit, client_for):
    meeting = schedule(world, student=world.sofia, by=world.principal)
    with after_commit():
        ppt_mark_held(meeting=meeting, held_on=THURSDAY, user=world.principal.user)

    survey = Survey.objects.get()
    assert survey.purpose == Survey.Purpose.POST_MEETING and survey.instrument.key == "post-ppt-feedback"
    invitation = Invitation.objects.get(survey=survey)
    assert list(invitation.students.all()) == [world.sofia]
    deliveries = Delivery.objects.filter(message__audience__students=[world.sofia.pk])
    assert {d.guardian_id for d in deliveries} == {world.ana.pk}  # Luis has no rights: nothing for him
    assert world.luis.pk not in set(Delivery.objects.values_list("guardian_id", flat=True))
    [delivery] = deliveries
    assert delivery.content_language == "es"
    spanish = delivery.message.contents.get(language="es").body
    link = re.search(r"http\S+/surveys/r/\S+", spanish)
    assert link and link.group(0).split(":")[:2] == invitation_url(invitation.pk).split(":")[:2]
    answer_page = Client().get(link.group(0).removeprefix("http://127.0.0.1:8000"))  # signed, no password
    assert answer_page.status_code == 200

    meeting.refresh_from_db()
    assert meeting.survey_requested_at is not None
    page = client_for("principal").get(reverse("meetings:ppt_detail", args=[meeting.pk])).content.decode()
    assert "Family feedback survey" in page and "Sent " in page


def test_marking_held_twice_does_not_send_the_survey_twice(world, after_commit):
    meeting = schedule(world, student=world.sofia, by=world.principal)
    with after_commit():
        ppt_mark_held(meeting=meeting, held_on=THURSDAY, user=world.principal.user)
    with after_commit():
        ppt_mark_held(meeting=meeting, held_on=THURSDAY, user=world.principal.user)
    assert Survey.objects.count() == 1
