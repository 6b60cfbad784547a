"""Test data for the family portal: gradebook rows, documents and conversations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from homeroom.portal.models import FamilyDocument
from homeroom.roster.models import LineItem, Result, ScoreStatus
from tests.actors import World

PDF = b"%PDF-1.4\n% test letter\n"
SHARED_DOCUMENT_NAME = "family-documents/tests/access-letter.pdf"


def line_item(section: Any, title: str, *, due_in_days: int | None, max_score: str = "10") -> LineItem:
    due = timezone.now() + dt.timedelta(days=due_in_days) if due_in_days is not None else None
    return LineItem.objects.create(
        district=section.district, section=section, title=title, due_date=due, result_value_max=Decimal(max_score)
    )


def result(item: LineItem, student: Any, *, score: str | None = None, status: str = ScoreStatus.FULLY_GRADED,
           comment: str = "") -> Result:
    return Result.objects.create(
        district=item.district, line_item=item, student=student, score_status=status,
        score=Decimal(score) if score is not None else None, comment=comment, score_date=timezone.localdate(),
    )


def sofia_gradebook(w: World) -> dict[str, Any]:
    """In 5A: a scored quiz with a comment, a missing worksheet, a project due soon."""
    quiz = line_item(w.section_5a, "Fractions quiz", due_in_days=-3)
    result(quiz, w.sofia, score="9", comment="Great work on equivalent fractions")
    worksheet = line_item(w.section_5a, "Reading log", due_in_days=-1)
    result(worksheet, w.sofia, status=ScoreStatus.NOT_SUBMITTED)
    project = line_item(w.section_5a, "Volcano project", due_in_days=5)
    return {"quiz": quiz, "worksheet": worksheet, "project": project}


def document_for(w: World, *, guardian: Any, student: Any, title: str = "PPT invitation",
                 stored_name: str | None = None) -> FamilyDocument:
    """A document addressed to a guardian; stored_name reuses one file (for tests that cannot move MEDIA_ROOT)."""
    document = FamilyDocument(district=w.district, title=title, student=student, language="es")
    if stored_name:
        if not default_storage.exists(stored_name):
            default_storage.save(stored_name, ContentFile(PDF))
        document.file.name = stored_name
    else:
        document.file.save("letter.pdf", ContentFile(PDF), save=False)
    document.save()
    document.guardians.add(guardian)
    return document


def conversation_with(w: World, guardian: Any, *, subject: str = "Reunión de padres", body: str = "Hola, ¿puede venir?",
                      attachment: bool = False) -> Any:
    """A school-to-family thread with one unread school entry (and optionally one stored attachment)."""
    from homeroom.messaging.models import Conversation, ConversationEntry

    conversation = Conversation.objects.create(
        district=w.district, school=w.lincoln, guardian=guardian, staff=w.teacher, subject=subject,
        last_entry_at=timezone.now(),
    )
    names = []
    if attachment:
        name = f"conversation-attachments/{conversation.pk}/0000-homework.txt"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(b"homework"))
        names.append(name)
    ConversationEntry.objects.create(
        conversation=conversation, from_guardian=False, author=w.teacher.user, channel="portal", body=body,
        attachments=names,
    )
    return conversation
