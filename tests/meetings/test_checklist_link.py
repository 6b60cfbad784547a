"""The case manager checklist follows the meeting: its PPT date, and its tasks completed by the real events."""

from __future__ import annotations

from django.utils import timezone

from homeroom.contacts.models import ChecklistTask, PptDate
from homeroom.meetings import notice
from homeroom.meetings.services import ppt_follow_up_record, ppt_invitation_send, ppt_mark_held
from tests.contacts.helpers import log_contact
from tests.meetings.helpers import schedule


def _task(world, code):
    return ChecklistTask.objects.get(staff=world.case_manager, student=world.mateo, item__code=code)


def test_a_scheduled_ppt_supplies_the_checklists_ppt_date(world):
    meeting = schedule(world)
    assert PptDate.objects.filter(student=world.mateo, meeting_date=notice.meeting_day(meeting)).exists()
    assert _task(world, "ppt-invitation").due_on == notice.latest_send_date(meeting)


def test_a_special_education_contact_does_not_complete_the_invitation_task(world):
    schedule(world)
    log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], method="letter",
                purpose="special_education", outcome="reached")
    assert _task(world, "ppt-invitation").completed_at is None


def test_sending_the_invitation_completes_the_invitation_task(world, after_commit):
    meeting = schedule(world)
    with after_commit():
        ppt_invitation_send(meeting=meeting, user=world.case_manager.user)
    assert _task(world, "ppt-invitation").completed_at is not None
    assert _task(world, "ppt-follow-up").completed_at is None


def test_logging_the_follow_up_completes_the_follow_up_task_and_is_a_contact(world, after_commit):
    meeting = schedule(world)
    with after_commit():
        ppt_mark_held(meeting=meeting, held_on=notice.meeting_day(meeting), user=world.case_manager.user)
    contact = ppt_follow_up_record(meeting=meeting, staff=world.case_manager, user=world.case_manager.user,
                                   occurred_at=timezone.now(), method="phone", notes="Went over the IEP.")
    assert _task(world, "ppt-follow-up").completed_at is not None
    assert list(contact.guardians.all()) == [world.rosa]
    assert contact.purpose == "special_education"
