"""Staff answers to families go out through the engine like any message: a one-family Message with its Delivery.

So an answer to a family who wrote by text meets the same opt-outs, bad marks, custody rule, quiet hours and
rate limit as a school-wide message, its errors are recorded, and it reaches the family timeline and reports.
It goes back on the channel the family last wrote by; when that channel may not be used (they texted STOP,
the number is marked bad), the answer waits in their portal inbox instead, and the skipped row says why.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from homeroom.access import scoping
from homeroom.messaging import policy
from homeroom.messaging.engine import tasks
from homeroom.messaging.engine.followups import RunBatch
from homeroom.messaging.models import (
    Category,
    Conversation,
    ConversationEntry,
    Delivery,
    DeliveryState,
    Message,
    MessageContent,
)
from homeroom.roster import reachability
from homeroom.roster.models import Staff, StudentGuardian

S = DeliveryState
ANSWER_CHANNELS = ("sms", "email")  # channels a family can write in by, and be answered on


def _sender(conversation: Conversation, author_user: Any) -> Staff | None:
    staff_id = scoping.scope_for(author_user).staff_id
    if staff_id:
        return Staff.objects.get(pk=staff_id)
    return conversation.staff or (conversation.message.sender if conversation.message else None)


def _may_send_to(guardian_id: int) -> bool:
    """Whether a link lets the school send to this guardian (the custody rule)."""
    return StudentGuardian.objects.filter(scoping.family_access(), guardian_id=guardian_id,
                                          guardian__is_active=True).exists()


def _answer_message(conversation: Conversation, sender: Staff, author_user: Any, body: str,
                    language: str, in_reply_to: str) -> Message:
    now = timezone.now()
    message = Message.objects.create(
        district_id=conversation.district_id,
        school_id=conversation.school_id,
        sender=sender,
        created_by=author_user,
        category=Category.REPLY,
        audience={"kind": "conversation", "conversation": conversation.pk,
                  **({"in_reply_to": in_reply_to} if in_reply_to else {})},
        audience_label=f"conversation {conversation.pk}",
        # No call-back line: the family is already in a conversation with the school.
        callback_name="",
        callback_phone="",
        status=Message.Status.SENDING,
        planned_at=now,
    )
    subject = conversation.subject if conversation.subject.lower().startswith("re:") else f"Re: {conversation.subject}"
    MessageContent.objects.create(message=message, language=language, subject=subject[:200], body=body)
    return message


def _delivery(message: Message, guardian_id: int, channel: str, address: str, language: str, *,
              state: str = S.QUEUED, reason: str = "", not_before: Any = None) -> Delivery:
    return Delivery.objects.create(
        message=message, guardian_id=guardian_id, channel=channel, address=address, language=language,
        content_language=language, state=state, reason=reason,
        idempotency_key=f"m{message.pk}-g{guardian_id}-{channel}", batch=0, not_before=not_before,
    )


@transaction.atomic
def conversation_answer_send(*, conversation: Conversation, author_user: Any, body: str) -> ConversationEntry:
    """Write a staff answer into the conversation and send it through the engine; returns the entry.

    Permission checks belong to the caller (the conversation comes from selectors.conversation_for).
    """
    guardian = conversation.guardian
    language = guardian.language or "en"
    last_inbound = conversation.entries.filter(from_guardian=True).order_by("-created_at", "-id").first()
    wanted = last_inbound.channel if last_inbound is not None and last_inbound.channel in ANSWER_CHANNELS else "portal"
    sender = _sender(conversation, author_user)
    if sender is None or not _may_send_to(guardian.pk):
        # No staff record to send as, or no link that lets the school send to this guardian: the answer stays
        # in the thread for staff, and nothing goes out.
        entry = ConversationEntry.objects.create(conversation=conversation, from_guardian=False, author=author_user,
                                                 channel="portal", body=body)
        return entry
    # Language access (homeroom.languages): sent in the family's language when machine translation is on; the
    # entry holds what the family got, the staff member's own words are kept beside it.
    from homeroom.languages.staff import answer_for_family, record_answer

    body, translated = answer_for_family(body=body, author_user=author_user, family_language=language)
    # An emailed answer names the family's email it answers, so their mail program threads it.
    in_reply_to = last_inbound.source_id if last_inbound is not None and wanted == "email" else ""
    message = _answer_message(conversation, sender, author_user, body, language, in_reply_to)
    rule = policy.CATEGORY_RULES[message.category]
    sending: Delivery | None = None
    for channel in dict.fromkeys([wanted, "portal"]):
        reach = reachability.can_reach(guardian_id=guardian.pk, channel=channel, category=message.category,
                                       rule=rule.consent)
        address, reason = reach.address, reach.reason
        if reason:
            _delivery(message, guardian.pk, channel, address, language, state=S.SKIPPED, reason=reason)
            continue
        due = None
        if rule.quiet_hours and channel in policy.PHONE_CHANNELS:
            district = conversation.district
            due = policy.quiet_until(timezone.now(), time_zone=district.time_zone,
                                     start=district.quiet_hours_start, end=district.quiet_hours_end)
        sending = _delivery(message, guardian.pk, channel, address, language, not_before=due)
        break
    entry = ConversationEntry.objects.create(
        conversation=conversation, from_guardian=False, author=author_user,
        channel=sending.channel if sending else "portal", body=body, delivery=sending,
    )
    record_answer(entry, translated)
    if sending is None:
        Message.objects.filter(pk=message.pk).update(status=Message.Status.SENT, sent_at=timezone.now())
    else:
        tasks.queue([RunBatch(message.pk, 0, sending.not_before)])
    return entry


def conversation_of_delivery(delivery_id: int) -> int | None:
    """The conversation a delivery's entry lives in (an answer, a portal message, the school's message a family
    answered), so a family's next reply to it joins the same thread."""
    return (
        ConversationEntry.objects.filter(delivery_id=delivery_id).values_list("conversation_id", flat=True).first()
    )
