"""Shared builders for contact tests: log a contact through the service, as a named staff member."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from homeroom.contacts.services import ContactInput, PreferencesInput, contact_log_create


def log_contact(staff: Any, *, students: list[Any], guardians: list[Any], when: datetime | None = None,
                preferences: PreferencesInput | None = None, completes: Any = (), **fields: Any) -> Any:
    data = ContactInput(
        occurred_at=when or timezone.now(), method=fields.pop("method", "phone"),
        purpose=fields.pop("purpose", "general"), students=students, guardians=guardians, **fields,
    )
    return contact_log_create(staff=staff, created_by=staff.user, data=data, preferences=preferences,
                              completes=completes)


def teacher_contact(world: Any, **fields: Any) -> Any:
    """Ms. Rivera's call to Ana about Sofia."""
    fields.setdefault("notes", "Sofia is struggling with fractions.")
    return log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], **fields)


def case_manager_task(world: Any) -> Any:
    """Mr. Chen's checklist tasks for Mateo exist; return the first open one."""
    from homeroom.contacts.checklist import checklist_sync_for_caseloads
    from homeroom.contacts.models import ChecklistTask

    checklist_sync_for_caseloads(world.district.pk)
    return ChecklistTask.objects.filter(staff=world.case_manager, student=world.mateo).first()


def district_item(world: Any) -> Any:
    from homeroom.contacts.checklist import checklist_template_copy_for_district

    return checklist_template_copy_for_district(district=world.district).items.first()


def aware(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))
