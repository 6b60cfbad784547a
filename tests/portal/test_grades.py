"""A child's grades page: missing work, what's coming up, recent scores with comments, weekly notes."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from homeroom.portal.models import SectionNote
from homeroom.portal.selectors import child_grades, child_team
from homeroom.roster.models import ScoreStatus
from tests.portal.helpers import line_item, result, sofia_gradebook


def _only_class(world):
    (row,) = child_grades(world.sofia)
    return row


def test_not_submitted_work_past_due_is_missing(world):
    items = sofia_gradebook(world)
    assert [r.line_item for r in _only_class(world).missing] == [items["worksheet"]]


def test_work_due_within_two_weeks_is_upcoming(world):
    items = sofia_gradebook(world)
    assert _only_class(world).upcoming == [items["project"]]


def test_submitted_work_is_not_upcoming(world):
    items = sofia_gradebook(world)
    result(items["project"], world.sofia, status=ScoreStatus.SUBMITTED)
    assert _only_class(world).upcoming == []


def test_work_due_next_month_is_not_upcoming(world):
    line_item(world.section_5a, "Science fair", due_in_days=40)
    assert _only_class(world).upcoming == []


def test_recent_scores_carry_the_teachers_comment(world):
    sofia_gradebook(world)
    recent = _only_class(world).recent
    assert any(r.comment == "Great work on equivalent fractions" for r in recent)


def test_another_students_results_are_not_shown(world):
    items = sofia_gradebook(world)
    result(items["quiz"], world.mateo, score="3", comment="Mateo needs help")
    assert all(r.student_id == world.sofia.pk for r in _only_class(world).recent)


def test_inactive_section_is_not_listed(world):
    sofia_gradebook(world)
    world.section_5a.is_active = False
    world.section_5a.save()
    assert child_grades(world.sofia) == []


def test_grades_page_shows_score_out_of_maximum(world, client_for):
    sofia_gradebook(world)
    body = client_for("ana").get(reverse("portal:child_grades", args=[world.sofia.pk])).content.decode()
    assert "9 / 10" in body
    assert "Great work on equivalent fractions" in body
    assert "Reading log" in body


def test_grades_page_shows_this_weeks_section_note(world, client_for):
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    SectionNote.objects.create(section=world.section_5a, author=world.teacher, week_of=monday,
                               body="We are learning about volcanoes")
    body = client_for("ana").get(reverse("portal:child_grades", args=[world.sofia.pk])).content.decode()
    assert "We are learning about volcanoes" in body


def test_child_overview_lists_teacher_and_principal_with_how_to_reach_them(world, client_for):
    world.teacher.phone = "+12035550100"
    world.teacher.save()
    body = client_for("ana").get(reverse("portal:child", args=[world.sofia.pk])).content.decode()
    assert "rivera@riverside.example" in body
    assert "+12035550100" in body
    assert "Grace Okafor" in body


def test_childs_team_includes_the_case_manager(world):
    team = child_team(world.mateo)
    assert world.case_manager in team.case_managers
