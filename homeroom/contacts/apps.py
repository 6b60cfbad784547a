from typing import Any

from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "homeroom.contacts"
    label = "contacts"

    def ready(self) -> None:
        from homeroom.roster.signals import roster_imported

        roster_imported.connect(_sync_checklists_after_import, dispatch_uid="contacts-checklist-sync")
        from homeroom.messaging.signals import conversation_changed, deliveries_reached

        deliveries_reached.connect(_ledger_deliveries, dispatch_uid="contacts-ledger-deliveries")
        conversation_changed.connect(_ledger_conversation, dispatch_uid="contacts-ledger-conversation")
        _register_words()


def _register_words() -> None:
    from homeroom.contacts.models import Direction, Method, Outcome, Purpose
    from homeroom.core import words

    words.register("method", lambda: Method.choices)
    words.register("outcome", lambda: Outcome.choices)
    words.register("purpose", lambda: Purpose.choices)
    words.register("direction", lambda: Direction.choices)


def _sync_checklists_after_import(sender: Any, *, district_id: int, **kwargs: Any) -> None:
    """Students who joined a caseload in this import get their checklist tasks."""
    from homeroom.contacts.tasks import sync_checklists

    sync_checklists.enqueue(district_id)


def _ledger_deliveries(sender: Any, *, delivery_ids: list[int], **kwargs: Any) -> None:
    """Deliveries that reached a family are contacts (contacts.ledger)."""
    from homeroom.contacts.tasks import ledger_record_deliveries_task

    ledger_record_deliveries_task.enqueue(list(delivery_ids))


def _ledger_conversation(sender: Any, *, conversation_id: int, **kwargs: Any) -> None:
    from homeroom.contacts.tasks import ledger_record_conversation_task

    ledger_record_conversation_task.enqueue(conversation_id)
