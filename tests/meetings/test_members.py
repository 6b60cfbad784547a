"""A PPT must include a parent, a general and a special education teacher, a district representative and
someone who can interpret evaluations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeroom.meetings.models import MemberRole, Ppt
from homeroom.meetings.services import MeetingError, MemberInput
from tests.meetings.helpers import full_team, schedule, school_days_ahead


def _without(world, role):
    return [m for m in full_team(world, world.mateo) if m.role != role]


@pytest.mark.parametrize("role", [
    MemberRole.PARENT, MemberRole.GENERAL_EDUCATION, MemberRole.SPECIAL_EDUCATION,
    MemberRole.DISTRICT_REPRESENTATIVE, MemberRole.EVALUATION_INTERPRETER,
])
def test_a_ppt_without_a_required_role_is_refused(world, role):
    with pytest.raises(MeetingError) as raised:
        schedule(world, members=_without(world, role))
    assert str(MemberRole(role).label) in str(raised.value)
    assert not Ppt.objects.exists()


def test_a_role_whose_name_is_blank_does_not_count(world):
    members = [*_without(world, MemberRole.DISTRICT_REPRESENTATIVE),
               MemberInput(role=MemberRole.DISTRICT_REPRESENTATIVE, name="  ")]
    with pytest.raises(MeetingError, match="District representative"):
        schedule(world, members=members)


def test_a_full_team_with_extra_members_is_saved_with_every_member(world):
    members = [*full_team(world, world.mateo), MemberInput(role=MemberRole.OTHER, name="Speech therapist")]
    meeting = schedule(world, members=members)
    assert meeting.members.count() == 6
    assert meeting.members.get(role=MemberRole.PARENT).guardian == world.rosa


def test_the_schedule_page_refuses_a_team_without_a_district_representative(client_for, world):
    day = school_days_ahead(10)
    response = client_for("case_manager").post(reverse("meetings:ppt_create", args=[world.mateo.pk]), {
        "purpose": "annual_review", "meeting_date": day.isoformat(), "meeting_time": "15:00",
        "duration_minutes": 60, "place": "Room 104", "parents": [world.rosa.pk],
        "general_education_staff": world.teacher.pk, "special_education_staff": world.case_manager.pk,
        "evaluation_interpreter_name": "Dr. Maya Patel",
    })
    assert response.status_code == 400
    assert "District representative" in response.content.decode()
    assert not Ppt.objects.exists()


def test_the_schedule_page_saves_a_full_team(client_for, world):
    day = school_days_ahead(10)
    response = client_for("case_manager").post(reverse("meetings:ppt_create", args=[world.mateo.pk]), {
        "purpose": "annual_review", "meeting_date": day.isoformat(), "meeting_time": "15:00",
        "duration_minutes": 60, "video_link": "https://meet.example/ppt", "parents": [world.rosa.pk],
        "general_education_staff": world.teacher.pk, "special_education_staff": world.case_manager.pk,
        "district_representative_staff": world.principal.pk, "evaluation_interpreter_name": "Dr. Maya Patel",
    })
    meeting = Ppt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:ppt_detail", args=[meeting.pk])
    assert set(meeting.members.values_list("role", flat=True)) >= {r.value for r in MemberRole if r not in (
        MemberRole.STUDENT, MemberRole.OTHER)}
