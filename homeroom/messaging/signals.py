"""What messaging tells the apps above it, so they can keep their own records in step without messaging importing
them (contacts keeps its ledger of contacts with these; see contacts.ledger).

- `deliveries_reached(delivery_ids=[...])`: these deliveries reached the family (a text or email delivered, a
  call answered, a portal message opened). Sent after the state was written; receivers defer their work.
- `conversation_changed(conversation_id=...)`: an entry was added to a conversation (a family's reply or
  first message, a staff answer).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

deliveries_reached = Signal()
conversation_changed = Signal()


def send_deliveries_reached(delivery_ids: Iterable[int]) -> None:
    ids = sorted(set(delivery_ids))
    if ids:
        transaction.on_commit(lambda: deliveries_reached.send(sender=None, delivery_ids=ids))


def send_conversation_changed(conversation_id: int) -> None:
    transaction.on_commit(lambda: conversation_changed.send(sender=None, conversation_id=conversation_id))
