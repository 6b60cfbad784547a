"""Meetings reads, always starting from the user's scope (access.scoping); timeline items for the contact record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from homeroom.access import scoping
from homeroom.contacts import selectors as contact_selectors
from homeroom.contacts.models import ContactLog
from homeroom.contacts.timeline import TimelineItem
from homeroom.core.models import Role
from homeroom.meetings import letters, texts
from homeroom.meetings.models import (
    FamilyRequest,
    Letter,
    LetterKind,
    LetterStatus,
    Ppt,
    PptStatus,
    ReachAttempt,
    SafeguardsNotice,
)
from homeroom.roster.models import Guardian, Staff, Student

# Who schedules PPTs and writes to their record; any staff member who may see the student may read it.
PPT_ROLES = (Role.CASE_MANAGER, Role.PRINCIPAL, Role.DISTRICT_ADMIN, Role.SOCIAL_WORKER)
SAFEGUARDS_VALID_DAYS = 365  # the notice of procedural safeguards is given at least once a year
REACH_ATTEMPTS_NEEDED = 2
REACH_METHODS_NEEDED = 2


def parents_with_rights(student: Student) -> list[Guardian]:
    """The student's active guardians who hold educational rights and may receive information."""
    return list(Guardian.objects.filter(
        is_active=True, student_links__student=student, student_links__is_active=True,
        student_links__has_educational_rights=True, student_links__may_receive_information=True,
    ).order_by("family_name", "given_name").distinct())


def parents_without_their_language(meeting: Ppt, parents: list[Guardian]) -> list[Guardian]:
    """Parents whose language has no invitation letter (or interface) here: they would get the fallback language."""
    letter_codes = letters.letter_languages(meeting.district_id, LetterKind.PPT_INVITATION)
    return [g for g in parents if texts.supported_language(g.language, letter_codes) is None
            or texts.supported_language(g.language, texts.interface_languages()) is None]


def ppts_for(user: Any) -> QuerySet[Ppt]:
    """PPTs of students the user may see as staff."""
    return Ppt.objects.filter(student__in=scoping.staff_students_for(user)).select_related("student", "school")


def may_manage_ppts(user: Any) -> bool:
    return bool(scoping.scope_for(user).roles.intersection(PPT_ROLES))


def family_ppts_for(user: Any) -> QuerySet[Ppt]:
    """A guardian's invitations: PPTs of their own children (with rights) whose invitation has gone out."""
    if not scoping.scope_for(user).is_guardian:
        return Ppt.objects.none()
    return Ppt.objects.filter(
        student__in=scoping.students_for(user), invitation_sent_at__isnull=False,
    ).exclude(status=PptStatus.CANCELLED).select_related("student", "school")


@dataclass(frozen=True)
class ReachRecord:
    attempts: list[ReachAttempt]
    methods: set[str]

    @property
    def complete(self) -> bool:
        """Connecticut's record before a team meets without a parent: two attempts by two different methods."""
        return len(self.attempts) >= REACH_ATTEMPTS_NEEDED and len(self.methods) >= REACH_METHODS_NEEDED


def reach_record(meeting: Ppt) -> ReachRecord:
    attempts = list(meeting.reach_attempts.select_related("contact", "contact__staff"))
    return ReachRecord(attempts=attempts, methods={a.contact.method for a in attempts})


def contacts_to_count(user: Any, meeting: Ppt) -> QuerySet[ContactLog]:
    """Logged contacts about this student (within the user's scope) not yet counted as attempts."""
    return (
        contact_selectors.contacts_for(user).filter(students=meeting.student)
        .exclude(pk__in=meeting.reach_attempts.values("contact_id"))
        .select_related("staff").distinct().order_by("-occurred_at")
    )


@dataclass(frozen=True)
class SafeguardsStatus:
    guardian: Guardian
    last: SafeguardsNotice | None
    current: bool


def safeguards_status(guardians: list[Guardian], today: dt.date | None = None) -> list[SafeguardsStatus]:
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=SAFEGUARDS_VALID_DAYS)
    latest: dict[int, SafeguardsNotice] = {}
    for row in SafeguardsNotice.objects.filter(guardian__in=guardians).order_by("guardian_id", "-given_on"):
        latest.setdefault(row.guardian_id, row)
    return [
        SafeguardsStatus(guardian=g, last=latest.get(g.pk),
                         current=g.pk in latest and latest[g.pk].given_on >= since)
        for g in guardians
    ]


def requests_for(user: Any) -> QuerySet[FamilyRequest]:
    return FamilyRequest.objects.filter(student__in=scoping.staff_students_for(user)).select_related(
        "student", "guardian", "school")


def letters_for_staff(user: Any) -> QuerySet[Letter]:
    return Letter.objects.filter(student__in=scoping.staff_students_for(user)).select_related("document")


def timeline_items(*, guardian_ids: list[int], since: dt.datetime | None = None,
                   until: dt.datetime | None = None) -> list[TimelineItem]:
    """Letters made for these guardians and the requests they sent, for the family timeline.

    The contacts timeline scopes `guardian_ids` and hides items about students the viewer may not see.
    """
    letters = Letter.objects.filter(guardians__in=guardian_ids, status=LetterStatus.READY).distinct()
    requests = FamilyRequest.objects.filter(guardian_id__in=guardian_ids)
    if since:
        letters, requests = letters.filter(created_at__gte=since), requests.filter(received_at__gte=since)
    if until:
        letters, requests = letters.filter(created_at__lte=until), requests.filter(received_at__lte=until)
    items = []
    for letter in letters.select_related("document", "created_by").prefetch_related("guardians"):
        items.append(TimelineItem(
            when=letter.created_at, kind="letter",
            title=letter.document.title if letter.document else letter.get_kind_display(),
            detail=letter.get_kind_display(),
            student_ids=[letter.student_id] if letter.student_id else [],
            guardian_ids=[g.pk for g in letter.guardians.all()], method="letter",
            url=reverse("meetings:letter_download", args=[letter.pk]),
        ))
    for request in requests:
        items.append(TimelineItem(
            when=request.received_at, kind="request", title=request.get_kind_display(), detail=request.reason,
            student_ids=[request.student_id], guardian_ids=[request.guardian_id],
            url=reverse("meetings:requests"),
        ))
    return items


def staff_for_school(user: Any, school_id: int) -> list[Staff]:
    """Staff of the student's school and the district office (within the user's view of staff)."""
    return list(scoping.staff_for(user).filter(
        Q(roles__school_id=school_id) | Q(roles__school__isnull=True), roles__is_active=True,
    ).distinct().order_by("family_name", "given_name"))
