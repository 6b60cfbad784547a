"""After the PPT: the IEP within five school days (tracked), the follow-up, and the post-PPT survey hook."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from homeroom.contacts.models import ChecklistTask, PptDate
from homeroom.meetings import followup, notice
from homeroom.meetings.models import PptStatus
from homeroom.meetings.selectors import safeguards_status
from homeroom.meetings.services import (
    MeetingError,
    ppt_cancel,
    ppt_iep_sent,
    ppt_invitation_send,
    ppt_mark_held,
    safeguards_record,
)
from homeroom.messaging.models import Message
from homeroom.schoolcalendar.services import closure_create
from tests.meetings.helpers import schedule

THURSDAY = dt.date(2026, 3, 12)
SURVEYS_SENT: list[int] = []


def fake_survey_sender(*, meeting_id: int) -> bool:
    SURVEYS_SENT.append(meeting_id)
    return True


def test_the_iep_is_due_five_school_days_after_the_meeting_skipping_the_weekend(world, after_commit):
    meeting = schedule(world)
    with after_commit():
        held = ppt_mark_held(meeting=meeting, held_on=THURSDAY, user=world.case_manager.user)
    assert held.status == PptStatus.HELD
    assert held.iep_due_on == dt.date(2026, 3, 19)  # Fri, Mon, Tue, Wed, Thu


def test_a_closure_moves_the_iep_due_date(world, after_commit):
    closure_create(district=world.district, start_date=dt.date(2026, 3, 16), reason="Snow day")
    meeting = schedule(world)
    with after_commit():
        held = ppt_mark_held(meeting=meeting, held_on=THURSDAY, user=world.case_manager.user)
    assert held.iep_due_on == dt.date(2026, 3, 20)


def test_the_iep_sent_date_is_recorded_only_after_the_meeting(world, after_commit):
    meeting = schedule(world)
    with pytest.raises(MeetingError):
        ppt_iep_sent(meeting=meeting, sent_on=THURSDAY)
    with after_commit():
        ppt_mark_held(meeting=meeting, held_on=THURSDAY, user=world.case_manager.user)
    assert ppt_iep_sent(meeting=meeting, sent_on=dt.date(2026, 3, 17)).iep_sent_on == dt.date(2026, 3, 17)


def test_with_the_survey_hook_switched_off_nothing_is_sent_and_the_page_says_so(world, after_commit, client_for,
                                                                                  settings):
    settings.HOMEROOM_POST_PPT_SURVEY = ""
    meeting = schedule(world)
    with after_commit():
        ppt_mark_held(meeting=meeting, held_on=THURSDAY, user=world.case_manager.user)
    meeting.refresh_from_db()
    assert meeting.survey_requested_at is None
    page = client_for("case_manager").get(reverse("meetings:ppt_detail", args=[meeting.pk])).content.decode()
    assert "The post-PPT survey is switched off" in page


def test_the_survey_hook_is_called_once_when_the_meeting_is_held(world, after_commit, settings):
    settings.HOMEROOM_POST_PPT_SURVEY = "tests.meetings.test_after_the_meeting.fake_survey_sender"
    SURVEYS_SENT.clear()
    meeting = schedule(world)
    with after_commit():
        ppt_mark_held(meeting=meeting, held_on=THURSDAY, user=world.case_manager.user)
    followup.post_ppt_survey_request(meeting_id=meeting.pk)
    assert [meeting.pk] == SURVEYS_SENT
    meeting.refresh_from_db()
    assert meeting.survey_requested_at is not None


def test_safeguards_given_more_than_a_year_ago_are_due_again(world):
    today = dt.date(2026, 3, 12)
    safeguards_record(guardian=world.rosa, given_on=dt.date(2025, 3, 1), method="mail", user=world.admin.user)
    [status] = safeguards_status([world.rosa], today)
    assert status.last is not None and not status.current
    safeguards_record(guardian=world.rosa, given_on=dt.date(2026, 1, 5), method="in_person", user=world.admin.user)
    [status] = safeguards_status([world.rosa], today)
    assert status.current


def test_cancelling_a_ppt_removes_its_checklist_date_and_open_tasks(world):
    meeting = schedule(world)
    day = notice.meeting_day(meeting)
    ppt_cancel(meeting=meeting, user=world.case_manager.user)
    meeting.refresh_from_db()
    assert meeting.status == PptStatus.CANCELLED
    assert not PptDate.objects.filter(student=world.mateo, meeting_date=day).exists()
    assert not ChecklistTask.objects.filter(student=world.mateo, period=f"ppt-{day.isoformat()}").exists()


def test_cancelling_an_invited_ppt_tells_the_family_in_their_language(world, after_commit):
    meeting = schedule(world, student=world.sofia, by=world.principal)
    with after_commit():
        ppt_invitation_send(meeting=meeting, user=world.principal.user)
    ppt_cancel(meeting=meeting, user=world.principal.user)
    meeting.refresh_from_db()
    message = Message.objects.exclude(pk=meeting.invitation_message_id).get()
    assert "se canceló" in message.contents.get(language="es").subject
