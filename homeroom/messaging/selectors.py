"""Messaging reads, each starting from core.scoping: messages, reports, inboxes, and the family timeline."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from homeroom.core import scoping
from homeroom.messaging.models import Conversation, ConversationEntry, Delivery, DeliveryState, Message

S = DeliveryState
REACHED = {S.SENT, S.DELIVERED, S.READ}


def messages_for(user: Any) -> QuerySet[Message]:
    """District admins see the district's messages; principals their school's; everyone their own."""
    scope = scoping.scope_for(user)
    if not scope.is_staff_member:
        return Message.objects.none()
    condition = Q(sender_id=scope.staff_id)
    if scope.district_ids:
        condition |= Q(district_id__in=scope.district_ids)
    if scope.school_ids:
        condition |= Q(school_id__in=scope.school_ids)
    return Message.objects.filter(condition).select_related("sender")


@dataclass
class MessageReport:
    guardians: int = 0
    reached: int = 0
    by_channel: dict[str, Counter[str]] = field(default_factory=dict)
    by_language: dict[str, Counter[str]] = field(default_factory=dict)
    not_reached: list[dict[str, Any]] = field(default_factory=list)

    @property
    def reached_percent(self) -> float:
        return round(100 * self.reached / self.guardians, 1) if self.guardians else 0.0


def message_report(message: Message, *, not_reached_limit: int = 500) -> MessageReport:
    """Reached % (a guardian is reached when any delivery was sent, delivered or read), by channel and language."""
    report = MessageReport()
    for channel, state, reason, count in (
        Delivery.objects.filter(message=message).values_list("channel", "state", "reason").annotate(n=Count("id"))
    ):
        key = "opted_out" if reason == "opted_out" else state
        report.by_channel.setdefault(channel, Counter())[key] += count
    for language, state, count in (
        Delivery.objects.filter(message=message)
        .exclude(state=S.SKIPPED)
        .values_list("content_language", "state")
        .annotate(n=Count("id"))
    ):
        report.by_language.setdefault(language, Counter())[state] += count
    per_guardian = (
        Delivery.objects.filter(message=message)
        .values("guardian_id")
        .annotate(reached=Count("id", filter=Q(state__in=REACHED)))
    )
    report.guardians = per_guardian.count()
    report.reached = per_guardian.filter(reached__gt=0).count()
    missing_ids = list(per_guardian.filter(reached=0).values_list("guardian_id", flat=True)[:not_reached_limit])
    why: dict[int, list[str]] = defaultdict(list)
    names: dict[int, str] = {}
    for d in Delivery.objects.filter(message=message, guardian_id__in=missing_ids).select_related("guardian"):
        names[d.guardian_id] = str(d.guardian)
        label = d.get_reason_display() if d.reason else d.get_state_display()
        why[d.guardian_id].append(f"{d.get_channel_display()}: {label}" + (f" ({d.error})" if d.error else ""))
    report.not_reached = [
        {"guardian_id": gid, "name": names.get(gid, ""), "reasons": why[gid]} for gid in missing_ids
    ]
    return report


def message_deliveries_for_export(message: Message) -> QuerySet[Delivery]:
    return Delivery.objects.filter(message=message).select_related("guardian").order_by("guardian_id", "channel")


def _unread_from_guardian() -> Count:
    return Count("entries", filter=Q(entries__from_guardian=True, entries__read_at=None))


def staff_inbox_for(user: Any) -> QuerySet[Conversation]:
    """Conversations the staff member answers for, with `unread` (family entries not yet read)."""
    scope = scoping.scope_for(user)
    if not scope.is_staff_member:
        return Conversation.objects.none()
    condition = Q(staff_id=scope.staff_id) | Q(message__sender_id=scope.staff_id)
    if scope.district_ids:
        condition |= Q(district_id__in=scope.district_ids)
    if scope.school_ids:
        condition |= Q(school_id__in=scope.school_ids)
    return (
        Conversation.objects.filter(condition)
        .select_related("guardian", "school")
        .annotate(unread=_unread_from_guardian())
    )


def staff_unread_count(user: Any) -> int:
    return sum(getattr(c, "unread", 0) for c in staff_inbox_for(user))


def portal_inbox_for(user: Any) -> QuerySet[Conversation]:
    """A guardian's own conversations (the school's portal messages and their replies), with `unread`."""
    scope = scoping.scope_for(user)
    if not scope.is_guardian:
        return Conversation.objects.none()
    return (
        Conversation.objects.filter(guardian_id=scope.guardian_id or 0)
        .select_related("school")
        .annotate(unread=Count("entries", filter=Q(entries__from_guardian=False, entries__read_at=None)))
    )


def conversation_for(user: Any, pk: int) -> Conversation:
    """One conversation the user may read (guardian: their own; staff: their inbox), or 404."""
    scope = scoping.scope_for(user)
    queryset = staff_inbox_for(user) if scope.is_staff_member else portal_inbox_for(user)
    if scope.is_staff_member and scope.is_guardian:
        queryset = staff_inbox_for(user) | portal_inbox_for(user)
    conversation: Conversation = scoping.get_in_scope(queryset, pk=pk)
    return conversation


def conversation_entries(conversation: Conversation) -> QuerySet[ConversationEntry]:
    return conversation.entries.select_related("author").order_by("created_at", "id")


def timeline_items(*, guardian_ids: list[int], since: dt.datetime | None = None,
                   until: dt.datetime | None = None) -> list[Any]:
    """Every delivery attempt and family reply for these guardians, as contact-timeline items.

    Callers scope `guardian_ids` (contacts' timeline starts from core.scoping); the rows carry no more than
    the contact log shows: what was sent, how, and with what outcome.
    """
    from homeroom.contacts.timeline import TimelineItem

    deliveries = (
        Delivery.objects.filter(guardian_id__in=guardian_ids)
        .exclude(state__in=[S.PLANNED, S.QUEUED, S.SKIPPED])
        .select_related("message", "message__sender")
    )
    replies = ConversationEntry.objects.filter(conversation__guardian_id__in=guardian_ids, from_guardian=True)
    if since:
        deliveries = deliveries.filter(sent_at__gte=since)
        replies = replies.filter(created_at__gte=since)
    if until:
        deliveries = deliveries.filter(sent_at__lt=until)
        replies = replies.filter(created_at__lt=until)
    subjects = {}
    message_ids = {d.message_id for d in deliveries}
    from homeroom.messaging.models import MessageContent

    for message_id, language, subject in MessageContent.objects.filter(message_id__in=message_ids).values_list(
        "message_id", "language", "subject"
    ):
        subjects[(message_id, language)] = subject
    items = []
    for d in deliveries:
        items.append(
            TimelineItem(
                when=d.sent_at or d.created_at,
                kind="message",
                title=subjects.get((d.message_id, d.content_language), ""),
                detail=d.error,
                staff_name=str(d.message.sender),
                student_ids=list(d.student_ids),
                guardian_ids=[d.guardian_id],
                method=d.channel,
                outcome=d.state,
                url=reverse("messaging:report", args=[d.message_id]),
            )
        )
    for entry in replies.select_related("conversation"):
        items.append(
            TimelineItem(
                when=entry.created_at,
                kind="reply",
                title=entry.conversation.subject,
                detail=entry.body[:200],
                staff_name="",
                student_ids=[],
                guardian_ids=[entry.conversation.guardian_id],
                method=entry.channel,
                outcome="received",
                url=reverse("messaging:conversation", args=[entry.conversation_id]),
            )
        )
    items.sort(key=lambda item: item.when, reverse=True)
    return items
