"""Conversations a family starts: from the portal with their child's teachers or case manager, by texting the
school's number, or by email; and who such a conversation goes to.

Only staff tied to the child (a teacher of one of its active classes, its case manager) can be written to, and
only about a child the guardian has rights for (`scoping.family_access`): a guardian without educational rights
for a child is offered nobody for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeroom.access import scoping
from homeroom.core.words import person_title
from homeroom.messaging import signals
from homeroom.messaging.models import Conversation, ConversationEntry
from homeroom.roster.models import Caseload, Enrollment, Guardian, Staff, Student, StudentGuardian


@dataclass(frozen=True)
class Recipient:
    """A staff member a family may write to about one child."""

    staff: Staff
    student: Student
    role: str  # "case_manager" or "teacher"
    detail: str = ""  # the class, for a teacher

    @property
    def key(self) -> str:
        return f"{self.student.pk}-{self.staff.pk}"

    @property
    def label(self) -> str:
        # The title agrees with the staff member where the roster knows their sex ("maestra", "maestro", else
        # "docente"); mid-phrase, so its first letter is lower-cased as the sentence's own words are.
        title = person_title(self.role, self.staff)
        role = title[:1].lower() + title[1:]
        extra = f", {self.detail}" if self.detail else ""
        return f"{self.staff} ({role}{extra}) — {self.student.preferred_name or self.student.given_name}"


def children_of(guardian: Guardian) -> list[Student]:
    """The guardian's children they may hear about and write about (the custody rule)."""
    return list(Student.objects.filter(
        pk__in=StudentGuardian.objects.filter(scoping.family_access(), guardian=guardian).values("student_id"),
        is_active=True,
    ).select_related("school").order_by("given_name", "pk"))


def recipients_for(guardian: Guardian) -> list[Recipient]:
    """Case managers first, then teachers, for each child in order; each staff member once per child."""
    children = children_of(guardian)
    found: list[Recipient] = []
    seen: set[tuple[int, int]] = set()
    by_id = {child.pk: child for child in children}
    for caseload in Caseload.objects.filter(
        student__in=children, is_active=True, staff__is_active=True
    ).select_related("staff").order_by("student_id", "staff__family_name"):
        if (caseload.student_id, caseload.staff_id) not in seen:
            seen.add((caseload.student_id, caseload.staff_id))
            found.append(Recipient(caseload.staff, by_id[caseload.student_id], "case_manager"))
    student_sections = Enrollment.objects.filter(student__in=children, is_active=True).values("section_id")
    teaching = Enrollment.objects.filter(
        section_id__in=student_sections, staff__isnull=False, staff__is_active=True, is_active=True,
        role="teacher",
    ).select_related("staff", "section").order_by("-primary", "section__title", "staff__family_name")
    sections_of: dict[int, set[int]] = {}
    for student_id, section_id in Enrollment.objects.filter(
        student__in=children, is_active=True
    ).values_list("student_id", "section_id"):
        sections_of.setdefault(section_id, set()).add(student_id)
    for child in children:
        for enrollment in teaching:
            staff = enrollment.staff
            if staff is None or child.pk not in sections_of.get(enrollment.section_id, set()):
                continue
            if (child.pk, staff.pk) not in seen:
                seen.add((child.pk, staff.pk))
                found.append(Recipient(staff, child, "teacher", enrollment.section.title))
    return found


def route_for(guardian: Guardian) -> Recipient | None:
    """Who a family's text or email to the school goes to when it answers nothing: the first child's case
    manager, else its first teacher. None: no one is tied to a child (the school's administrators see it)."""
    options = recipients_for(guardian)
    return options[0] if options else None


@transaction.atomic
def conversation_start(
    *, guardian: Guardian, body: str, channel: str, recipient: Recipient | None, subject: str = "",
    author_user: Any = None, attachments: Sequence[Any] = (), source_id: str = "",
) -> ConversationEntry:
    """A conversation the family starts, with its first entry. The caller checked `recipient` came from
    recipients_for(guardian) (the portal form offers nothing else)."""
    body = body.strip()
    if not body:
        raise ValueError("empty message")
    now = timezone.now()
    student = recipient.student if recipient is not None else None
    conversation = Conversation.objects.create(
        district_id=guardian.district_id, school_id=student.school_id if student is not None else None,
        guardian=guardian, staff=recipient.staff if recipient is not None else None, student=student,
        started_by_family=True, subject=(subject.strip() or body.splitlines()[0])[:200], last_entry_at=now,
    )
    entry = ConversationEntry.objects.create(
        conversation=conversation, from_guardian=True, author=author_user, channel=channel, body=body,
        attachments=[str(a) for a in attachments], source_id=source_id,
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_entry_at=entry.created_at)
    signals.send_conversation_changed(conversation.pk)
    return entry
