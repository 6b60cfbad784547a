"""Writes for the family portal: profiles, preferences, notes, feedback and documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from homeroom.portal.models import ChildProfile, DocumentKind, FamilyDocument, SectionNote
from homeroom.roster import reachability
from homeroom.roster.models import ConsentVia, District, Guardian, Section, Staff, Student


@dataclass(frozen=True)
class ProfileData:
    strengths: str = ""
    interests: str = ""
    what_helps: str = ""
    worries: str = ""
    health_routines: str = ""
    contact_wishes: str = ""
    shared_with_teachers: bool = True


def child_profile_save(*, student: Student, user: Any, data: ProfileData) -> ChildProfile:
    profile, _ = ChildProfile.objects.update_or_create(
        student=student, defaults={**data.__dict__, "updated_by": user}
    )
    return profile


@dataclass(frozen=True)
class PreferenceChange:
    language: str
    channel_order: list[str]
    update_frequency: str
    best_time: str
    consent: dict[tuple[str, str], str]  # (channel, category) → the new state, only for what the family changed
    email: str
    mobile_phone: str
    home_phone: str
    work_phone: str


@transaction.atomic
def guardian_preferences_update(*, guardian: Guardian, user: Any, change: PreferenceChange) -> Guardian:
    """Save what the family chose. Consent changes only where the family changed an answer, each one a row in
    the consent ledger; a corrected address starts without the old address's bad mark (roster.reachability)."""
    now = timezone.now()
    guardian.language = change.language
    guardian.channel_order = change.channel_order
    guardian.update_frequency = change.update_frequency
    guardian.best_time = change.best_time
    guardian.email = change.email
    guardian.mobile_phone = change.mobile_phone
    guardian.home_phone = change.home_phone
    guardian.work_phone = change.work_phone
    guardian.save()
    for (channel, category), state in sorted(change.consent.items()):
        reachability.consent_record(guardian=guardian, channel=channel, category=category, state=state,
                                    via=ConsentVia.PORTAL, by=user, now=now)
    if user is not None and getattr(user, "language", None) != change.language:
        user.language = change.language
        user.save(update_fields=["language"])
    return guardian


def section_note_post(*, section: Section, author: Staff, week_of: dt.date, body: str,
                      public: bool = False) -> SectionNote:
    return SectionNote.objects.create(section=section, author=author, week_of=week_of, body=body, public=public)


@transaction.atomic
def family_document_create(
    *, district: District, title: str, file: File, language: str, student: Student | None,
    guardians: Iterable[Guardian], created_by: Any = None, kind: str = "letter",
) -> FamilyDocument:
    document = FamilyDocument(
        district=district, title=title, language=language, student=student, created_by=created_by, kind=kind
    )
    document.file.save(file.name or "document.pdf", file, save=False)
    document.save()
    document.guardians.set(list(guardians))
    if kind == DocumentKind.PROGRESS_REPORT and student is not None:
        # A progress report filed for the family is the event the checklist's "Send a progress report" names.
        from homeroom.contacts.checklist import checklist_complete_by_event
        from homeroom.contacts.models import CompletionEvent

        checklist_complete_by_event(student_id=student.pk, event=CompletionEvent.PROGRESS_REPORT_SENT,
                                    user=created_by)
    return document
