"""The family portal inbox: a delivery is written into the guardian's conversation for the message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from homeroom.messaging.channels.base import Outgoing, Transport
from homeroom.messaging.models import Conversation, ConversationEntry, Message

if TYPE_CHECKING:
    from homeroom.messaging.rendering import Rendered


def conversation_for_message(*, guardian_id: int, message: Message, subject: str) -> Conversation:
    """The guardian's thread about `message`, opened on first use (conversations reads it too)."""
    now = timezone.now()
    existing = Conversation.objects.filter(guardian_id=guardian_id, message=message).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Conversation.objects.create(
                district_id=message.district_id,
                school_id=message.school_id,
                guardian_id=guardian_id,
                staff_id=message.sender_id,
                message=message,
                subject=subject[:200],
                last_entry_at=now,
            )
    except IntegrityError:  # another worker made it first
        return Conversation.objects.get(guardian_id=guardian_id, message=message)


def conversation_post_delivery(*, delivery: Outgoing, rendered: Rendered) -> ConversationEntry:
    """The portal channel's send: the message appears in the guardian's inbox as a thread they can answer.

    A staff answer's entry is written with its delivery (answers), so sending it finds the entry already there.
    """
    existing = ConversationEntry.objects.filter(delivery_id=delivery.pk).first()
    if existing is not None:
        return existing
    message = Message.objects.get(pk=delivery.message_id)
    conversation = conversation_for_message(guardian_id=delivery.guardian_id, message=message,
                                            subject=rendered.subject)
    entry = ConversationEntry.objects.create(
        conversation=conversation,
        from_guardian=False,
        author_id=message.created_by_id,
        channel="portal",
        body=rendered.text,
        delivery_id=delivery.pk,
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_entry_at=entry.created_at)
    return entry


class PortalTransport(Transport):
    channel = "portal"
    delivered_on_send = True

    def send(self, delivery: Outgoing, rendered: Rendered) -> str:
        entry = conversation_post_delivery(delivery=delivery, rendered=rendered)
        return f"entry-{entry.pk}"

    @property
    def recoverable(self) -> bool:
        return True

    def already_sent(self, delivery: Outgoing, rendered: Rendered) -> str | None:
        entry = ConversationEntry.objects.filter(delivery_id=delivery.pk).values_list("pk", flat=True).first()
        return None if entry is None else f"entry-{entry}"
