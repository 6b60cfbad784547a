"""The family portal inbox: a delivery is written into the guardian's conversation for the message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeroom.messaging.channels.base import Transport

if TYPE_CHECKING:
    from homeroom.messaging.models import Delivery
    from homeroom.messaging.rendering import Rendered


class PortalTransport(Transport):
    channel = "portal"
    delivered_on_send = True

    def send(self, delivery: Delivery, rendered: Rendered) -> str:
        from homeroom.messaging.conversations.threads import conversation_post_delivery

        entry = conversation_post_delivery(delivery=delivery, rendered=rendered)
        return f"entry-{entry.pk}"

    @property
    def recoverable(self) -> bool:
        return True

    def already_sent(self, delivery: Delivery, rendered: Rendered) -> str | None:
        from homeroom.messaging.models import ConversationEntry

        entry = ConversationEntry.objects.filter(delivery_id=delivery.pk).values_list("pk", flat=True).first()
        return None if entry is None else f"entry-{entry}"
