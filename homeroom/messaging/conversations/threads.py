"""Two-way messaging writes: the school's message in the portal inbox, family replies (portal, SMS, email), answers."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from homeroom.messaging import family_start, signals
from homeroom.messaging.channels.portal import conversation_for_message
from homeroom.messaging.conversations.answers import conversation_answer_send
from homeroom.messaging.models import Conversation, ConversationEntry, ConversationRead, Delivery, Message
from homeroom.messaging.rendering import RenderCache

if TYPE_CHECKING:
    from homeroom.roster.models import Guardian

logger = logging.getLogger(__name__)
# A family's text answers the school message sent to them this recently, or continues a conversation this
# recent; anything older starts a new conversation (family_start), routed to their child's staff.
OPEN_THREAD = dt.timedelta(days=30)


def conversation_for_delivery(delivery: Delivery) -> Conversation:
    """The thread about what a family was sent, opened with the school's message itself (as it was sent, marked
    with the channel that carried it), so a reply or a portal reader sees both sides from the start.

    This copy in the portal is not a delivery: reports and counts see the one notification that was sent.
    """
    existing = ConversationEntry.objects.filter(delivery=delivery).select_related("conversation").first()
    if existing is not None:
        return existing.conversation
    message = Message.objects.get(pk=delivery.message_id)
    rendered = RenderCache(message).get(delivery.content_language, "email", delivery.language)
    with transaction.atomic():
        conversation = conversation_for_message(guardian_id=delivery.guardian_id, message=message,
                                                 subject=rendered.subject)
        if not conversation.entries.filter(from_guardian=False, delivery__message_id=message.pk).exists():
            entry = ConversationEntry.objects.create(
                conversation=conversation, from_guardian=False, author_id=message.created_by_id,
                channel=delivery.channel, body=rendered.text, delivery=delivery,
            )
            when = delivery.sent_at or delivery.created_at
            ConversationEntry.objects.filter(pk=entry.pk).update(created_at=when, read_at=when)
    return conversation


@transaction.atomic
def conversation_reply(
    *, conversation: Conversation, author_user: Any, body: str, attachments: Sequence[Any] = ()
) -> ConversationEntry:
    """Add a reply; the author is the family when they are the conversation's guardian, else staff.

    Permission checks belong to the caller (fetch the conversation with selectors.conversation_for).
    A staff answer goes out through the engine (answers), on the channel the family wrote by.
    """
    from_guardian = getattr(getattr(author_user, "guardian", None), "pk", None) == conversation.guardian_id
    body = body.strip()
    if not body:
        raise ValueError("empty reply")
    if from_guardian:
        entry = ConversationEntry.objects.create(
            conversation=conversation,
            from_guardian=True,
            author=author_user,
            channel="portal",
            body=body,
            attachments=[str(a) for a in attachments],
        )
    else:
        entry = conversation_answer_send(conversation=conversation, author_user=author_user, body=body)
        # What the family wrote counts as read once staff answer it.
        conversation.entries.filter(from_guardian=True, read_at=None).update(read_at=entry.created_at)
        conversation_read_by(conversation=conversation, user=author_user, at=entry.created_at)
    Conversation.objects.filter(pk=conversation.pk).update(last_entry_at=entry.created_at)
    signals.send_conversation_changed(conversation.pk)
    return entry


def conversation_record_inbound(
    *, guardian: Guardian, channel: str, body: str, delivery: Delivery | None = None, source_id: str = ""
) -> ConversationEntry:
    """A family's text or email reply, threaded into the conversation about the message it answers.

    An email reply names its delivery (by its Reply-To token); a text answers the last message the family
    was sent. `source_id` (the email's Message-ID) makes a webhook the provider retries add the reply once.
    """
    last = delivery
    if last is None:
        last = (
            Delivery.objects.filter(guardian=guardian, state__in=["sent", "delivered", "read"],
                                    sent_at__gte=timezone.now() - OPEN_THREAD)
            .exclude(message__category="reply")
            .order_by("-sent_at", "-id")
            .first()
        )
    with transaction.atomic():
        if last is not None:
            conversation = conversation_for_delivery(last)
        else:
            open_thread = Conversation.objects.filter(
                guardian=guardian, last_entry_at__gte=timezone.now() - OPEN_THREAD).order_by("-last_entry_at").first()
            if open_thread is None:
                # Nothing recent to answer: the family starts a conversation, routed to their child's staff.
                return family_start.conversation_start(
                    guardian=guardian, body=body, channel=channel, recipient=family_start.route_for(guardian),
                    author_user=guardian.user, source_id=source_id)
            conversation = open_thread
        if source_id:
            repeated = conversation.entries.filter(source_id=source_id, from_guardian=True).first()
            if repeated is not None:
                return repeated
        entry = ConversationEntry.objects.create(
            conversation=conversation, from_guardian=True, author=guardian.user, channel=channel, body=body,
            delivery=delivery, source_id=source_id,
        )
        Conversation.objects.filter(pk=conversation.pk).update(last_entry_at=entry.created_at)
        signals.send_conversation_changed(conversation.pk)
    return entry


def conversation_mark_read(*, conversation: Conversation, by_guardian: bool) -> int:
    """The reader has seen the other side's entries; portal deliveries in it become `read` (a text or email
    read again in the portal copy stays as its own channel reported it)."""
    now = timezone.now()
    unread = conversation.entries.filter(from_guardian=not by_guardian, read_at=None)
    if by_guardian:
        delivery_ids = list(unread.exclude(delivery=None).values_list("delivery_id", flat=True))
        opened = list(Delivery.objects.filter(
            pk__in=delivery_ids, channel="portal", state__in=["sent", "delivered"]).values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=opened, state__in=["sent", "delivered"]).update(state="read", read_at=now)
        signals.send_deliveries_reached(opened)
    return unread.update(read_at=now)


def conversation_read_by(*, conversation: Conversation, user: Any, at: Any = None) -> None:
    """One staff user has read the conversation up to now: their own inbox's unread count drops, nobody else's."""
    if user is None or not getattr(user, "pk", None):
        return
    ConversationRead.objects.update_or_create(conversation=conversation, user=user,
                                              defaults={"read_at": at or timezone.now()})
