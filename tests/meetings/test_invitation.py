"""Sending the PPT invitation: through the messaging engine and as a PDF letter, in each parent's language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeroom.meetings.models import LetterStatus, SafeguardsMethod, SafeguardsNotice
from homeroom.meetings.services import MeetingError, ppt_invitation_send
from homeroom.messaging.models import Delivery
from homeroom.portal.models import DocumentKind, FamilyDocument
from tests.meetings.helpers import schedule


def _send_for_sofia(world, after_commit, **kwargs):
    meeting = schedule(world, student=world.sofia, by=world.principal)
    with after_commit():
        ppt_invitation_send(meeting=meeting, user=world.principal.user, **kwargs)
    meeting.refresh_from_db()
    return meeting


def test_the_invitation_is_a_message_to_the_family_with_spanish_text_for_ana(world, after_commit):
    meeting = _send_for_sofia(world, after_commit)
    message = meeting.invitation_message
    assert message.audience == {"kind": "family", "students": [world.sofia.pk]}
    spanish = message.contents.get(language="es")
    assert "Invitación a una reunión PPT" in spanish.subject
    for words in ("Propósito", "Lincoln Elementary, room 104", "Dr. Maya Patel", "derecho a participar",
                  "traer a quien desee"):
        assert words in spanish.body
    assert Delivery.objects.filter(message=message, guardian=world.ana, content_language="es").exists()


def test_the_father_without_rights_gets_neither_message_nor_letter(world, after_commit):
    meeting = _send_for_sofia(world, after_commit)
    assert not Delivery.objects.filter(message=meeting.invitation_message, guardian=world.luis).exists()
    assert not FamilyDocument.objects.filter(guardians=world.luis).exists()


def test_the_invitation_letter_is_filed_in_anas_documents_in_spanish(world, after_commit, client_for):
    meeting = _send_for_sofia(world, after_commit)
    letter = meeting.letters.get()
    assert (letter.status, letter.language) == (LetterStatus.READY, "es")
    document = letter.document
    assert document.kind == DocumentKind.INVITATION
    assert list(document.guardians.all()) == [world.ana]
    page = client_for("ana").get(reverse("portal:documents")).content.decode()
    assert document.title in page


def test_the_invitation_goes_out_once(world, after_commit):
    meeting = _send_for_sofia(world, after_commit)
    with pytest.raises(MeetingError, match="already"):
        ppt_invitation_send(meeting=meeting, user=world.principal.user)


def test_procedural_safeguards_sent_with_the_invitation_are_recorded_per_parent(world, after_commit):
    _send_for_sofia(world, after_commit, safeguards_enclosed=True)
    notice = SafeguardsNotice.objects.get()
    assert (notice.guardian, notice.method) == (world.ana, SafeguardsMethod.WITH_INVITATION)


def test_the_meeting_page_shows_the_safeguards_are_current(world, after_commit, client_for):
    meeting = _send_for_sofia(world, after_commit, safeguards_enclosed=True)
    page = client_for("principal").get(reverse("meetings:ppt_detail", args=[meeting.pk])).content.decode()
    assert "not given this year" not in page
    assert "given " in page


def test_the_invite_button_sends_it(world, client_for, after_commit):
    meeting = schedule(world)
    with after_commit():
        response = client_for("case_manager").post(reverse("meetings:ppt_invite", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.invitation_sent_at is not None


def test_a_parent_whose_language_has_no_letter_is_flagged_on_the_meeting_page(world, client_for):
    world.rosa.language = "so"
    world.rosa.save(update_fields=["language"])
    meeting = schedule(world)
    page = client_for("case_manager").get(reverse("meetings:ppt_detail", args=[meeting.pk])).content.decode()
    assert "Rosa Lopez reads Somali" in page and "reads so" not in page
