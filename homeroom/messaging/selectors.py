"""Messaging reads, each starting from core.scoping: messages, reports, inboxes, and the family timeline."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language, gettext

from homeroom.access import scoping
from homeroom.access.i18n import language_key
from homeroom.core.charts import Chart, bar_chart
from homeroom.core.spreadsheet import safe_cell
from homeroom.messaging.conversations.attachments import attachment_label
from homeroom.messaging.engine.planning import Plan
from homeroom.messaging.models import (
    SENT_BY,
    Category,
    Conversation,
    ConversationEntry,
    ConversationRead,
    Delivery,
    DeliveryState,
    Message,
    MessageContent,
    SkipReason,
)
from homeroom.messaging.reached import reached_condition, waiting_condition
from homeroom.roster import generation
from homeroom.roster.contact_status import language_name
from homeroom.roster.models import Channel

S = DeliveryState


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


# Which column of a report table each delivery state falls in; skipped rows split by reason (below).
_COLUMN_OF_STATE: dict[str, str] = {
    S.PLANNED: "waiting",
    S.QUEUED: "waiting",
    S.SENDING: "waiting",
    S.SENT: "sent",
    S.DELIVERED: "delivered",
    S.READ: "read",
    S.FAILED: "failed",
    S.BOUNCED: "bounced",
    S.SKIPPED: "not_sent",
}
# Calls never say whether anyone listened; every other channel reports opens or reads when it can.
READ_NOT_REPORTED = {Channel.VOICE.value}


@dataclass
class Tally:
    """One row of a report table: the deliveries of one channel or one language, by outcome."""

    key: str
    label: str
    sent: int = 0  # accepted by the provider, no news since
    delivered: int = 0
    read: int = 0  # email opened, portal message opened, text read where the carrier says so
    failed: int = 0
    bounced: int = 0
    opted_out: int = 0
    not_sent: int = 0  # skipped for another reason: no consent, no contact details, bad address, cancelled…
    waiting: int = 0  # planned, queued or being sent
    read_reported: bool = True

    def add(self, *, state: str, reason: str, count: int) -> None:
        if state == S.SKIPPED and reason == SkipReason.OPTED_OUT:
            column = "opted_out"
        else:
            column = _COLUMN_OF_STATE.get(state, "waiting")
        setattr(self, column, getattr(self, column) + count)


@dataclass
class MessageReport:
    """Family members by where the message stands for them; reached + waiting + not reached = guardians."""

    guardians: int = 0
    reached: int = 0  # a channel confirmed it (messaging.reached)
    waiting: int = 0  # not reached yet, and something is still going out to them
    unconfirmed: int = 0  # of the not reached: sent, but no channel has confirmed it (yet)
    by_channel: list[Tally] = field(default_factory=list)
    by_language: list[Tally] = field(default_factory=list)
    not_reached: list[dict[str, Any]] = field(default_factory=list)
    not_reached_more: bool = False  # more not-reached family members past this page

    @property
    def not_reached_count(self) -> int:
        return self.guardians - self.reached - self.waiting

    @property
    def reached_percent(self) -> float:
        return round(100 * self.reached / self.guardians, 1) if self.guardians else 0.0

    @property
    def chart(self) -> Chart:
        """Deliveries confirmed, in % of those that went out, by channel (the table beside it has the counts)."""
        rows: list[tuple[str, float | None]] = []
        for tally in self.by_channel:
            out = tally.sent + tally.delivered + tally.read + tally.failed + tally.bounced
            rows.append((tally.label, round(100 * (tally.delivered + tally.read) / out) if out else 0))
        return bar_chart(gettext("Delivered or read, in % of what went out, by channel"), rows)


def channel_label(channel: str) -> str:
    return str(Channel(channel).label) if channel in Channel.values else channel


def _channel_order(channel: str) -> tuple[int, str]:
    """Channels in the order the roster lists them (email, text, call, portal), unknown ones last."""
    values = list(Channel.values)
    return (values.index(channel) if channel in values else len(values), channel)


REPORT_TTL = 10 * 60  # bounds how long a guardian's name edited outside an import goes unseen in a cached report


def state_counts(message: Message) -> dict[str, int]:
    """A message's deliveries counted by state. COUNT(*), not COUNT(id): the (message, state) index alone answers
    it (an index-only scan, 51 buffers for a district-wide message of 52,000 deliveries, against 2,084 for the
    table). The report's cache key and the live progress bar both read it."""
    return dict(Delivery.objects.filter(message=message).values_list("state").annotate(n=Count("*")).order_by())


def report_key(message: Message, counts: dict[str, int] | None = None) -> str:
    """The cache key of a message's report figures: the message, its deliveries counted by state (one grouped
    query on the (message, state) index), the roster's generation (moved by every import) and the reader's
    language (the figures carry labels in words).

    Every change a report shows moves a delivery's state (sent, delivered, read, failed, bounced, skipped) or adds
    a delivery (a fallback, a retry), so a finished send is counted once and each later view reads the cache;
    while a send is going out the counts move and the figures are counted afresh.
    """
    counts = state_counts(message) if counts is None else counts
    marker = ",".join(f"{state}={n}" for state, n in sorted(counts.items()))
    digest = hashlib.sha256(f"{marker}|{generation.current()}|{get_language()}".encode()).hexdigest()[:32]
    return f"messaging:report:{message.pk}:{digest}"


def _cached(key: str, compute: Any) -> Any:
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, REPORT_TTL)
    return value


def report_figures(message: Message, *, key: str | None = None) -> dict[str, Any]:
    """What a report counts over a message's whole audience (by channel, by language, reached, the families by
    home language, the fallback list), cached per `report_key`: tens of thousands of deliveries for a
    district-wide message, 1.2 s of queries at 100,000 students when counted on every view."""
    from homeroom.languages.reports import by_home_language, fallback_recipients  # families by their own language

    def compute() -> dict[str, Any]:
        return {"report": _count_report(message), "home_languages": by_home_language(message),
                "fallback_recipients": fallback_recipients(message)}

    figures: dict[str, Any] = _cached(f"{key or report_key(message)}:figures", compute)
    return figures


def message_report(message: Message, *, not_reached_limit: int = 500, not_reached_offset: int = 0,
                   key: str | None = None) -> MessageReport:
    """Reached % (messaging.reached: a channel confirmed it), by channel and language.

    Both tables count every delivery row, skipped ones included, so opt-outs show per channel and per language.
    The not-reached list is one page (`not_reached_limit` rows from `not_reached_offset`). Counted once per
    `report_key` (see report_figures).
    """
    key = key or report_key(message)
    counted: MessageReport = report_figures(message, key=key)["report"]
    report = MessageReport(guardians=counted.guardians, reached=counted.reached, waiting=counted.waiting,
                           unconfirmed=counted.unconfirmed, by_channel=counted.by_channel,
                           by_language=counted.by_language)
    report.not_reached, report.not_reached_more = not_reached_page(
        message, limit=not_reached_limit, offset=not_reached_offset, key=key)
    return report


def _count_report(message: Message) -> MessageReport:
    report = MessageReport()
    channels: dict[str, Tally] = {}
    languages: dict[str, Tally] = {}
    for channel, language, state, reason, count in (
        Delivery.objects.filter(message=message)
        .values_list("channel", "content_language", "state", "reason")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if channel not in channels:
            channels[channel] = Tally(channel, channel_label(channel), read_reported=channel not in READ_NOT_REPORTED)
        language = language_key(language)  # 'es' and 'es-MX' are one row (delivery counts add up)
        if language not in languages:
            languages[language] = Tally(language, language_name(language))
        channels[channel].add(state=state, reason=reason, count=count)
        languages[language].add(state=state, reason=reason, count=count)
    report.by_channel = sorted(channels.values(), key=lambda t: _channel_order(t.key))
    report.by_language = sorted(languages.values(), key=lambda t: t.key)
    # Every total in one pass over the family members: reached first, then still going out, then the rest.
    same_person = Delivery.objects.filter(message=message, guardian_id=OuterRef("guardian_id"))
    reached, waiting = Exists(same_person.filter(reached_condition())), Exists(same_person.filter(waiting_condition()))
    totals = Delivery.objects.filter(message=message).aggregate(
        guardians=Count("guardian_id", distinct=True),
        reached=Count("guardian_id", distinct=True, filter=reached_condition()),
        waiting=Count("guardian_id", distinct=True, filter=Q(waiting_condition(), ~reached)),
        unconfirmed=Count("guardian_id", distinct=True,
                          filter=Q(Q(state__in=[S.SENT, S.DELIVERED, S.READ]), ~reached, ~waiting)))
    report.guardians, report.reached = totals["guardians"] or 0, totals["reached"] or 0
    report.waiting, report.unconfirmed = totals["waiting"] or 0, totals["unconfirmed"] or 0
    return report


def _per_guardian(message: Message) -> Any:
    return (
        Delivery.objects.filter(message=message)
        .values("guardian_id")
        .annotate(reached=Count("id", filter=reached_condition()), waiting=Count("id", filter=waiting_condition()))
        .order_by()
    )


def _why_not_reached(channel: str, state: str) -> str:
    if state == S.SENT:
        return gettext("Sent, not confirmed")
    if channel == "portal" and state == S.DELIVERED:
        return gettext("Not opened yet")
    return ""


def not_reached_page(message: Message, *, limit: int, offset: int = 0,
                     key: str | None = None) -> tuple[list[dict[str, Any]], bool]:
    """One page of the family members a message did not reach, with why, and whether more follow; cached per
    `report_key` (finding them groups every delivery of the message).

    A family member with a delivery still queued is not "not reached" yet: the send is still running for them.
    """
    page: tuple[list[dict[str, Any]], bool] = _cached(
        f"{key or report_key(message)}:not-reached:{offset}:{limit}",
        lambda: _not_reached_page(message, limit=limit, offset=offset))
    return page


def _not_reached_page(message: Message, *, limit: int, offset: int) -> tuple[list[dict[str, Any]], bool]:
    missing_ids = list(
        _per_guardian(message).filter(reached=0, waiting=0).order_by("guardian_id")
        .values_list("guardian_id", flat=True)[offset:offset + limit + 1]
    )
    more = len(missing_ids) > limit
    missing_ids = missing_ids[:limit]
    why: dict[int, list[str]] = defaultdict(list)
    names: dict[int, str] = {}
    for d in (
        Delivery.objects.filter(message=message, guardian_id__in=missing_ids)
        .select_related("guardian")
        .order_by("guardian_id", "id")
    ):
        names[d.guardian_id] = str(d.guardian)
        label = d.get_reason_display() if d.reason else _why_not_reached(d.channel, d.state) or d.get_state_display()
        why[d.guardian_id].append(f"{d.get_channel_display()}: {label}" + (f" ({d.error})" if d.error else ""))
    rows = [{"guardian_id": gid, "name": names.get(gid, ""), "reasons": why[gid]} for gid in missing_ids]
    return rows, more


@dataclass
class PlanBreakdown:
    """A planned message before sending, as the preview shows it: (label, count) rows."""

    by_language: list[tuple[str, int]]
    by_channel: list[tuple[str, int]]
    skipped: list[tuple[str, int]]


def plan_breakdown(plan: Plan) -> PlanBreakdown:
    """What the preview shows of a plan: deliveries that will go out by language and by channel, skips by reason."""
    return PlanBreakdown(
        by_language=[(language_name(code), n) for code, n in sorted(plan.by_language.items())],
        by_channel=[(channel_label(c), plan.by_channel[c]) for c in sorted(plan.by_channel, key=_channel_order)],
        skipped=[(str(SkipReason(reason).label), n) for reason, n in sorted(plan.skipped.items())],
    )


def export_header() -> list[str]:
    """The CSV's column names in the reader's language (the first column stays the family member's number)."""
    return [gettext("Family member number"), gettext("Family member"), gettext("Channel"), gettext("Address"),
            gettext("Home language"), gettext("Received in"), gettext("Outcome"), gettext("Why not sent"),
            gettext("Error"), gettext("Sent at"), gettext("Finished at"), gettext("Read at")]
def _when(value: dt.datetime | None) -> str:
    return value.isoformat() if value else ""


def message_export_rows(message: Message) -> Iterator[list[Any]]:
    """The CSV export of a message: export_header(), then one row per delivery (skipped ones included), in words."""
    from homeroom.languages.reports import machine_languages, received_label  # families by their own language

    yield export_header()
    machine = machine_languages(message)
    deliveries = (
        Delivery.objects.filter(message=message)
        .select_related("guardian")
        .order_by("guardian_id", "channel", "id")
    )
    for d in deliveries.iterator(chunk_size=2000):
        yield [
            d.guardian_id, safe_cell(str(d.guardian)), channel_label(d.channel), safe_cell(d.address),
            language_name(language_key(d.language)), received_label(d.content_language, machine),
            d.get_state_display(),
            d.get_reason_display() if d.reason else "",
            safe_cell(d.error), _when(d.sent_at), _when(d.finished_at), _when(d.read_at),
        ]


def _last_read(user: Any) -> Subquery:
    return Subquery(ConversationRead.objects.filter(conversation_id=OuterRef("pk"), user_id=getattr(user, "pk", 0))
                     .values("read_at")[:1])


def _unread_for(user: Any) -> Count:
    """Family entries this staff user has not read (read state is per person: a colleague's reading or
    answering clears their count, not this one)."""
    return Count("entries", filter=Q(entries__from_guardian=True) & (
        Q(last_read__isnull=True) | Q(entries__created_at__gt=F("last_read"))))


def _own_inbox(scope: Any) -> Q:
    """The conversations that are this person's to answer: routed to them, about a message they sent, or (for
    a school's or district's administrators) a family's conversation routed to nobody."""
    condition = Q(staff_id=scope.staff_id) | Q(message__sender_id=scope.staff_id)
    unrouted = Q(staff__isnull=True, message__isnull=True)
    if scope.district_ids:
        condition |= unrouted & Q(district_id__in=scope.district_ids)
    if scope.school_ids:
        condition |= unrouted & Q(school_id__in=scope.school_ids)
    return condition


def staff_inbox_for(user: Any) -> QuerySet[Conversation]:
    """Conversations the staff member may read and answer, with `unread` (family entries they have not read)
    and `mine` (their own to answer, see _own_inbox)."""
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
        .select_related("guardian", "school", "staff")
        .annotate(last_read=_last_read(user))
        .annotate(unread=_unread_for(user))
    )


def staff_own_inbox_for(user: Any) -> QuerySet[Conversation]:
    scope = scoping.scope_for(user)
    if not scope.is_staff_member:
        return Conversation.objects.none()
    return staff_inbox_for(user).filter(_own_inbox(scope))


def staff_unread_count(user: Any) -> int:
    """Unread family entries in this person's own inbox (the count in the navigation): one query."""
    scope = scoping.scope_for(user)
    if not scope.is_staff_member:
        return 0
    read = ConversationRead.objects.filter(conversation_id=OuterRef("conversation_id"), user_id=user.pk,
                                           read_at__gte=OuterRef("created_at"))
    return ConversationEntry.objects.filter(
        from_guardian=True, conversation__in=Conversation.objects.filter(_own_inbox(scope)).values("pk"),
    ).exclude(Exists(read)).count()


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


@dataclass
class InboxItem:
    """One line of the family's inbox: a conversation, or a message that reached them on another channel."""

    subject: str
    when: dt.datetime
    school_name: str
    url: str
    unread: int = 0
    sent_by: list[str] = field(default_factory=list)


PORTAL_COPY_STATES = [S.SENT, S.DELIVERED, S.READ, S.FAILED, S.BOUNCED]  # what was sent, whether or not it arrived


def portal_inbox_items(user: Any, *, limit: int = 100) -> list[InboxItem]:
    """Every message the school sent the family, whatever channel carried it, newest first.

    Texts, emails and calls appear beside the portal's own threads, marked with how they were sent; opening
    one makes it a thread (messaging.conversations.conversation_for_delivery). Nothing here is a delivery.
    """
    scope = scoping.scope_for(user)
    if not scope.is_guardian:
        return []
    guardian_id = scope.guardian_id or 0
    conversations = list(portal_inbox_for(user).order_by("-last_entry_at", "-id")[:limit])
    channels: dict[int, set[str]] = defaultdict(set)
    for conversation_id, channel in ConversationEntry.objects.filter(
        conversation__in=conversations, from_guardian=False
    ).exclude(channel="portal").values_list("conversation_id", "channel").distinct():
        channels[conversation_id].add(channel)
    items = [
        InboxItem(subject=c.subject, when=c.last_entry_at, school_name=c.school.name if c.school else "",
                  url=reverse("portal:conversation", args=[c.pk]), unread=getattr(c, "unread", 0),
                  sent_by=[str(SENT_BY[ch]) for ch in sorted(channels[c.pk]) if ch in SENT_BY])
        for c in conversations
    ]
    threaded = Conversation.objects.filter(guardian_id=guardian_id, message__isnull=False).values("message_id")
    copies: dict[int, dict[str, Any]] = {}
    for message_id, channel, language, sent_at, created_at in (
        Delivery.objects.filter(guardian_id=guardian_id, state__in=PORTAL_COPY_STATES)
        .exclude(channel="portal")
        .exclude(message__category=Category.REPLY)
        .exclude(message_id__in=threaded)
        .order_by("-id")
        .values_list("message_id", "channel", "content_language", "sent_at", "created_at")[: limit * 4]
    ):
        copy = copies.setdefault(message_id, {"language": language, "when": sent_at or created_at, "channels": set()})
        copy["channels"].add(channel)
    if copies:
        subjects = {
            (m, lang): subject for m, lang, subject in MessageContent.objects.filter(
                message_id__in=copies).values_list("message_id", "language", "subject")
        }
        schools = dict(Message.objects.filter(pk__in=copies).values_list("pk", "school__name"))
        for message_id, copy in copies.items():
            items.append(InboxItem(
                subject=subjects.get((message_id, copy["language"]), ""), when=copy["when"],
                school_name=schools.get(message_id) or "", url=reverse("portal:message", args=[message_id]),
                sent_by=[str(SENT_BY[ch]) for ch in sorted(copy["channels"]) if ch in SENT_BY],
            ))
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit]


def portal_copy_for(user: Any, message_id: int) -> Delivery:
    """The guardian's own delivery of a message sent on another channel (the portal copy opens from it), or 404."""
    scope = scoping.require_guardian(user)
    delivery = (
        Delivery.objects.filter(guardian_id=scope.guardian_id or 0, message_id=message_id,
                                state__in=PORTAL_COPY_STATES)
        .exclude(channel="portal").exclude(message__category=Category.REPLY).order_by("id").first()
    )
    if delivery is None:
        raise Http404
    return delivery


def conversation_for(user: Any, pk: int) -> Conversation:
    """One conversation the user may read (guardian: their own; staff: their inbox), or 404."""
    scope = scoping.scope_for(user)
    queryset = staff_inbox_for(user) if scope.is_staff_member else portal_inbox_for(user)
    if scope.is_staff_member and scope.is_guardian:
        queryset = staff_inbox_for(user) | portal_inbox_for(user)
    conversation: Conversation = scoping.get_in_scope(queryset, pk=pk)
    return conversation


def conversation_entries(conversation: Conversation) -> QuerySet[ConversationEntry]:
    return conversation.entries.select_related(
        "author__staff", "delivery", "conversation__message__sender", "conversation__staff",
        "answer_translation",  # homeroom.languages: a staff answer's own words, when it was machine-translated
    ).order_by("created_at", "id")


@dataclass
class TimelineEntry:
    """One delivery attempt or family reply, in the fields of contacts' TimelineItem (contacts reads these)."""

    when: dt.datetime
    kind: str
    title: str
    detail: str = ""
    staff_name: str = ""
    student_ids: list[int] = field(default_factory=list)
    guardian_ids: list[int] = field(default_factory=list)
    method: str = ""
    outcome: str = ""
    url: str = ""
    attachments: list[tuple[str, str]] = field(default_factory=list)


def timeline_items(*, guardian_ids: list[int], since: dt.datetime | None = None,
                   until: dt.datetime | None = None) -> list[TimelineEntry]:
    """Every delivery attempt and family reply for these guardians, as contact-timeline items.

    Callers scope `guardian_ids` (contacts' timeline starts from core.scoping); the rows carry no more than
    the contact log shows: what was sent, how, and with what outcome.
    """
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
    for message_id, language, subject in MessageContent.objects.filter(message_id__in=message_ids).values_list(
        "message_id", "language", "subject"
    ):
        subjects[(message_id, language)] = subject
    items = []
    for d in deliveries:
        items.append(
            TimelineEntry(
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
            TimelineEntry(
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
                attachments=[
                    (attachment_label(name),
                     reverse("messaging:conversation_attachment", args=[entry.conversation_id, entry.pk, index]))
                    for index, name in enumerate(entry.attachments or [])
                ],
            )
        )
    items.sort(key=lambda item: item.when, reverse=True)
    return items
