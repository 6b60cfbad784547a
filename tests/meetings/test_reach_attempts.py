"""Attempts to reach a parent, counted from the contact log: complete at two attempts by two methods."""

from __future__ import annotations

from django.urls import reverse

from homeroom.meetings.selectors import reach_record
from homeroom.meetings.services import reach_attempt_add
from tests.contacts.helpers import log_contact
from tests.meetings.helpers import schedule


def _attempt(world, meeting, method):
    contact = log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], method=method,
                          outcome="no_answer", purpose="special_education")
    reach_attempt_add(meeting=meeting, contact=contact, user=world.case_manager.user)


def test_two_calls_are_not_a_complete_record(world):
    meeting = schedule(world)
    _attempt(world, meeting, "phone")
    _attempt(world, meeting, "phone")
    assert not reach_record(meeting).complete


def test_a_call_and_a_letter_are_a_complete_record(world):
    meeting = schedule(world)
    _attempt(world, meeting, "phone")
    _attempt(world, meeting, "letter")
    assert reach_record(meeting).complete


def test_one_attempt_is_not_enough(world):
    meeting = schedule(world)
    _attempt(world, meeting, "home_visit")
    assert not reach_record(meeting).complete


def test_staff_count_a_logged_contact_from_the_meeting_page(world, client_for):
    meeting = schedule(world)
    contact = log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], method="phone",
                          outcome="no_answer")
    client = client_for("case_manager")
    page = client.get(reverse("meetings:ppt_detail", args=[meeting.pk])).content.decode()
    assert "Not complete" in page
    client.post(reverse("meetings:ppt_attempt", args=[meeting.pk]), {"contact": contact.pk})
    assert [a.contact for a in reach_record(meeting).attempts] == [contact]


def test_a_contact_about_another_student_cannot_be_counted(world, client_for):
    meeting = schedule(world)
    other = log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], method="phone")
    response = client_for("case_manager").post(reverse("meetings:ppt_attempt", args=[meeting.pk]),
                                               {"contact": other.pk})
    assert response.status_code == 404
    assert not reach_record(meeting).attempts
