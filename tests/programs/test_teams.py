"""Partnership teams: members mirrored into the self-assessment team; the plan shared with surveys."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeroom.programs import teams
from homeroom.surveys.models import ActionItem, ActionPlan
from tests.actors import build_world
from tests.programs.helpers import lincoln_team

pytestmark = pytest.mark.django_db


def _low_item(w):
    plan, _ = ActionPlan.objects.get_or_create(school=w.lincoln, year=teams.school_year())
    return ActionItem.objects.create(plan=plan, item_key="welcoming-1", rating=1)


def test_team_members_are_the_self_assessment_team():
    w = build_world()
    team = lincoln_team(w)
    mirror = team.assessment_team
    assert set(mirror.staff.all()) == {w.teacher} and set(mirror.guardians.all()) == {w.ana}
    teams.member_remove(member=team.memberships.get(guardian=w.ana))
    assert not mirror.guardians.exists()


def test_a_self_assessment_item_becomes_an_activity_of_the_same_plan():
    w = build_world()
    team = lincoln_team(w)
    item = _low_item(w)
    client = Client()
    client.force_login(w.principal.user)
    response = client.post(reverse("programs:activity_from_item", args=[team.pk, item.pk]), {
        f"i{item.pk}-action": "Welcome walk for new families", f"i{item.pk}-owner": "Ms. Rivera",
        f"i{item.pk}-due": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        f"i{item.pk}-target_families": "Families new to Lincoln, Spanish and Haitian Creole speakers",
        f"i{item.pk}-measure": "20 families come"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_complete and item.programs_detail.team == team
    assert ActionItem.objects.count() == 1  # one row, not a copy
    planned, waiting = teams.plan_rows(team, teams.school_year())
    assert planned == [item] and waiting == []


def test_family_members_see_their_team_page_in_their_language():
    w = build_world()
    team = lincoln_team(w)
    teams.activity_add(team=team, year=teams.school_year(), data=teams.ActivityInput(
        action="Noche de lectura", owner="Ms. Rivera", due=timezone.localdate(), target_families="todas",
        measure="30 familias"))
    client = Client()
    client.force_login(w.ana.user)
    page = client.get(reverse("programs:family_team", args=[team.pk]), HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Noche de lectura" in body and 'lang="es"' in body
    other = Client()
    other.force_login(w.paul.user)
    assert other.get(reverse("programs:family_team", args=[team.pk])).status_code == 404


def test_a_teacher_not_leading_the_team_cannot_change_it():
    w = build_world()
    team = lincoln_team(w)
    teams.member_remove(member=team.memberships.get(staff=w.teacher))
    client = Client()
    client.force_login(w.teacher.user)
    assert client.post(reverse("programs:activity_add", args=[team.pk]), {}).status_code == 403


def test_the_leadership_committee_takes_at_most_two_representatives_per_grade():
    w = build_world()
    committee = teams.team_create(district_id=w.district.pk, school_id=None, kind="leadership",
                                  name="Parent Leadership Committee")
    assert committee.school_id is None and committee.assessment_team is None
    start = timezone.localdate()
    for guardian in (w.ana, w.rosa):
        teams.member_add(team=committee, data=teams.MemberInput(role="grade_rep", grade="05", term_start=start,
                                                                guardian=guardian))
    with pytest.raises(teams.TeamError):
        teams.member_add(team=committee, data=teams.MemberInput(role="grade_rep", grade="05", term_start=start,
                                                                guardian=w.paul))
    teams.member_add(team=committee, data=teams.MemberInput(role="grade_rep", grade="07", term_start=start,
                                                            guardian=w.paul))
    assert committee.memberships.count() == 3
