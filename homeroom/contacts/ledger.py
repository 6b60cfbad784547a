"""The ledger of contacts: school messages and conversations kept in step in ContactLog beside logged contacts.

Every count, list and export (the monthly log and its spreadsheets, "% started by families", the checklists,
"My week" and its "not contacted in 30 days" list, the timeline) reads ContactLog, so writing messaging's
contacts there once is what makes a contact count once. The rules (also stated on the monthly log page and in
its spreadsheets, see DEFINITIONS):

- A school message counts as one school-initiated contact per family (a household, or a guardian without
  one) when it reached them: a text or email **delivered**, a call **answered**, a portal message **opened**
  (`COUNTED_STATES`). Sent-but-unconfirmed, failed, bounced and skipped deliveries do not count. The method
  is the channel that reached the family first; the purpose follows the message's category. Staff answers in a
  conversation (category "reply") are part of that conversation, not contacts of their own.
- A two-way exchange counts once, as a conversation: when the family answers a school message, that message's
  contact becomes the conversation (still school-initiated), never a second row.
- A conversation the family started (from the portal, by texting the school's number, by email) is one
  family-initiated contact with the staff member it was routed to, by the channel the family wrote by.

Rows are written after messaging's signals (`messaging.signals`) through a background task, keyed by
`source_key` so a retried signal or `homeroom contacts-ledger-sync` writes nothing twice. They are not
editable and never ask anything of staff: nobody logs them by hand.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeroom.contacts.models import ContactLog, Direction, Method, Outcome, Purpose, Source
from homeroom.messaging.reached import REACHED_STATES
from homeroom.roster.models import Guardian, Student

# The delivery states that mean the family got the message, per channel: the message report's "Reached" too.
COUNTED_STATES = REACHED_STATES
CHANNEL_METHOD = {"sms": Method.TEXT, "email": Method.EMAIL, "voice": Method.PHONE, "portal": Method.PORTAL}
CATEGORY_PURPOSE = {
    "urgent": Purpose.URGENT, "attendance": Purpose.ATTENDANCE, "reminder": Purpose.REMINDER,
    "news": Purpose.NEWS, "other": Purpose.GENERAL,
}

DEFINITIONS = [
    _("Every contact is counted once, whatever carried it: contacts staff logged, school messages and "
      "conversations with families."),
    _("A school message counts as one school-initiated contact per family when it reached them: a text or email "
      "confirmed delivered, a call answered, or a portal message opened. Messages that failed, bounced or were "
      "not sent do not count."),
    _("When the family answers a school message, the exchange counts once, as a conversation."),
    _("A conversation the family started (in the family portal, by text message or by email) counts as "
      "family-initiated."),
    _("The method is the channel that carried the contact. Families reached: families with at least one "
      "contact whose outcome is Reached."),
]


def definitions() -> list[str]:
    return [str(text) for text in DEFINITIONS]


def family_key(guardian_id: int, household_id: int | None) -> str:
    return f"h{household_id}" if household_id else f"g{guardian_id}"


def message_key(message_id: int, guardian_id: int, household_id: int | None) -> str:
    return f"m{message_id}-{family_key(guardian_id, household_id)}"


def conversation_key(conversation_id: int) -> str:
    return f"c{conversation_id}"


def _add_links(contact_ids_students: Iterable[tuple[int, int]], contact_ids_guardians: Iterable[tuple[int, int]]
               ) -> None:
    contact_ids_students, contact_ids_guardians = set(contact_ids_students), set(contact_ids_guardians)
    students = ContactLog.students.through
    guardians = ContactLog.guardians.through
    students.objects.bulk_create([students(contactlog_id=c, student_id=s) for c, s in set(contact_ids_students)],
                                 ignore_conflicts=True)
    guardians.objects.bulk_create([guardians(contactlog_id=c, guardian_id=g)
                                   for c, g in set(contact_ids_guardians)], ignore_conflicts=True)
    # A link added to an existing row changes what it counts (families reached): readers that cache by the log's
    # newest change (the monthly log's counts, the reach refresh) must see it.
    touched = {c for c, _s in contact_ids_students} | {c for c, _g in contact_ids_guardians}
    if touched:
        ContactLog.objects.filter(pk__in=touched).update(updated_at=timezone.now())


def _get_or_create(key: str, values: dict[str, Any]) -> tuple[ContactLog, bool]:
    existing = ContactLog.objects.filter(source_key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return ContactLog.objects.create(source_key=key, **values), True
    except IntegrityError:  # another worker wrote it first
        return ContactLog.objects.get(source_key=key), False


def _message_values(message: Any, *, occurred_at: dt.datetime, channel: str, language: str, subject: str,
                    source: str) -> dict[str, Any]:
    return {
        "district_id": message.district_id, "staff_id": message.sender_id, "created_by": None,
        "occurred_at": occurred_at, "method": CHANNEL_METHOD.get(channel, Method.TEXT),
        "direction": Direction.SCHOOL, "purpose": CATEGORY_PURPOSE.get(message.category, Purpose.GENERAL),
        "outcome": Outcome.REACHED, "language": language, "subject": subject[:200], "source": source,
    }


def _subjects(pairs: set[tuple[int, str]]) -> dict[tuple[int, str], str]:
    from homeroom.messaging.models import MessageContent

    if not pairs:
        return {}
    found: dict[tuple[int, str], str] = {}
    for message_id, language, subject in MessageContent.objects.filter(
        message_id__in={m for m, _l in pairs}
    ).values_list("message_id", "language", "subject"):
        found[(message_id, language)] = subject
        found.setdefault((message_id, ""), subject)
    return found


def _students_in_district(ids: set[int], district_id: int) -> set[int]:
    if not ids:
        return set()
    return set(Student.objects.filter(pk__in=ids, district_id=district_id).values_list("pk", flat=True))


def ledger_record_deliveries(delivery_ids: Iterable[int]) -> int:
    """Write (or extend) the contact of each family these deliveries reached; returns how many rows were new."""
    from homeroom.messaging.models import Delivery

    deliveries = list(
        Delivery.objects.filter(pk__in=list(delivery_ids)).exclude(message__category="reply")
        .select_related("message", "guardian").order_by("sent_at", "id")
    )
    reached = [d for d in deliveries if d.state in COUNTED_STATES.get(d.channel, frozenset())]
    groups: dict[str, list[Any]] = defaultdict(list)
    for delivery in reached:
        groups[message_key(delivery.message_id, delivery.guardian_id, delivery.guardian.household_id)].append(
            delivery)
    subjects = _subjects({(d.message_id, d.content_language) for d in reached})
    created = 0
    student_links: list[tuple[int, int]] = []
    guardian_links: list[tuple[int, int]] = []
    for key, rows in groups.items():
        first = rows[0]
        when = first.read_at if first.channel == "portal" and first.read_at else (
            first.sent_at or first.finished_at or first.created_at)
        subject = subjects.get((first.message_id, first.content_language)) or subjects.get(
            (first.message_id, ""), "")
        contact, new = _get_or_create(key, _message_values(
            first.message, occurred_at=when, channel=first.channel, language=first.language, subject=subject,
            source=Source.MESSAGE))
        created += new
        if not new and when < contact.occurred_at:  # an earlier channel reached the family first
            ContactLog.objects.filter(pk=contact.pk).update(
                occurred_at=when, method=CHANNEL_METHOD.get(first.channel, contact.method), updated_at=timezone.now())
        students = _students_in_district({int(s) for d in rows for s in d.student_ids or []},
                                         first.message.district_id)
        student_links += [(contact.pk, s) for s in students]
        guardian_links += [(contact.pk, d.guardian_id) for d in rows]
    _add_links(student_links, guardian_links)
    return created


def ledger_record_conversation(conversation_id: int) -> ContactLog | None:
    """Write the contact a conversation stands for, once the family has written in it.

    About a school message: that message's contact for the family becomes a conversation (one two-way
    exchange, school-initiated). Started by the family: one family-initiated contact with the staff member
    it was routed to (none is written while it has no staff member).
    """
    from homeroom.messaging.models import Conversation, ConversationEntry

    conversation = Conversation.objects.select_related("guardian", "message").filter(pk=conversation_id).first()
    if conversation is None:
        return None
    family_entries = ConversationEntry.objects.filter(conversation=conversation, from_guardian=True)
    first_family = family_entries.order_by("created_at", "id").first()
    if first_family is None:
        return None
    guardian: Guardian = conversation.guardian
    with transaction.atomic():
        message = conversation.message
        if message is not None and not conversation.started_by_family:
            school_entry = ConversationEntry.objects.filter(
                conversation=conversation, from_guardian=False, delivery__isnull=False
            ).select_related("delivery").order_by("created_at", "id").first()
            delivery = school_entry.delivery if school_entry is not None else None
            when = (delivery.sent_at or delivery.created_at) if delivery is not None else message.sent_at or (
                first_family.created_at)
            contact, _new = _get_or_create(
                message_key(message.pk, guardian.pk, guardian.household_id),
                _message_values(message, occurred_at=when,
                                channel=delivery.channel if delivery is not None else first_family.channel,
                                language=delivery.language if delivery is not None else guardian.language,
                                subject=conversation.subject, source=Source.CONVERSATION),
            )
            if contact.source != Source.CONVERSATION:
                ContactLog.objects.filter(pk=contact.pk).update(source=Source.CONVERSATION, updated_at=timezone.now())
                contact.source = Source.CONVERSATION
            students = _students_in_district(
                {int(s) for s in (delivery.student_ids if delivery is not None else [])}, message.district_id)
        else:
            if conversation.staff_id is None:
                return None
            contact, _new = _get_or_create(conversation_key(conversation.pk), {
                "district_id": conversation.district_id, "staff_id": conversation.staff_id, "created_by": None,
                "occurred_at": first_family.created_at,
                "method": CHANNEL_METHOD.get(first_family.channel, Method.PORTAL),
                "direction": Direction.FAMILY, "purpose": Purpose.GENERAL, "outcome": Outcome.REACHED,
                "language": guardian.language, "subject": conversation.subject[:200],
                "source": Source.CONVERSATION,
            })
            students = {conversation.student_id} if conversation.student_id else set()
        _add_links([(contact.pk, s) for s in students], [(contact.pk, guardian.pk)])
    return contact


def ledger_sync(*, since: dt.datetime | None = None, district_id: int | None = None) -> int:
    """Re-derive the ledger's rows from messaging (idempotent): after a restore, or to catch up on a signal
    missed while a worker was down. Returns how many rows were new."""
    from homeroom.messaging.models import Conversation, ConversationEntry, Delivery

    since = since or timezone.now() - dt.timedelta(days=31)
    deliveries = Delivery.objects.filter(created_at__gte=since, state__in=["delivered", "read"])
    if district_id is not None:
        deliveries = deliveries.filter(message__district_id=district_id)
    created = 0
    ids = list(deliveries.values_list("pk", flat=True).order_by("pk"))
    for start in range(0, len(ids), 500):
        created += ledger_record_deliveries(ids[start:start + 500])
    conversations = Conversation.objects.filter(
        pk__in=ConversationEntry.objects.filter(from_guardian=True, created_at__gte=since).values(
            "conversation_id"))
    if district_id is not None:
        conversations = conversations.filter(district_id=district_id)
    before = ContactLog.objects.exclude(source=Source.LOGGED).count()
    for pk in conversations.values_list("pk", flat=True):
        ledger_record_conversation(pk)
    return created + ContactLog.objects.exclude(source=Source.LOGGED).count() - before
