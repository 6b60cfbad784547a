"""No raw code reaches a page, a spreadsheet or an email: every GET page of the URL access rules, its CSV and XLSX
downloads and the emails of a sent message are searched for language codes, channel·state pairs, provider names
and content headed "en:" / "es:", with a seeded world that has a sent message and a contact logged in Spanish."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from homeroom.contacts.services import ContactInput, contact_log_create
from homeroom.core.models import OutboxEntry
from homeroom.messaging.models import Message
from tests.e2e.every_page import page_visits
from tests.messaging.test_views import _compose_data

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = "en|es|ht|vi|pl|ar|zh|pt|so|hmn"
CHANNELS = "sms|voice|email|portal"
STATES = "planned|queued|sending|sent|delivered|read|failed|bounced|skipped|opted_out"
RAW = [
    ("a language code shown alone", re.compile(rf">\s*(?:{LANGUAGE_CODES})(?:-[A-Za-z]+)?\s*<")),
    ("a language code after a label",
     re.compile(rf"(?:Language|Idioma)[^<:]{{0,30}}:\s*(?:{LANGUAGE_CODES})\b(?![-\w])")),
    ("content headed by a language code", re.compile(rf"(?:^|>)\s*(?:{LANGUAGE_CODES}):\s", re.M)),
    ("a channel · state pair", re.compile(rf"\b(?:{CHANNELS})\s*·\s*(?:{STATES})\b")),
    ("a channel, state or purpose code alone", re.compile(rf">\s*(?:{CHANNELS}|{STATES}|behaviour)\s*<")),
    ("a provider name", re.compile(r"\bdev_outbox\b|\btwilio_sms\b")),
]


def raw_codes(text: str) -> list[str]:
    text = re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S)
    return [f"{what}: {match.group(0)!r}" for what, pattern in RAW for match in pattern.finditer(text)]


def _xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    cells = (cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row)
    return "\n".join(f">{cell}<" for cell in cells if cell is not None)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def seeded(world, client_for, django_capture_on_commit_callbacks):
    """A message sent to Ana's family (texts, emails, the report) and a phone call logged in Spanish."""
    client = client_for("principal")
    client.post("/messaging/new/", _compose_data(world))
    message = Message.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/messaging/{message.pk}/send/")
    contact_log_create(staff=world.teacher, created_by=world.teacher.user, data=ContactInput(
        occurred_at=timezone.now(), method="phone", purpose="general", students=[world.sofia],
        guardians=[world.ana], language="es"))
    return world


def missing_ids(html: str) -> list[str]:
    """aria-describedby / aria-labelledby / label for= that point at no element of the page."""
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    pointed = re.findall(r'\b(?:aria-describedby|aria-labelledby|aria-controls|for)="([^"]+)"', html)
    return sorted({f"#{target}" for value in pointed for target in value.split() if target not in ids})


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_page_or_download_shows_a_raw_code_or_points_at_a_missing_id(seeded, language):
    clients: dict[str, Client] = {}
    found, checked = [], 0
    for visit in page_visits():
        try:
            with transaction.atomic():
                url = visit.url(seeded)
        except Exception:  # noqa: S112 - another rule's record is in its place (a booked slot)
            continue
        if visit.actor not in clients:
            clients[visit.actor] = client = Client(HTTP_ACCEPT_LANGUAGE=language)
            user = seeded.user(visit.actor)
            if user is not None:
                client.force_login(user)
            client.cookies["django_language"] = language
        response = clients[visit.actor].get(url)
        kind = response.get("Content-Type", "")
        if response.status_code != 200 or visit.name.startswith("api:"):
            continue
        body = _body(response)
        if "spreadsheetml" in kind:
            text = _xlsx_text(body)
        elif kind.startswith(("text/html", "text/csv")):
            text = body.decode("utf-8-sig")
            if kind.startswith("text/csv"):
                text = "\n".join(f">{cell}<" for line in text.splitlines() for cell in line.split(","))
        else:
            continue
        checked += 1
        found += [f"{visit.name} ({url}): {problem}" for problem in raw_codes(text)]
        if kind.startswith("text/html"):
            found += [f"{visit.name} ({url}): points at missing {target}" for target in missing_ids(text)]
    assert checked > 90
    assert found == [], "\n".join(found)


def test_no_email_or_text_shows_a_raw_code(seeded):
    """What the family received (the dev outbox keeps each email, text and call script as sent)."""
    sent = list(OutboxEntry.objects.all())
    assert sent, "the seeded message reached no one"
    found = [f"{entry.channel} to {entry.to}: {problem}" for entry in sent
             for part in (entry.subject, entry.body) for problem in raw_codes(">" + part)]
    found += [f"email {email.subject}: {problem}" for email in mail.outbox
              for part in (email.subject, email.body) for problem in raw_codes(">" + part)]
    assert found == []


def test_the_search_finds_raw_codes_when_they_are_there():
    with translation.override("en"):
        page = ("<dd>es</dd><p>Language used: es</p><pre>en: Hello</pre><td>sms · sent</td>"
                "<td>bounced</td><p>via dev_outbox</p>")
    assert len(raw_codes(page)) == 6


def test_a_description_pointing_nowhere_is_found():
    page = '<input id="id_notes" aria-describedby="id_notes_helptext"><label for="id_notes">Notes</label>'
    assert missing_ids(page) == ["#id_notes_helptext"]
