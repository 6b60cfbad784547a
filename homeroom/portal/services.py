"""Writes for the family portal: profiles, preferences, notes, feedback and documents."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from homeroom.portal.models import ChildProfile, FamilyDocument, SectionNote
from homeroom.roster.models import District, Guardian, Section, Staff, Student

CONSENT_SOURCE = "portal"


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
    sms_opt_in: bool
    voice_opt_in: bool
    email: str
    mobile_phone: str
    home_phone: str
    work_phone: str


def _consenting(consent_at: dt.datetime | None, opted_out_at: dt.datetime | None) -> bool:
    return consent_at is not None and (opted_out_at is None or opted_out_at < consent_at)


def guardian_sms_opted_in(guardian: Guardian) -> bool:
    return _consenting(guardian.sms_consent_at, guardian.sms_opted_out_at)


def guardian_voice_opted_in(guardian: Guardian) -> bool:
    return _consenting(guardian.voice_consent_at, guardian.voice_opted_out_at)


@transaction.atomic
def guardian_preferences_update(*, guardian: Guardian, user: Any, change: PreferenceChange) -> Guardian:
    """Save what the family chose; consent is stamped only when it changes, corrections clear bad marks."""
    now = timezone.now()
    guardian.language = change.language
    guardian.channel_order = change.channel_order
    guardian.update_frequency = change.update_frequency
    guardian.best_time = change.best_time
    if change.sms_opt_in and not guardian_sms_opted_in(guardian):
        guardian.sms_consent_at, guardian.sms_consent_source, guardian.sms_opted_out_at = now, CONSENT_SOURCE, None
    elif not change.sms_opt_in and guardian.sms_opted_out_at is None:
        guardian.sms_opted_out_at = now
    if change.voice_opt_in and not guardian_voice_opted_in(guardian):
        guardian.voice_consent_at, guardian.voice_consent_source = now, CONSENT_SOURCE
        guardian.voice_opted_out_at = None
    elif not change.voice_opt_in and guardian.voice_opted_out_at is None:
        guardian.voice_opted_out_at = now
    # A corrected address is a new address: the old bounce or failure no longer applies.
    if change.email != guardian.email:
        guardian.email, guardian.email_bad_at = change.email, None
    if change.mobile_phone != guardian.mobile_phone:
        guardian.mobile_phone, guardian.mobile_phone_bad_at = change.mobile_phone, None
    if change.home_phone != guardian.home_phone:
        guardian.home_phone, guardian.home_phone_bad_at = change.home_phone, None
    guardian.work_phone = change.work_phone
    guardian.save()
    if user is not None and getattr(user, "language", None) != change.language:
        user.language = change.language
        user.save(update_fields=["language"])
    return guardian


def section_note_post(*, section: Section, author: Staff, week_of: dt.date, body: str) -> SectionNote:
    return SectionNote.objects.create(section=section, author=author, week_of=week_of, body=body)


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
    return document


ATTACHMENT_DIR = "conversation-attachments"


def conversation_attachments_store(*, conversation_id: int, files: Iterable[Any]) -> list[str]:
    """Keep a family's attached files under the conversation, named so they are never guessable."""
    stored = []
    for upload in files:
        safe = get_valid_filename(upload.name or "file")[-80:]
        name = f"{ATTACHMENT_DIR}/{conversation_id}/{uuid.uuid4().hex}-{safe}"
        stored.append(default_storage.save(name, upload))
    return stored


def is_stored_attachment(name: str, *, conversation_id: int) -> bool:
    return name.startswith(f"{ATTACHMENT_DIR}/{conversation_id}/") and ".." not in name


def attachment_label(name: str) -> str:
    """'…/3f2a…-report.pdf' → 'report.pdf'."""
    return name.rsplit("/", 1)[-1].split("-", 1)[-1]
