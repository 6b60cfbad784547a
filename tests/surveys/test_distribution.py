"""Sending a survey through messaging: one signed link per family, in its language; reminders skip responders."""

from __future__ import annotations

import re

from django.urls import reverse

from homeroom.messaging.models import Delivery, Message
from homeroom.surveys import links, services
from homeroom.surveys.models import Invitation
from tests import factories as f
from tests.surveys.helpers import CALLBACK, GOOD_ANSWERS, invitation_of, lincoln_survey, shipped

LINK = re.compile(r"/surveys/r/([^/\s]+)/")


def _links_in(message: Message) -> set[str]:
    return {token for content in message.contents.all() for token in LINK.findall(content.body)}


def test_each_family_of_the_school_gets_one_message_with_its_own_link(world):
    survey = lincoln_survey(world)
    assert services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK) == 2
    tokens = {}
    for student in (world.sofia, world.mateo):
        invitation = invitation_of(survey, student)
        message = Message.objects.get(audience__students=[student.pk])
        found = _links_in(message)
        assert len(found) == 1  # the same link in every language of the message
        tokens[student.pk] = found.pop()
        assert links.invitation_id_from(tokens[student.pk]) == invitation.pk
    assert len(set(tokens.values())) == 2
    assert not survey.invitations.filter(students=world.liam).exists()  # Washington's family is not asked


def test_each_guardian_gets_the_message_in_their_language(world):
    survey = lincoln_survey(world)
    services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK)
    ana = Delivery.objects.filter(guardian=world.ana).first()
    assert ana is not None and ana.content_language == "es"
    body = Message.objects.get(pk=ana.message_id).contents.get(language="es").body
    assert "Responda aquí" in body
    assert invitation_of(survey, world.sofia).language == "es"


def test_the_non_custodial_father_gets_no_survey(world):
    survey = lincoln_survey(world)
    services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK)
    assert not Delivery.objects.filter(guardian=world.luis).exists()


def test_a_household_is_one_family_with_one_link(world):
    household = f.HouseholdFactory(district=world.district)
    world.sofia.household = household
    world.sofia.save()
    sister = f.StudentFactory(district=world.district, school=world.lincoln, grade="02", household=household)
    f.StudentGuardianFactory(student=sister, guardian=world.ana, relationship="mother")
    survey = lincoln_survey(world)
    assert services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK) == 2
    family = invitation_of(survey, world.sofia)
    assert set(family.students.all()) == {world.sofia, sister}
    assert family.grades == ["02", "05"]


def test_sending_again_does_not_resend_to_families_already_invited(world):
    survey = lincoln_survey(world)
    services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK)
    assert services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK) == 0
    assert Message.objects.count() == 2


def test_reminders_go_only_to_families_who_have_not_answered(world, client_for):
    survey = lincoln_survey(world)
    services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK)
    answered = invitation_of(survey, world.sofia)
    services.response_submit(survey=survey, data=GOOD_ANSWERS, language="es", source="link", invitation=answered)
    before = set(Message.objects.values_list("pk", flat=True))
    assert services.survey_remind(survey=survey, user=world.user("principal"), callback=CALLBACK) == 1
    reminders = Message.objects.exclude(pk__in=before)
    assert [m.audience["students"] for m in reminders] == [[world.mateo.pk]]
    assert reminders.get().category == "reminder"
    assert Invitation.objects.get(pk=invitation_of(survey, world.mateo).pk).times_sent == 2
    assert Invitation.objects.get(pk=answered.pk).times_sent == 1


def test_reminders_for_an_anonymous_survey_also_skip_responders(world):
    survey = lincoln_survey(world, anonymous=True)
    services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK)
    services.response_submit(survey=survey, data=GOOD_ANSWERS, language="es", source="link",
                             invitation=invitation_of(survey, world.mateo))
    before = set(Message.objects.values_list("pk", flat=True))
    services.survey_remind(survey=survey, user=world.user("principal"), callback=CALLBACK)
    assert [m.audience["students"] for m in Message.objects.exclude(pk__in=before)] == [[world.sofia.pk]]


def test_a_principal_cannot_send_to_another_schools_families(world):
    survey = services.survey_create(user=world.user("admin"), instrument=lincoln_survey(world).instrument,
                                    school=world.washington, title="W", anonymous=True)
    try:
        services.survey_send(survey=survey, user=world.user("principal"), callback=CALLBACK)
    except services.SurveyError:
        pass
    else:
        raise AssertionError("a Lincoln principal sent to Washington's families")
    assert not Message.objects.exists()


def test_post_meeting_survey_reaches_only_that_family(world):
    survey = services.send_post_meeting_survey(user=world.user("principal"), students=[world.mateo],
                                               callback=CALLBACK)
    assert survey.purpose == "post_meeting" and not survey.anonymous
    assert survey.instrument.key == "post-ppt-feedback"
    assert [m.audience["students"] for m in Message.objects.all()] == [[world.mateo.pk]]
    assert set(Delivery.objects.values_list("guardian_id", flat=True)) == {world.rosa.pk}


def test_the_send_button_queues_the_sending_and_reminders_follow(world, client_for,
                                                                django_capture_on_commit_callbacks):
    survey = lincoln_survey(world)
    client = client_for("principal")
    form = {"callback_name": "Main office", "callback_phone": "+12035550100", "grades": ""}
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("surveys:send", args=[survey.pk]), form)
    assert page.status_code == 302 and Message.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("surveys:remind", args=[survey.pk]), form)
    assert Message.objects.filter(category="reminder").count() == 2


def test_a_staff_card_opens_a_public_link_and_is_not_sent_to_families(world):
    card = services.survey_create(user=world.user("principal"), instrument=shipped("staff-feedback-card"),
                                  school=world.lincoln, title="After our PD", anonymous=True)
    assert card.public_link
    try:
        services.survey_send(survey=card, user=world.user("principal"), callback=CALLBACK)
    except services.SurveyError:
        pass
    else:
        raise AssertionError("a staff card went to families")
    assert not Message.objects.exists()
