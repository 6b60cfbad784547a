"""Words, not codes: language codes, channels and states, providers and content headings reach pages,
spreadsheets and CSV files as words in the reader's language."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from homeroom.contacts.services import ContactInput, contact_log_create
from homeroom.messaging.models import Message
from tests.messaging.test_views import _compose_data

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load words %}" + source).render(Context(context))


@pytest.mark.parametrize(("language", "code", "kind", "expected"), [
    ("en", "es", "language", "Spanish"),
    ("es", "es", "language", "español"),
    ("en", "es-MX", "language", "Mexican Spanish"),
    ("en", "hmn", "language", "Hmong"),
    ("es", "ht", "language", "Criollo haitiano"),
    ("en", "sms · sent", "channel_state", "Text message, sent"),
    ("es", "sms · sent", "channel_state", "Mensaje de texto, enviado"),
    ("en", "voice", "channel", "Phone call"),
    ("en", "dev_outbox", "provider", "Development outbox"),
    ("es", "dev_outbox", "provider", "Bandeja de salida de desarrollo"),
    ("en", "bounced", "state", "Bounced"),
])
def test_the_words_filter_turns_codes_into_words_in_the_active_language(language, code, kind, expected):
    with translation.override(language):
        assert render('{{ code|words:kind }}', code=code, kind=kind).lower() == expected.lower()


def test_an_unknown_code_is_shown_as_it_is_rather_than_breaking_the_page():
    assert render('{{ code|words:"channel" }}', code="pigeon") == "pigeon"


def test_guardian_and_student_pages_name_the_language(world, client_for):
    client = client_for("principal")
    guardian_page = client.get(reverse("roster:guardian", args=[world.ana.pk])).content.decode()
    student_page = client.get(reverse("roster:student", args=[world.sofia.pk])).content.decode()
    for page in (guardian_page, student_page):
        assert "<dd>Spanish</dd>" in page
        assert "<dd>es</dd>" not in page
    client.post(reverse("set_language"), {"language": "es"})
    spanish = client.get(reverse("roster:guardian", args=[world.ana.pk])).content.decode()
    assert re.search(r"<dd>[Ee]spañol</dd>", spanish)


@pytest.fixture
def sent_message(world, client_for, django_capture_on_commit_callbacks):
    client = client_for("principal")
    client.post("/messaging/new/", _compose_data(world))
    message = Message.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/messaging/{message.pk}/send/")
    return message


def test_the_preview_heads_each_version_with_its_language_and_names_the_provider(world, client_for):
    client = client_for("principal")
    client.post("/messaging/new/", _compose_data(world))
    preview = client.get(f"/messaging/{Message.objects.get().pk}/").content.decode()
    assert "Spanish: Conferencias" in preview and "es: Conferencias" not in preview
    assert "Development outbox" in preview and "dev_outbox" not in preview


def test_the_family_timeline_says_text_message_sent(world, client_for, sent_message):
    page = client_for("principal").get(reverse("contacts:family_timeline", args=[world.ana.pk])).content.decode()
    assert "Text message, sent" in page or "Text message, delivered" in page
    assert " · sms" not in page and " · sent" not in page


def test_the_delivery_csv_is_written_in_words(world, client_for, sent_message):
    response = client_for("principal").get(reverse("messaging:report_csv", args=[sent_message.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Family member number", "Family member", "Channel"]
    channels = {row[2] for row in rows[1:]}
    languages = {row[4] for row in rows[1:]}
    states = {row[5] for row in rows[1:]}
    assert "Text message" in channels and not channels & {"sms", "email", "voice", "portal"}
    assert "Spanish" in languages and not languages & {"es", "en"}
    assert not states & {"sent", "delivered", "skipped", "queued"}


def test_the_monthly_log_and_its_exports_name_the_language(world, client_for):
    contact = contact_log_create(staff=world.teacher, created_by=world.teacher.user, data=ContactInput(
        occurred_at=timezone.now(), method="phone", purpose="general", students=[world.sofia],
        guardians=[world.ana], language="es"))
    client = client_for("teacher")
    month = timezone.localtime(contact.occurred_at).strftime("%Y-%m")
    page = client.get(reverse("contacts:monthly_log"), {"month": month}).content.decode()
    assert "<td>Spanish</td>" in page and "<td>es</td>" not in page
    detail = client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    assert "<dd>Spanish" in detail
    exported = b"".join(client.get(reverse("contacts:monthly_log_csv"), {"month": month}).streaming_content)
    assert ",Spanish," in exported.decode("utf-8-sig") and ",es," not in exported.decode("utf-8-sig")


def test_a_list_of_language_codes_becomes_their_names():
    with translation.override("en"):
        assert render('{{ codes|words:"language" }}', codes=["en", "es"]) == "English, Spanish"
