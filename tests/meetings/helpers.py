"""Builders for meetings tests: a properly constituted PPT for Mateo (Mr. Chen's caseload) or Sofia."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from homeroom.meetings.models import MemberRole
from homeroom.meetings.selectors import parents_with_rights
from homeroom.meetings.services import MemberInput, PptInput, ppt_schedule


def school_days_ahead(days: int) -> dt.date:
    """A weekday `days` weekdays from today (no closures in the test world)."""
    day = timezone.localdate()
    while days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def at(day: dt.date, hour: int = 15) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def full_team(world: Any, student: Any) -> list[MemberInput]:
    members = [MemberInput(role=MemberRole.PARENT, name=f"{g.given_name} {g.family_name}", guardian_id=g.pk)
               for g in parents_with_rights(student)]
    return [
        *members,
        MemberInput(role=MemberRole.GENERAL_EDUCATION, name=str(world.teacher), staff_id=world.teacher.pk),
        MemberInput(role=MemberRole.SPECIAL_EDUCATION, name=str(world.case_manager), staff_id=world.case_manager.pk),
        MemberInput(role=MemberRole.DISTRICT_REPRESENTATIVE, name=str(world.principal), staff_id=world.principal.pk),
        MemberInput(role=MemberRole.EVALUATION_INTERPRETER, name="Dr. Maya Patel"),
    ]


def ppt_input(world: Any, student: Any, **overrides: Any) -> PptInput:
    values: dict[str, Any] = {
        "purpose": "annual_review", "starts_at": at(school_days_ahead(10)), "members": full_team(world, student),
        "place": "Lincoln Elementary, room 104",
    }
    values.update(overrides)
    return PptInput(**values)


def schedule(world: Any, student: Any = None, by: Any = None, **overrides: Any) -> Any:
    student = student or world.mateo
    by = by or world.case_manager
    return ppt_schedule(student=student, user=by.user, data=ppt_input(world, student, **overrides))
