"""The family contact record: one timeline per guardian/household across staff, contacts and (later) messages
and meetings, which other apps supply as TimelineItem lists."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from homeroom.access import scoping
from homeroom.contacts import selectors
from homeroom.contacts.models import ContactLog, Source
from homeroom.messaging import selectors as messaging_selectors
from homeroom.roster.models import Guardian, Staff

logger = logging.getLogger(__name__)

# Messages are read directly from messaging, which sits below contacts. Providers from apps that depend on
# contacts (attendance, meetings) register themselves here instead, so that contacts never imports them:
# function(guardian_ids=[...], since=..., until=...) -> list[TimelineItem].
_registered: list[Callable[..., list[TimelineItem]]] = []


def register_provider(provider: Callable[..., list[TimelineItem]]) -> None:
    if provider not in _registered:
        _registered.append(provider)


@dataclass
class TimelineItem:
    when: datetime
    kind: str  # "contact", "message", "meeting"
    title: str
    detail: str = ""
    staff_name: str = ""
    student_ids: list[int] = field(default_factory=list)
    guardian_ids: list[int] = field(default_factory=list)
    method: str = ""
    outcome: str = ""
    url: str = ""
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (file name, url) of files a family sent


@dataclass(frozen=True)
class TimelineFilters:
    student_id: int | None = None
    staff_id: int | None = None
    method: str = ""
    purpose: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def since(self) -> datetime | None:
        return timezone.make_aware(datetime.combine(self.date_from, time.min)) if self.date_from else None

    @property
    def until(self) -> datetime | None:
        return timezone.make_aware(datetime.combine(self.date_to, time.max)) if self.date_to else None


def household_guardians(user: Any, guardian: Guardian) -> list[Guardian]:
    """The guardian and, within the user's scope, the others of the same household."""
    if guardian.household_id is None:
        return [guardian]
    members = scoping.guardians_for(user).filter(household_id=guardian.household_id)
    return [guardian, *(g for g in members if g.pk != guardian.pk)]


def staff_who_contacted(user: Any, members: list[Guardian]) -> QuerySet[Staff]:
    """The staff the timeline's filter offers: those with a contact with this family that the user may see."""
    return scoping.staff_for(user).filter(pk__in=selectors.contacts_for(user).filter(
        guardians__in=members).values("staff_id"))


def _contact_items(user: Any, guardian_ids: list[int], filters: TimelineFilters, limit: int) -> list[TimelineItem]:
    # Logged contacts only: messages and conversations come from messaging's own timeline entries (no twice).
    contacts = selectors.contacts_for(user).filter(guardians__in=guardian_ids, source=Source.LOGGED).distinct()
    if filters.student_id:
        contacts = contacts.filter(students=filters.student_id)
    if filters.staff_id:
        contacts = contacts.filter(staff_id=filters.staff_id)
    if filters.method:
        contacts = contacts.filter(method=filters.method)
    if filters.purpose:
        contacts = contacts.filter(purpose=filters.purpose)
    if filters.since:
        contacts = contacts.filter(occurred_at__gte=filters.since)
    if filters.until:
        contacts = contacts.filter(occurred_at__lte=filters.until)
    contacts = selectors.with_notes_flag(user, contacts).select_related("staff").prefetch_related(
        selectors.named_students(user), "guardians")
    items = []
    for contact in contacts.order_by("-occurred_at", "-pk")[:limit]:
        items.append(TimelineItem(
            when=contact.occurred_at,
            kind="contact",
            title=contact.get_purpose_display(),
            detail=contact.notes if contact.notes_visible else "",  # type: ignore[attr-defined]
            staff_name=str(contact.staff),
            student_ids=[s.pk for s in contact.students.all()],
            guardian_ids=[g.pk for g in contact.guardians.all()],
            method=contact.get_method_display(),
            outcome=contact.get_outcome_display(),
            url=reverse("contacts:detail", args=[contact.pk]),
        ))
    return items


def _message_items(*, guardian_ids: list[int], since: datetime | None = None,
                   until: datetime | None = None) -> list[TimelineItem]:
    entries = messaging_selectors.timeline_items(guardian_ids=guardian_ids, since=since, until=until)
    return [TimelineItem(**asdict(entry)) for entry in entries]


def family_timeline(user: Any, guardian: Guardian, filters: TimelineFilters | None = None, *,
                    limit: int = 500) -> list[TimelineItem]:
    """Everything that passed between the school and this family, newest first, within the user's scope.

    The caller has already fetched `guardian` through scoping. Provider items are filtered here by the
    same student/method/date filters; staff and purpose filters apply to contacts only. At most `limit` items.
    """
    filters = filters or TimelineFilters()
    guardian_ids = [g.pk for g in household_guardians(user, guardian)]
    items = _contact_items(user, guardian_ids, filters, limit)
    only_contacts = bool(filters.staff_id or filters.purpose)
    provided: list[TimelineItem] = []
    providers = [_message_items, *_registered]
    for provider in providers:
        if only_contacts:
            continue
        provided.extend(provider(guardian_ids=guardian_ids, since=filters.since, until=filters.until))
    mentioned = {sid for item in provided for sid in item.student_ids}
    visible = set(scoping.staff_students_named_for(user).filter(pk__in=mentioned).values_list(
        "pk", flat=True)) if mentioned else set()
    for item in provided:
        # An item only about students the user may not see stays hidden; one also about theirs names only theirs.
        if item.student_ids and not visible.intersection(item.student_ids):
            continue
        item.student_ids = [sid for sid in item.student_ids if sid in visible]
        if filters.student_id and filters.student_id not in item.student_ids:
            continue
        if filters.method and item.method != filters.method:
            continue
        items.append(item)
    items.sort(key=lambda item: item.when, reverse=True)
    # The newest `limit` are exact: any contact left out is older than every contact fetched.
    return items[:limit]


def student_names(user: Any, items: list[TimelineItem]) -> dict[int, str]:
    """Names of the students the items mention, for those the user may see (one query)."""
    ids = {sid for item in items for sid in item.student_ids}
    if not ids:
        return {}
    return {s.pk: str(s) for s in scoping.staff_students_named_for(user).filter(pk__in=ids)}


def contact_history(contact: ContactLog) -> list[Any]:
    return list(contact.revisions.select_related("edited_by"))
