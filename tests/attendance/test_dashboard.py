"""Dashboards: chronic absence by grade, group and month, suppression below 10 students, the review-team lines,
the students who crossed a line this week, and charts drawn on the server with their numbers in a table."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from homeroom.attendance import selectors
from tests import factories as f
from tests.attendance.helpers import run_import, weekdays

DAYS = weekdays(date(2025, 9, 1), 20)  # September
OCTOBER = weekdays(date(2025, 10, 1), 10)
TODAY = OCTOBER[-1]  # Tuesday 14 October


def _class_of(world, count, *, chronic, school=None, grade="05", **flags):
    school = school or world.lincoln
    students = [f.StudentFactory(district=world.district, school=school, grade=grade, **flags) for _ in range(count)]
    rows = []
    for index, student in enumerate(students):
        absent = set(OCTOBER[:3]) if index < chronic else set()
        rows += [(student.sourced_id, d.isoformat(), "absent" if d in absent else "present", "", "", "")
                 for d in DAYS + OCTOBER]
    return students, rows


def _world_with_figures(world):
    # Lincoln: 12 fifth-graders, 2 chronically absent (3 of 30 days = 10%) → 16.7%, over the school line (15%).
    _, lincoln = _class_of(world, 12, chronic=2, english_learner=True)
    # Washington: 3 seventh-graders, none absent: too few to show on their own.
    _, washington = _class_of(world, 3, chronic=0, school=world.washington, grade="07")
    run_import(world, lincoln + washington, today=TODAY)


def test_school_figures_by_grade_group_and_month_with_the_review_team_line(world):
    _world_with_figures(world)
    board = selectors.dashboard(world.principal.user, district_id=world.district.pk, school=world.lincoln,
                                today=TODAY)
    assert (board.overall.students, board.overall.chronic, board.overall.percent) == (12, 2, 16.7)
    assert board.review_line == 15 and board.needs_review_team
    assert [(r.label, r.percent) for r in board.by_grade] == [("Grade 05", 16.7)]
    english_learners = next(r for r in board.by_subgroup if r.label == "English learners")
    assert english_learners.percent == 16.7
    assert next(r for r in board.by_subgroup if r.label == "Students with an IEP").suppressed
    assert [(r.label, r.chronic) for r in board.by_month] == [("2025-09", 0), ("2025-10", 2)]
    assert board.crossings == []  # they crossed on 2 and 3 October, not this week


def test_the_students_who_crossed_a_line_this_week(world):
    _world_with_figures(world)
    board = selectors.dashboard(world.principal.user, district_id=world.district.pk, school=world.lincoln,
                                today=OCTOBER[2])  # the week of 29 September
    crossed = sorted((c.threshold, c.crossed_on) for c in board.crossings)
    assert crossed == [("at_risk", OCTOBER[1])] * 2 + [("chronic", OCTOBER[2])] * 2


def test_groups_below_ten_students_are_suppressed(world):
    _world_with_figures(world)
    board = selectors.dashboard(world.admin.user, district_id=world.district.pk, today=TODAY)
    grades = {r.label: r for r in board.by_grade}
    assert grades["Grade 07"].suppressed and grades["Grade 07"].percent is None
    washington = next(rate for school, rate, _flag in board.schools if school == world.washington)
    assert washington.suppressed


def test_the_district_line_is_ten_percent(world):
    _world_with_figures(world)
    board = selectors.dashboard(world.admin.user, district_id=world.district.pk, today=TODAY)
    assert (board.overall.students, board.overall.chronic) == (15, 2)
    assert board.review_line == 10 and board.needs_review_team  # 13.3%
    flags = {school.pk: flag for school, _rate, flag in board.schools}
    assert flags == {world.lincoln.pk: True, world.washington.pk: False}


def test_the_page_draws_accessible_charts_with_the_numbers_in_tables(world, client_for):
    _world_with_figures(world)
    page = client_for("principal").get(reverse("attendance:school_dashboard", args=[world.lincoln.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<svg role="img"') == 2
    assert "<title id=\"chart-grade-title\">Chronically absent, by grade (%)</title>" in html
    assert "<td>16.7%</td>" in html
    assert "Attendance review team needed" in html


def test_a_principal_does_not_see_another_schools_dashboard(world, client_for):
    response = client_for("principal").get(reverse("attendance:school_dashboard", args=[world.washington.pk]))
    assert response.status_code == 404
