"""'Preparing for the PPT' on paper: the letter carries the questions, and staff type the answers in."""

from __future__ import annotations

from django.urls import reverse

from homeroom.meetings.models import PrepForm
from homeroom.meetings.services import ppt_invitation_send
from tests.meetings.helpers import schedule
from tests.meetings.test_letters_pdf import pdf_text

ROSAS_PAPER = {
    "strengths": "Lee mucho en casa.", "concerns": "Las fracciones.", "questions": "¿Quién le ayuda en clase?",
    "team_should_know": "Cambió de escuela en enero.", "participation": "in_person", "bringing": "Su tío",
}


def _paper(world, **extra):
    return {"guardian": world.rosa.pk, **ROSAS_PAPER, **extra}


def test_staff_type_in_a_paper_form_and_the_team_sees_who_entered_it(world, client_for):
    meeting = schedule(world)
    url = reverse("meetings:ppt_prep_paper", args=[meeting.pk])
    assert client_for("case_manager").post(url, _paper(world)).status_code == 302

    saved = PrepForm.objects.get()
    assert (saved.guardian, saved.from_paper, saved.entered_by) == (world.rosa, True, world.case_manager.user)
    assert (saved.language, saved.participation, saved.bringing) == ("es", "in_person", "Su tío")
    page = client_for("principal").get(reverse("meetings:ppt_detail", args=[meeting.pk])).content.decode()
    assert "Entered by staff from paper: Wei Chen" in page
    for words in ROSAS_PAPER.values():
        if words != "in_person":
            assert words in page


def test_the_parent_answering_later_on_the_portal_replaces_the_paper_mark(world, client_for, after_commit):
    meeting = schedule(world)
    client_for("case_manager").post(reverse("meetings:ppt_prep_paper", args=[meeting.pk]), _paper(world))
    with after_commit():
        ppt_invitation_send(meeting=meeting, user=world.case_manager.user)
    rosa = client_for("rosa")
    rosa.post(reverse("meetings:prep_form", args=[meeting.pk]), {"strengths": "Ahora en línea"})
    saved = PrepForm.objects.get()
    assert (saved.strengths, saved.from_paper, saved.entered_by) == ("Ahora en línea", False, None)


def test_a_teacher_who_may_only_read_cannot_enter_and_a_case_manager_elsewhere_gets_404(world, client_for):
    meeting = schedule(world, student=world.sofia, by=world.principal)
    url = reverse("meetings:ppt_prep_paper", args=[meeting.pk])
    anas = _paper(world, guardian=world.ana.pk)
    assert client_for("teacher").post(url, anas).status_code == 403  # Sofia's teacher reads her PPT only
    assert client_for("case_manager").post(url, anas).status_code == 404  # Mr. Chen does not see Sofia
    assert not PrepForm.objects.exists()
    page = client_for("teacher").get(reverse("meetings:ppt_detail", args=[meeting.pk])).content.decode()
    assert "Type in a paper form" not in page
    assert "Type in a paper form" in client_for("principal").get(
        reverse("meetings:ppt_detail", args=[meeting.pk])).content.decode()


def test_only_a_parent_with_rights_can_be_named_on_a_paper_form(world, client_for):
    meeting = schedule(world, student=world.sofia, by=world.principal)
    url = reverse("meetings:ppt_prep_paper", args=[meeting.pk])
    client_for("principal").post(url, _paper(world, guardian=world.luis.pk))
    assert not PrepForm.objects.exists()
    client_for("principal").post(url, _paper(world, guardian=world.ana.pk))
    assert PrepForm.objects.get().guardian == world.ana


def _invitation_letter(world, after_commit, student, by):
    meeting = schedule(world, student=student, by=by)
    with after_commit():
        ppt_invitation_send(meeting=meeting, user=by.user)
    return meeting.letters.get()


def test_the_spanish_invitation_letter_carries_the_printable_form(world, after_commit):
    text = pdf_text(_invitation_letter(world, after_commit, world.sofia, world.principal).document)
    for words in ("Preparación para la PPT", "Las fortalezas de mi hijo o hija", "Mis preocupaciones",
                  "Mis preguntas para el equipo", "Lo que quiero que sepa el equipo", "Cómo voy a participar",
                  "Iré en persona", "Llene esta página", "A quién traeré (opcional)"):
        assert words in text, words
    assert "My child's strengths" not in text


def test_the_english_invitation_letter_carries_the_printable_form(world, after_commit):
    text = pdf_text(_invitation_letter(world, after_commit, world.liam, world.admin).document)
    for words in ("Preparing for the PPT", "My child's strengths", "My concerns", "My questions for the team",
                  "What I want the team to know", "How I will take part", "I will join by phone",
                  "Fill in this page and return it to the school", "Who I will bring (optional)"):
        assert words in text, words
