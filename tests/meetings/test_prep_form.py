"""'Preparing for the PPT': the parent writes on the portal, in their language; staff read it before the meeting."""

from __future__ import annotations

from django.urls import reverse

from homeroom.meetings.models import PrepForm
from tests.meetings.helpers import schedule


def _invited_ppt(world, after_commit):
    from homeroom.meetings.services import ppt_invitation_send

    meeting = schedule(world, student=world.sofia, by=world.principal)
    with after_commit():
        ppt_invitation_send(meeting=meeting, user=world.principal.user)
    return meeting


def test_ana_sees_the_form_in_spanish(world, after_commit, client_for):
    meeting = _invited_ppt(world, after_commit)
    page = client_for("ana").get(reverse("meetings:prep_form", args=[meeting.pk])).content.decode()
    assert "Preparación para la PPT" in page
    assert "Las fortalezas de mi hijo" in page


def test_round_trip_from_ana_to_the_team(world, after_commit, client_for):
    meeting = _invited_ppt(world, after_commit)
    response = client_for("ana").post(reverse("meetings:prep_form", args=[meeting.pk]), {
        "strengths": "Le encanta leer.", "concerns": "Las matemáticas.", "questions": "¿Habrá apoyo en clase?",
        "team_should_know": "Duerme mal.", "participation": "video", "bringing": "Mi hermana",
    })
    assert response.status_code == 302
    saved = PrepForm.objects.get()
    assert (saved.guardian, saved.language, saved.participation) == (world.ana, "es", "video")
    page = client_for("principal").get(reverse("meetings:ppt_detail", args=[meeting.pk])).content.decode()
    for words in ("Le encanta leer.", "Las matemáticas.", "¿Habrá apoyo en clase?", "Duerme mal.", "Mi hermana"):
        assert words in page


def test_a_second_visit_shows_and_updates_the_same_answers(world, after_commit, client_for):
    meeting = _invited_ppt(world, after_commit)
    ana = client_for("ana")
    url = reverse("meetings:prep_form", args=[meeting.pk])
    ana.post(url, {"strengths": "Primero"})
    assert "Primero" in ana.get(url).content.decode()
    ana.post(url, {"strengths": "Segundo"})
    assert PrepForm.objects.get().strengths == "Segundo"


def test_the_form_is_not_there_before_the_invitation_goes_out(world, client_for):
    meeting = schedule(world, student=world.sofia, by=world.principal)
    assert client_for("ana").get(reverse("meetings:prep_form", args=[meeting.pk])).status_code == 404


def test_the_father_without_rights_cannot_open_it(world, after_commit, client_for):
    meeting = _invited_ppt(world, after_commit)
    assert client_for("luis").get(reverse("meetings:prep_form", args=[meeting.pk])).status_code == 404
