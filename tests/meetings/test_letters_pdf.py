"""Letters as PDF: made in the background from district-editable templates, text checked in English and Spanish."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from homeroom.meetings.letters import render_letter_html, render_pdf, template_for
from homeroom.meetings.models import FamilyRequest, Letter, LetterKind, LetterStatus, LetterTemplate
from homeroom.meetings.services import (
    MeetingError,
    letter_template_save,
    parent_packet_send,
    ppt_invitation_send,
)
from homeroom.portal.models import FamilyDocument
from tests.meetings.helpers import schedule


def pdf_text(document: FamilyDocument) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _invite(world, after_commit, student, by):
    meeting = schedule(world, student=student, by=by, interpreter_needed=True, interpreter_language="es")
    with after_commit():
        ppt_invitation_send(meeting=meeting, user=by.user)
    return meeting.letters.get()


def test_the_invitation_letter_in_spanish_states_purpose_time_place_team_and_rights(world, after_commit):
    letter = _invite(world, after_commit, world.sofia, world.principal)
    text = pdf_text(letter.document)
    for words in ("Invitación a una reunión PPT sobre Sofia Garcia", "Revisión anual", "Lincoln Elementary, room 104",
                  "Dr. Maya Patel", "Representante del distrito", "derecho a participar",
                  "Puede traer a quien desee", "intérprete", "Puede llenar el formulario", "Estimado/a Ana Garcia"):
        assert words in text, words
    assert "Dear" not in text


def test_the_invitation_letter_in_english_for_an_english_speaking_family(world, after_commit):
    letter = _invite(world, after_commit, world.liam, world.admin)
    text = pdf_text(letter.document)
    assert letter.language == "en"
    for words in ("Invitation to a PPT meeting for Liam Walsh", "Annual review", "Dear Paul Walsh",
                  "You have the right to take part", "You may bring anyone you wish", "District representative"):
        assert words in text, words


def test_the_pdf_is_tagged_for_screen_readers(world):
    template = template_for(world.district.pk, LetterKind.PARENT_PACKET, "es")
    pdf = render_pdf(render_letter_html(template, {"student_name": "Sofia", "district_name": "Riverside"}))
    reader = PdfReader(io.BytesIO(pdf))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "es"


def test_the_parent_packet_reaches_the_familys_documents_in_their_language(world, after_commit, client_for):
    with after_commit():
        parent_packet_send(student=world.mateo, user=world.case_manager.user)
    document = FamilyDocument.objects.get(guardians=world.rosa)
    text = pdf_text(document)
    assert document.language == "es"
    assert "Bienvenidos a Riverside" in text and "garantías procesales" in text


def test_a_district_wording_is_used_for_the_next_letter(world, after_commit):
    letter_template_save(district=world.district, kind=LetterKind.PARENT_PACKET, language="en",
                         title="Hello from Riverside",
                         body="Dear {{ parent_names }},\n\nOur own words for {{ student_name }}.",
                         user=world.admin.user)
    with after_commit():
        parent_packet_send(student=world.liam, user=world.admin.user)
    text = pdf_text(FamilyDocument.objects.get(guardians=world.paul))
    assert "Hello from Riverside" in text
    assert "Our own words for Liam Walsh." in text
    assert LetterTemplate.objects.filter(district=None, kind=LetterKind.PARENT_PACKET, language="en").exists()


def test_a_template_with_an_unknown_placeholder_or_a_tag_is_refused(world):
    with pytest.raises(MeetingError, match="secret"):
        letter_template_save(district=world.district, kind=LetterKind.PARENT_PACKET, language="en",
                             title="x", body="{{ secret }}", user=world.admin.user)
    with pytest.raises(MeetingError, match="not allowed"):
        letter_template_save(district=world.district, kind=LetterKind.PARENT_PACKET, language="en",
                             title="x", body="{% include 'base.html' %}", user=world.admin.user)


def test_district_text_and_values_are_escaped_not_run_as_html(world):
    template = LetterTemplate(kind=LetterKind.PARENT_PACKET, language="en", title="T",
                              body="<b>bold</b> {{ student_name }}")
    html = render_letter_html(template, {"student_name": "<script>x</script>"})
    assert "<b>bold</b>" not in html and "<script>" not in html
    assert "&lt;script&gt;" in html


def test_the_admin_edits_a_letter_from_the_templates_page(world, client_for):
    admin = client_for("admin")
    url = reverse("meetings:letter_template_edit", args=["ppt_invitation", "es"])
    assert "derecho a participar" in admin.get(url).content.decode()
    response = admin.post(url, {"title": "Invitación {{ student_name }}", "body": "Hola {{ parent_names }}"})
    assert response.status_code == 302
    assert template_for(world.district.pk, LetterKind.PPT_INVITATION, "es").body == "Hola {{ parent_names }}"


def test_a_referral_is_a_tracked_request_with_letters_for_the_family_and_the_school(world, after_commit, client_for):
    with after_commit():
        response = client_for("ana").post(
            reverse("meetings:family_request", args=[world.sofia.pk, "referral"]),
            {"reason": "Le cuesta mucho leer y escribir."},
        )
    assert response.status_code == 302
    request = FamilyRequest.objects.get()
    assert (request.guardian, request.kind, request.language) == (world.ana, "referral", "es")
    assert request.received_at is not None
    letters = {letter.language: letter for letter in request.letters.all()}
    assert set(letters) == {"es", "en"}
    assert all(letter.status == LetterStatus.READY for letter in letters.values())
    spanish = pdf_text(letters["es"].document)
    assert "Referido para una evaluación de educación especial: Sofia Garcia" in spanish
    assert "Le cuesta mucho leer y escribir." in spanish and "La escuela recibió esta solicitud" in spanish
    english = pdf_text(letters["en"].document)
    assert "Referral for a special education evaluation: Sofia Garcia" in english
    assert "The school received this request on" in english
    # Ana keeps her copy; the school's English copy is not on the family's Documents page.
    assert list(letters["es"].document.guardians.all()) == [world.ana]
    assert not letters["en"].document.guardians.exists()
    page = client_for("principal").get(reverse("meetings:requests")).content.decode()
    assert "Le cuesta mucho leer y escribir." in page


def test_an_interim_ppt_request_makes_its_own_letter(world, after_commit, client_for):
    with after_commit():
        client_for("paul").post(reverse("meetings:family_request", args=[world.liam.pk, "interim"]),
                                {"reason": "Reading goals need another look."})
    letter = Letter.objects.get(kind=LetterKind.INTERIM_REQUEST)
    text = pdf_text(letter.document)
    assert "Request for an interim PPT meeting: Liam Walsh" in text
    assert "Reading goals need another look." in text


def test_a_family_cannot_send_a_request_about_a_child_they_hold_no_rights_for(world, client_for):
    response = client_for("luis").post(reverse("meetings:family_request", args=[world.sofia.pk, "referral"]),
                                       {"reason": "x"})
    assert response.status_code == 404
    assert not FamilyRequest.objects.exists()


def test_letters_appear_on_the_family_timeline(world, after_commit, client_for):
    _invite(world, after_commit, world.sofia, world.principal)
    page = client_for("principal").get(reverse("contacts:family_timeline", args=[world.ana.pk])).content.decode()
    assert "Invitación a una reunión PPT sobre Sofia Garcia" in page
