"""URL × role rules for the programs app (walked by tests/test_url_access.py)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from homeroom.programs import events, learning, teams, visits
from homeroom.programs.models import PracticeFile
from homeroom.surveys.models import ActionItem, ActionPlan
from tests.access import Rule, expect_all, staff_only
from tests.actors import World
from tests.programs.helpers import lincoln_event, lincoln_team, mateo_visit

STAFF = staff_only(200)
# Lincoln's team, event, visit and discussion: seen by Lincoln's staff and the district, not by Mr. Baker.
LINCOLN_PAGE = staff_only(200, other_teacher=404)
# Changed by those who lead Lincoln's team: the district, the principal, the team's chair (Ms. Rivera).
LEADS_LINCOLN_TEAM = staff_only(302, case_manager=403, other_teacher=404)
LEADS_LINCOLN_TEAM_PAGE = staff_only(200, case_manager=403, other_teacher=404)
# Events are run by the district and the school's administrators; others do not find them in that list.
RUNS_LINCOLN_EVENT = staff_only(200, teacher=404, case_manager=404, other_teacher=404)
RUNS_LINCOLN_EVENT_POST = staff_only(302, teacher=404, case_manager=404, other_teacher=404)
CREATES_EVENTS = staff_only(200, teacher=403, case_manager=403, other_teacher=403)
FAMILIES = expect_all(403, anonymous=302, ana=200, luis=200, paul=200)
ANAS_LINCOLN = expect_all(403, anonymous=302, ana=200, luis=404, paul=404)
ANYONE = expect_all(200)
# Edits: a practice by its author (the principal here) or a district administrator; a discussion by its recorder
# (the principal) — others in the district or school are refused, Mr. Baker does not find Lincoln's discussion.
EDITS_PRACTICE = staff_only(403, principal=200, admin=200)
EDITS_DISCUSSION = staff_only(403, principal=200, other_teacher=404)


def _team(w: World) -> dict[str, Any]:
    return {"pk": lincoln_team(w).pk}


def _member(w: World) -> dict[str, Any]:
    team = lincoln_team(w)
    return {"pk": team.pk, "member": team.memberships.get(guardian=w.ana).pk}


def _item(w: World) -> dict[str, Any]:
    team = lincoln_team(w)
    plan, _created = ActionPlan.objects.get_or_create(school=w.lincoln, year=teams.school_year())
    return {"pk": team.pk, "item_pk": ActionItem.objects.create(plan=plan, item_key="k", rating=1).pk}


def _meeting(w: World) -> dict[str, Any]:
    team = lincoln_team(w)
    meeting = teams.meeting_save(team=team, data=teams.MeetingInput(held_at=timezone.now(), agenda="Plan"),
                                 attendees=[], user=w.principal.user)
    return {"pk": team.pk, "meeting_pk": meeting.pk}


def _event(w: World) -> dict[str, Any]:
    return {"pk": lincoln_event(w).pk}


def _token(w: World) -> dict[str, Any]:
    return {"token": events.link_token(lincoln_event(w), w.rosa)}


def _visit(w: World) -> dict[str, Any]:
    return {"pk": mateo_visit(w).pk}


def _discussion(w: World) -> dict[str, Any]:
    item = learning.discussion_create(school=w.lincoln, topic="beliefs", title="", held_on=timezone.localdate(),
                                      facilitators=[w.principal], attendees=[w.teacher], notes="",
                                      user=w.principal.user)
    return {"pk": item.pk}


def _practice(w: World) -> Any:
    return learning.practice_create(author=w.principal, school_id=w.lincoln.pk, files=[], data=learning.PracticeInput(
        title="Welcome calls", practice="Called every new family", goal="communication", grade_band="all",
        languages=("es",), families_reached=40, outcome="More families at conferences"))


def _practice_file(w: World) -> dict[str, Any]:
    practice = _practice(w)
    item = PracticeFile(practice=practice, name="script.txt")
    item.file.save("script.txt", ContentFile(b"Hello"), save=True)
    return {"pk": item.pk}


def _trained(w: World) -> dict[str, Any]:
    visits.training_record(staff=w.teacher, completed_on=timezone.localdate())
    return {}


RULES = {
    "programs:index": Rule(expect=STAFF),
    "programs:team": Rule(kwargs=_team, expect=LINCOLN_PAGE),
    "programs:member_add": Rule(method="post", kwargs=_team, data=lambda w: {}, expect=LEADS_LINCOLN_TEAM),
    "programs:member_remove": Rule(method="post", kwargs=_member, data=lambda w: {}, expect=LEADS_LINCOLN_TEAM),
    "programs:activity_add": Rule(method="post", kwargs=_team, data=lambda w: {}, expect=LEADS_LINCOLN_TEAM),
    "programs:activity_from_item": Rule(method="post", kwargs=_item, data=lambda w: {}, expect=LEADS_LINCOLN_TEAM),
    "programs:meeting_new": Rule(kwargs=_team, expect=LEADS_LINCOLN_TEAM_PAGE),
    "programs:meeting": Rule(kwargs=_meeting, expect=LINCOLN_PAGE),
    "programs:events": Rule(expect=STAFF),
    "programs:event_new": Rule(expect=CREATES_EVENTS),
    "programs:event": Rule(kwargs=_event, expect=LINCOLN_PAGE),
    "programs:event_edit": Rule(kwargs=_event, expect=RUNS_LINCOLN_EVENT),
    "programs:event_cancel": Rule(method="post", kwargs=_event, data=lambda w: {"reason": "Snow day"},
                                  expect=RUNS_LINCOLN_EVENT_POST),
    "programs:event_invite": Rule(method="post", kwargs=_event, data=lambda w: {}, expect=RUNS_LINCOLN_EVENT_POST),
    "programs:event_feedback": Rule(method="post", kwargs=_event, data=lambda w: {},
                                    expect=RUNS_LINCOLN_EVENT_POST),
    "programs:sign_in": Rule(kwargs=_event, expect=RUNS_LINCOLN_EVENT),
    "programs:event_report": Rule(kwargs=_event, expect=RUNS_LINCOLN_EVENT),
    "programs:visits": Rule(kwargs=_trained, expect=STAFF),
    "programs:visit": Rule(kwargs=_visit, expect=LINCOLN_PAGE),
    "programs:visit_training": Rule(expect=STAFF),
    "programs:learning": Rule(expect=STAFF),
    "programs:guide": Rule(expect=STAFF),
    "programs:discussion": Rule(kwargs=_discussion, expect=LINCOLN_PAGE),
    "programs:discussion_edit": Rule(kwargs=_discussion, expect=EDITS_DISCUSSION),
    "programs:practices": Rule(expect=STAFF),
    "programs:practice_new": Rule(expect=STAFF),
    "programs:practice": Rule(kwargs=lambda w: {"pk": _practice(w).pk}, expect=STAFF),
    "programs:practice_edit": Rule(kwargs=lambda w: {"pk": _practice(w).pk}, expect=EDITS_PRACTICE),
    "programs:practice_file": Rule(kwargs=_practice_file, expect=STAFF),
    "programs:family_events": Rule(expect=FAMILIES),
    "programs:family_event": Rule(kwargs=_event, expect=ANAS_LINCOLN),
    "programs:family_event_ics": Rule(kwargs=_event, expect=ANAS_LINCOLN),
    "programs:family_teams": Rule(expect=FAMILIES),
    "programs:family_team": Rule(kwargs=_team, expect=ANAS_LINCOLN),
    "programs:rsvp_link": Rule(kwargs=_token, expect=ANYONE),
    "programs:rsvp_link_ics": Rule(kwargs=_token, expect=ANYONE),
}
