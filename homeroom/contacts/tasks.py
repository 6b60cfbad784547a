"""Background work for contacts: the daily checklist sync."""

from __future__ import annotations

from django_tasks import task

from homeroom.contacts.checklist import checklist_sync_for_caseloads
from homeroom.roster.models import District


@task()
def sync_checklists(district_id: int | None = None) -> int:
    """Create due checklist tasks for one district (after an import) or all of them (daily)."""
    ids = [district_id] if district_id is not None else list(District.objects.values_list("pk", flat=True))
    return sum(checklist_sync_for_caseloads(pk) for pk in ids)


@task()
def ledger_record_deliveries_task(delivery_ids: list[int]) -> int:
    """The contacts these deliveries stand for (contacts.ledger), written off the sender's hot path."""
    from homeroom.contacts.ledger import ledger_record_deliveries

    return ledger_record_deliveries(delivery_ids)


@task()
def ledger_record_conversation_task(conversation_id: int) -> None:
    from homeroom.contacts.ledger import ledger_record_conversation

    ledger_record_conversation(conversation_id)
