"""Letter templates preview: the unsaved wording, rendered as families get it, with a fictional family."""

from __future__ import annotations

import html
import io

from django.urls import reverse
from pypdf import PdfReader

from homeroom.meetings.letters import template_for
from homeroom.meetings.models import LetterKind
from homeroom.meetings.services import letter_template_save
from tests import factories as f

URL_ES = reverse("meetings:letter_template_edit", args=["ppt_invitation", "es"])
UNSAVED = {"title": "Invitación para {{ student_name }}",
           "body": "# Querida familia\n\n"
                   "Hola {{ parent_names }}: nos vemos el {{ meeting_date }} en {{ school_name }}.",
           "preview": "1"}


def _preview(response) -> str:
    return html.unescape(response.content.decode())


def test_the_preview_renders_the_unsaved_text_in_the_chosen_language(world, client_for):
    response = client_for("admin").post(URL_ES, UNSAVED)
    assert response.status_code == 200
    page = _preview(response)
    assert '<div class="letter-preview" lang="es">' in page
    assert "Invitación para Alex Sample" in page
    assert "Hola Jordan Sample, Sam Sample: nos vemos el" in page
    assert "en Lincoln Elementary." in page  # the district's real school, first by name
    assert "de diciembre" in page or "de enero" in page  # the sample date is written in Spanish
    for real in ("Sofia", "Mateo", "Liam", "Garcia", "Lopez", "Walsh"):
        assert real not in page
    # Nothing saved: the shipped Spanish wording is still the one in use.
    assert template_for(world.district.pk, LetterKind.PPT_INVITATION, "es").district_id is None


def test_the_preview_as_pdf_is_a_download_in_that_language(world, client_for):
    response = client_for("admin").post(URL_ES, {**UNSAVED, "preview": "", "preview_pdf": "1"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Invitación para Alex Sample" in text
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert template_for(world.district.pk, LetterKind.PPT_INVITATION, "es").district_id is None


def test_a_preview_with_an_unknown_placeholder_is_refused_not_rendered(world, client_for):
    response = client_for("admin").post(URL_ES, {**UNSAVED, "body": "Hola {{ secret }}"})
    assert response.status_code == 400
    assert "secret" in _preview(response) and "letter-preview" not in response.content.decode()


def test_another_districts_wording_is_never_shown_or_previewed(world, client_for):
    other = f.DistrictFactory(name="Elsewhere", slug="elsewhere")
    other_admin = f.StaffFactory(district=other, user=f.UserFactory(email="other-admin@example.org"))
    letter_template_save(district=other, kind=LetterKind.PPT_INVITATION, language="es",
                         title="Texto privado de Elsewhere", body="Solo para Elsewhere", user=other_admin.user)
    admin = client_for("admin")
    assert "Solo para Elsewhere" not in admin.get(URL_ES).content.decode()
    assert template_for(world.district.pk, LetterKind.PPT_INVITATION, "es").district_id is None
    assert admin.post(reverse("meetings:letter_template_edit", args=["ppt_invitation", "xx"]),
                      UNSAVED).status_code == 404
    assert admin.post(reverse("meetings:letter_template_edit", args=["nope", "es"]), UNSAVED).status_code == 404


def test_only_the_district_administrator_previews(world, client_for):
    for name in ("principal", "case_manager", "teacher", "ana"):
        response = client_for(name).post(URL_ES, UNSAVED)
        assert response.status_code == 403
        assert "Alex Sample" not in response.content.decode()


def test_an_arabic_preview_reads_right_to_left(world, client_for):
    url = reverse("meetings:letter_template_edit", args=["parent_packet", "ar"])
    response = client_for("admin").post(url, {"title": "مرحبًا {{ student_name }}", "body": "عائلة {{ parent_names }}",
                                              "preview": "1"})
    page = response.content.decode()
    assert '<div class="letter-preview" lang="ar" dir="rtl">' in page and "مرحبًا Alex Sample" in page
