"""Background work: sending day-of notices after an import commits, and the daily escalation of missed deadlines."""

from __future__ import annotations

from django_tasks import task

from homeroom.attendance import notices, outreach


@task()
def send_attendance_notices(district_id: int) -> int:
    return notices.notices_send(district_id=district_id)


@task()
def escalate_missed_deadlines() -> int:
    return outreach.escalate_overdue()
