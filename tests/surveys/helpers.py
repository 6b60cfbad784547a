"""Shared helpers for survey tests: a survey of Lincoln's families, links, answers."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from homeroom.surveys import links, services
from homeroom.surveys.models import Instrument, Invitation, Survey

CALLBACK = services.Callback(name="Lincoln main office", phone="+12035550100")


def shipped(key: str) -> Instrument:
    return Instrument.objects.get(district=None, key=key)


def lincoln_survey(world: Any, *, anonymous: bool = True, public_link: bool = False,
                   key: str = "family-partnership") -> Survey:
    return services.survey_create(user=world.user("principal"), instrument=shipped(key), school=world.lincoln,
                                  title="Family partnership 2026", anonymous=anonymous, public_link=public_link)


def answer_url(invitation: Invitation, language: str | None = None) -> str:
    url = reverse("surveys:answer", kwargs={"token": links.invitation_token(invitation.pk)})
    return f"{url}?lang={language}" if language else url


def invitation_of(survey: Survey, student: Any) -> Invitation:
    return survey.invitations.get(students=student)


GOOD_ANSWERS = {"welcome-greeted": "4", "welcome-belong": "3", "comm-channel": ["text", "paper"],
                "voice-idea": "Más reuniones por la tarde"}
