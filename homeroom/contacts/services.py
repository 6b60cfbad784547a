"""Writes for the contact log: log and correct contacts, save family preferences, mark bad channels."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from homeroom.contacts.models import ChecklistTask, ContactLog, ContactRevision, Outcome
from homeroom.roster import reachability
from homeroom.roster.models import Channel, ConsentVia, Guardian, Staff, Student

# After this long, an author's change is kept as a correction with the previous values.
EDIT_WINDOW = timedelta(hours=getattr(settings, "HOMEROOM_CONTACT_EDIT_HOURS", 24))
BAD_OUTCOMES = {Outcome.WRONG_NUMBER, Outcome.RETURNED_MAIL}
# Guardian field holding a number/address → the field that marks it bad.
BAD_FIELDS = {"mobile_phone": "mobile_phone_bad_at", "home_phone": "home_phone_bad_at", "email": "email_bad_at"}
TRACKED_FIELDS = (
    "occurred_at", "method", "direction", "purpose", "outcome", "language", "interpreter_used",
    "channel_address", "notes", "follow_up_on",
)


@dataclass
class ContactInput:
    """What a staff member enters about one contact."""

    occurred_at: datetime
    method: str
    purpose: str
    students: list[Student]
    guardians: list[Guardian]
    direction: str = "school"
    outcome: str = Outcome.REACHED
    language: str = ""
    interpreter_used: bool = False
    channel_address: str = ""
    notes: str = ""
    follow_up_on: date | None = None


@dataclass(frozen=True)
class ConsentAnswer:
    """What a family told staff they want to receive: a channel, a category ("" = all kinds) and yes or no."""

    channel: str
    category: str
    state: str


@dataclass
class PreferencesInput:
    """The family's answer to "how, and how often, would you like to hear from us?"."""

    guardian: Guardian
    preferred_channel: str = ""
    update_frequency: str = ""
    best_time: str = ""
    language: str = ""
    consent: ConsentAnswer | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.preferred_channel or self.update_frequency or self.best_time or self.language or
                    self.consent)


def _same_address(stored: str, used: str) -> bool:
    if "@" in stored or "@" in used:
        return stored.strip().lower() == used.strip().lower()
    digits_stored, digits_used = re.sub(r"\D", "", stored), re.sub(r"\D", "", used)
    return bool(digits_used) and digits_stored[-10:] == digits_used[-10:]


def guardian_channels_mark_bad(*, contact: ContactLog) -> list[str]:
    """A wrong number or returned mail marks the number/address used as bad on each guardian holding it."""
    if contact.outcome not in BAD_OUTCOMES:
        return []
    marked: list[str] = []
    now = timezone.now()
    for guardian in contact.guardians.all():
        address = contact.channel_address or _implied_address(guardian, contact.method)
        if not address:
            continue
        for value_field, bad_field in BAD_FIELDS.items():
            value = getattr(guardian, value_field)
            # The mark names this address (roster.reachability): a number corrected later starts clean.
            if value and _same_address(value, address) and reachability.mark_field_bad(guardian, value_field,
                                                                                       now=now):
                marked.append(bad_field)
    return marked


def _implied_address(guardian: Guardian, method: str) -> str:
    """Without a recorded address: email → the email; text → the mobile; a call only if there is one number."""
    if method == "email":
        return guardian.email
    if method == "text":
        return guardian.mobile_phone
    if method in {"phone", "interpreter"}:
        numbers = [n for n in (guardian.mobile_phone, guardian.home_phone) if n]
        return numbers[0] if len(numbers) == 1 else ""
    return ""


def guardian_preferences_record(*, preferences: PreferencesInput, by: Any = None, detail: str = "") -> Guardian:
    """Save what a family told staff; a consent answer is recorded, with the staff member, in the ledger."""
    guardian = preferences.guardian
    fields = ["updated_at"]
    if preferences.preferred_channel in Channel.values:
        order = [c for c in (guardian.channel_order or []) if c != preferences.preferred_channel]
        guardian.channel_order = [preferences.preferred_channel, *order]
        fields.append("channel_order")
    if preferences.update_frequency:
        guardian.update_frequency = preferences.update_frequency
        fields.append("update_frequency")
    if preferences.best_time:
        guardian.best_time = preferences.best_time
        fields.append("best_time")
    if preferences.language:
        guardian.language = preferences.language
        fields.append("language")
    guardian.save(update_fields=fields)
    answer = preferences.consent
    if answer is not None:
        reachability.consent_record(guardian=guardian, channel=answer.channel, category=answer.category,
                                    state=answer.state, via=ConsentVia.STAFF, by=by, detail=detail)
    return guardian


@transaction.atomic
def contact_log_create(
    *, staff: Staff, created_by: Any, data: ContactInput, preferences: PreferencesInput | None = None,
    completes: Iterable[ChecklistTask] = (),
) -> ContactLog:
    """Log a contact. `completes`: the checklist tasks staff explicitly tie to it (nothing else about a
    contact completes a task, except recording the family's preferences)."""
    from homeroom.contacts.checklist import checklist_autocomplete_for_contact, checklist_complete_by_contact

    contact = ContactLog(district_id=staff.district_id, staff=staff, created_by=created_by)
    _apply(contact, data)
    with_preferences = preferences is not None and not preferences.is_empty
    contact.preferences_recorded = with_preferences
    contact.save()
    if preferences is not None and with_preferences:
        guardian_preferences_record(preferences=preferences, by=created_by,
                                    detail=f"contact {contact.pk} ({contact.method})")
    contact.students.set(data.students)
    contact.guardians.set(data.guardians)
    guardian_channels_mark_bad(contact=contact)
    checklist_autocomplete_for_contact(contact=contact)
    if completes:
        checklist_complete_by_contact(contact=contact, tasks=completes)
    return contact


def _apply(contact: ContactLog, data: ContactInput) -> None:
    for name in TRACKED_FIELDS:
        setattr(contact, name, getattr(data, name))


def _snapshot(contact: ContactLog) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in TRACKED_FIELDS:
        value = getattr(contact, name)
        values[name] = value.isoformat() if isinstance(value, date | datetime) else value
    values["students"] = sorted(contact.students.values_list("pk", flat=True))
    values["guardians"] = sorted(contact.guardians.values_list("pk", flat=True))
    return values


def contact_in_edit_window(contact: ContactLog, *, now: datetime | None = None) -> bool:
    return (now or timezone.now()) <= contact.created_at + EDIT_WINDOW


@transaction.atomic
def contact_log_update(*, contact: ContactLog, edited_by: Any, data: ContactInput) -> ContactLog:
    """Change a contact; after the edit window the previous values are kept as a revision."""
    from homeroom.contacts.checklist import checklist_autocomplete_for_contact

    before = _snapshot(contact)
    _apply(contact, data)
    contact.save()
    contact.students.set(data.students)
    contact.guardians.set(data.guardians)
    after = _snapshot(contact)
    changed = [name for name in after if after[name] != before[name]]
    if changed and not contact_in_edit_window(contact):
        ContactRevision.objects.create(
            contact=contact, edited_by=edited_by, previous={k: before[k] for k in changed}, changed_fields=changed
        )
    guardian_channels_mark_bad(contact=contact)
    checklist_autocomplete_for_contact(contact=contact)
    return contact


def contact_follow_up_done(*, contact: ContactLog) -> None:
    if contact.follow_up_done_at is None:
        contact.follow_up_done_at = timezone.now()
        contact.save(update_fields=["follow_up_done_at", "updated_at"])
