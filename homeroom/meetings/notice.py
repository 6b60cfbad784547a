"""Connecticut's PPT rules as checks: five school days' written notice, and the members a PPT must include."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from homeroom.meetings.models import REQUIRED_ROLES, Ppt
from homeroom.schoolcalendar.days import add_school_days, school_days_between

NOTICE_SCHOOL_DAYS = 5


def meeting_day(meeting: Ppt) -> date:
    return timezone.localdate(meeting.starts_at)


def latest_send_date(meeting: Ppt) -> date:
    """The last day the invitation may go out: five school days before the meeting (weekends, closures skipped)."""
    return add_school_days(meeting.school, meeting_day(meeting), -NOTICE_SCHOOL_DAYS)


def notice_school_days(meeting: Ppt, sent_on: date) -> int:
    """School days of notice an invitation sent on `sent_on` gives (school days after it, up to the meeting day)."""
    return school_days_between(meeting.school, sent_on, meeting_day(meeting))


def earliest_meeting_day(school: object, sent_on: date) -> date:
    """The first day a meeting may be held if its invitation goes out on `sent_on`."""
    return add_school_days(school, sent_on, NOTICE_SCHOOL_DAYS)


@dataclass(frozen=True)
class NoticeCheck:
    days: int
    enough: bool
    agreed_early: bool

    @property
    def allowed(self) -> bool:
        return self.enough or self.agreed_early


def notice_check(meeting: Ppt, sent_on: date) -> NoticeCheck:
    days = notice_school_days(meeting, sent_on)
    return NoticeCheck(days=days, enough=days >= NOTICE_SCHOOL_DAYS,
                       agreed_early=meeting.early_notice_agreed_on is not None)


def missing_roles(roles: set[str]) -> list[str]:
    """The required roles (in the order the law lists them) that no invited member holds."""
    return [role for role in REQUIRED_ROLES if role not in roles]
