"""Building blocks for the programs tests: an event at Lincoln, a trained pair of visitors, a school team."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from homeroom.programs import events, teams, visits
from homeroom.programs.models import PartnershipTeam
from tests.actors import World


def lincoln_event(w: World, *, capacity: int | None = None, days: int = 7, childcare: bool = True,
                  public: bool = True, title: str = "Family math night") -> Any:
    start = timezone.now() + dt.timedelta(days=days)
    return events.event_save(district_id=w.district.pk, school_id=w.lincoln.pk, user=w.principal.user,
                             data=events.EventInput(kind="family", title=title, starts_at=start,
                                                    ends_at=start + dt.timedelta(hours=2), place="Lincoln gym",
                                                    languages=("en", "es"), childcare=childcare, capacity=capacity,
                                                    is_public=public))


def trained_pair(w: World) -> None:
    for staff in (w.teacher, w.case_manager, w.principal):
        visits.training_record(staff=staff, completed_on=timezone.localdate())


def mateo_visit(w: World, *, by: Any = None, with_: Any = None) -> Any:
    trained_pair(w)
    return visits.visit_schedule(user=w.teacher.user, data=visits.VisitInput(
        student=w.mateo, guardian=w.rosa, visitor_one=by or w.teacher, visitor_two=with_ or w.principal,
        invited_on=timezone.localdate(), consent=True, scheduled_for=timezone.now() + dt.timedelta(days=2),
        language="es"))


def lincoln_team(w: World) -> Any:
    """Lincoln's partnership team, made once per world (URL rules that share one world ask for it again)."""
    existing = PartnershipTeam.objects.filter(school=w.lincoln, kind="school").first()
    if existing is not None:
        return existing
    team = teams.team_create(district_id=w.district.pk, school_id=w.lincoln.pk, kind="school",
                             name="Lincoln partnership team")
    teams.member_add(team=team, data=teams.MemberInput(role="chair", term_start=timezone.localdate(),
                                                       staff=w.teacher))
    teams.member_add(team=team, data=teams.MemberInput(role="member", term_start=timezone.localdate(),
                                                       guardian=w.ana))
    return team
