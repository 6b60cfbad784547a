"""The notice rule: the invitation goes out at least five school days before the PPT (weekends, closures skipped)."""

from __future__ import annotations

import datetime as dt

import pytest

from homeroom.meetings import notice
from homeroom.meetings.models import Ppt
from homeroom.meetings.services import MeetingError, ppt_early_notice_record, ppt_invitation_send
from homeroom.schoolcalendar.services import closure_create
from tests.meetings.helpers import at, ppt_input, schedule, school_days_ahead

MONDAY = dt.date(2026, 3, 9)
NEXT_MONDAY = dt.date(2026, 3, 16)


def _meeting(world, day):
    return Ppt(school=world.lincoln, district=world.district, starts_at=at(day))


def test_a_week_from_monday_is_exactly_five_school_days(world):
    meeting = _meeting(world, NEXT_MONDAY)
    assert notice.notice_school_days(meeting, MONDAY) == 5
    assert notice.latest_send_date(meeting) == MONDAY


def test_the_weekend_does_not_count(world):
    # Sent on Tuesday for the next Monday: Wed, Thu, Fri, Mon = 4 school days; Saturday and Sunday add nothing.
    meeting = _meeting(world, NEXT_MONDAY)
    check = notice.notice_check(meeting, MONDAY + dt.timedelta(days=1))
    assert check.days == 4
    assert not check.allowed


def test_a_closure_pushes_the_last_sending_day_earlier(world):
    closure_create(district=world.district, start_date=dt.date(2026, 3, 12), reason="Staff development")
    meeting = _meeting(world, NEXT_MONDAY)
    assert notice.notice_school_days(meeting, MONDAY) == 4
    assert notice.latest_send_date(meeting) == dt.date(2026, 3, 6)  # the Friday before


def test_a_closure_of_one_school_only_counts_for_that_school(world):
    closure_create(district=world.district, school=world.washington, start_date=dt.date(2026, 3, 12))
    assert notice.notice_school_days(_meeting(world, NEXT_MONDAY), MONDAY) == 5


def test_scheduling_a_ppt_too_soon_is_refused_and_nothing_is_saved(world):
    with pytest.raises(MeetingError, match="at least 5"):
        schedule(world, starts_at=at(school_days_ahead(3)))
    assert not Ppt.objects.exists()


def test_the_refusal_names_the_earliest_day_the_meeting_may_be_held(world):
    with pytest.raises(MeetingError) as raised:
        schedule(world, starts_at=at(school_days_ahead(2)))
    earliest = school_days_ahead(5)
    assert str(earliest.year) in str(raised.value)
    assert str(earliest.day) in str(raised.value)


def test_the_parents_agreement_to_an_earlier_date_allows_a_shorter_notice(world):
    meeting = schedule(world, starts_at=at(school_days_ahead(2)), early_notice_agreed_on=dt.date.today(),
                       early_notice_note="Phone call with Rosa")
    assert meeting.pk is not None


def test_sending_the_invitation_after_the_last_day_is_refused(world):
    meeting = schedule(world)  # ten school days ahead
    too_late = notice.add_school_days(world.lincoln, notice.meeting_day(meeting), -4)
    with pytest.raises(MeetingError, match="at least 5"):
        ppt_invitation_send(meeting=meeting, user=world.case_manager.user, today=too_late)
    meeting.refresh_from_db()
    assert meeting.invitation_sent_at is None


def test_a_late_invitation_goes_out_once_the_parents_agreement_is_recorded(world, after_commit):
    meeting = schedule(world)
    too_late = notice.add_school_days(world.lincoln, notice.meeting_day(meeting), -2)
    ppt_early_notice_record(meeting=meeting, agreed_on=too_late, note="Rosa asked for the earlier date")
    with after_commit():
        ppt_invitation_send(meeting=meeting, user=world.case_manager.user, today=too_late)
    meeting.refresh_from_db()
    assert meeting.invitation_sent_at is not None


def test_a_closure_added_after_scheduling_blocks_the_invitation_on_the_last_day(world):
    meeting = schedule(world, starts_at=at(school_days_ahead(6)))
    last_day = notice.latest_send_date(meeting)
    closure_create(district=world.district, start_date=notice.add_school_days(world.lincoln, last_day, 2))
    with pytest.raises(MeetingError):
        ppt_invitation_send(meeting=meeting, user=world.case_manager.user, today=last_day)


def test_ppt_input_defaults_are_properly_noticed(world):
    assert notice.notice_school_days(_meeting(world, ppt_input(world, world.mateo).starts_at.date()),
                                     dt.date.today()) >= 5
