from typing import Any

from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "homeroom.contacts"
    label = "contacts"

    def ready(self) -> None:
        from homeroom.roster.signals import roster_imported

        roster_imported.connect(_sync_checklists_after_import, dispatch_uid="contacts-checklist-sync")
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
