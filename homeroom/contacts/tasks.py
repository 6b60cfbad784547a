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
