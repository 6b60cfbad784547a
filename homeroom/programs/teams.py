"""Partnership teams: members with roles and terms, meetings, and the team's one-year action plan.

The plan is surveys' `ActionPlan` for the team's school and year; its activities are `ActionItem` rows (those a
self-assessment found and those the team adds), each with an `ActivityDetail`. A school team's members are
mirrored into a surveys `Team`, so the same people rate the school's self-assessments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeroom.programs.models import ActivityDetail, Membership, PartnershipTeam, TeamKind, TeamMeeting, TeamRole
from homeroom.roster.models import Guardian, Staff
from homeroom.surveys.models import ActionItem, ActionPlan, Team

REPS_PER_GRADE = 2  # the Parent Leadership Committee: one or two representatives per grade


class TeamError(ValueError):
    """The change cannot be made; the text says why."""


def school_year(day: dt.date | None = None) -> int:
    day = day or timezone.localdate()
    return day.year if day.month >= 7 else day.year - 1


@transaction.atomic
def team_create(*, district_id: int, school_id: int | None, kind: str, name: str) -> PartnershipTeam:
    if kind == TeamKind.SCHOOL and not school_id:
        raise TeamError(_("A school team needs its school."))
    if kind == TeamKind.SCHOOL and PartnershipTeam.objects.filter(kind=kind, school_id=school_id or 0).exists():
        raise TeamError(_("This school already has a partnership team."))
    team = PartnershipTeam.objects.create(district_id=district_id, school_id=school_id if kind == TeamKind.SCHOOL
                                          else None, kind=kind, name=name.strip())
    if team.school_id:
        team.assessment_team = Team.objects.create(school_id=team.school_id, name=team.name)
        team.save(update_fields=["assessment_team"])
    return team


def _sync_assessment_team(team: PartnershipTeam) -> None:
    if team.assessment_team_id is None:
        return
    today = timezone.localdate()
    current = team.memberships.filter(term_start__lte=today).exclude(term_end__lt=today)
    mirror = team.assessment_team
    assert mirror is not None
    mirror.staff.set(current.exclude(staff=None).values_list("staff_id", flat=True))
    mirror.guardians.set(current.exclude(guardian=None).values_list("guardian_id", flat=True))


@dataclass(frozen=True)
class MemberInput:
    role: str
    term_start: dt.date
    term_end: dt.date | None = None
    grade: str = ""
    staff: Staff | None = None
    guardian: Guardian | None = None


@transaction.atomic
def member_add(*, team: PartnershipTeam, data: MemberInput) -> Membership:
    if (data.staff is None) == (data.guardian is None):
        raise TeamError(_("Choose one staff member or one family member."))
    person = data.staff or data.guardian
    if person is not None and person.district_id != team.district_id:
        raise TeamError(_("Choose someone from this district."))
    if data.term_end and data.term_end < data.term_start:
        raise TeamError(_("The term cannot end before it starts."))
    if team.kind == TeamKind.LEADERSHIP and data.role == TeamRole.GRADE_REP:
        if not data.grade.strip():
            raise TeamError(_("Say which grade the representative speaks for."))
        current = team.memberships.filter(role=TeamRole.GRADE_REP, grade=data.grade.strip()).exclude(
            term_end__lt=data.term_start)
        if current.count() >= REPS_PER_GRADE:
            raise TeamError(_("This grade already has %(count)d representatives.") % {"count": REPS_PER_GRADE})
    member = Membership.objects.create(team=team, staff=data.staff, guardian=data.guardian, role=data.role,
                                       grade=data.grade.strip(), term_start=data.term_start, term_end=data.term_end)
    _sync_assessment_team(team)
    return member


@transaction.atomic
def member_remove(*, member: Membership) -> None:
    team = member.team
    member.delete()
    _sync_assessment_team(team)


def member_user_ids(team: PartnershipTeam) -> set[int]:
    ids = set(team.memberships.exclude(staff__user=None).values_list("staff__user_id", flat=True))
    ids |= set(team.memberships.exclude(guardian__user=None).values_list("guardian__user_id", flat=True))
    ids.discard(None)  # type: ignore[arg-type]
    return ids


@dataclass(frozen=True)
class MeetingInput:
    held_at: dt.datetime
    place: str = ""
    agenda: str = ""
    minutes: str = ""
    decisions: str = ""


@transaction.atomic
def meeting_save(*, team: PartnershipTeam, data: MeetingInput, attendees: list[Membership], user: Any,
                 meeting: TeamMeeting | None = None) -> TeamMeeting:
    meeting = meeting or TeamMeeting(team=team, created_by=user)
    for name in ("held_at", "place", "agenda", "minutes", "decisions"):
        setattr(meeting, name, getattr(data, name))
    meeting.save()
    meeting.attendees.set([m for m in attendees if m.team_id == team.pk])
    return meeting


# --- the action plan --------------------------------------------------------------------------------------

def plan_for(team: PartnershipTeam, year: int) -> ActionPlan | None:
    if team.school_id is None:
        return None
    plan, _created = ActionPlan.objects.get_or_create(school_id=team.school_id, year=year)
    return plan


@dataclass(frozen=True)
class ActivityInput:
    action: str
    owner: str
    due: dt.date
    target_families: str
    measure: str


def _check(data: ActivityInput) -> None:
    missing = [label for label, value in ((_("activity"), data.action), (_("owner"), data.owner),
                                          (_("families to reach"), data.target_families),
                                          (_("measure of success"), data.measure)) if not value.strip()]
    if missing:
        raise TeamError(_("Fill in: %(fields)s.") % {"fields": ", ".join(missing)})


@transaction.atomic
def activity_from_item(*, team: PartnershipTeam, item: ActionItem, data: ActivityInput) -> ActionItem:
    """Turn a self-assessment's action item into an activity of the team's plan (the same row, completed)."""
    if team.school_id is None or item.plan.school_id != team.school_id:
        raise TeamError(_("This item belongs to another school's plan."))
    _check(data)
    item.action, item.owner, item.due, item.measure = (data.action.strip(), data.owner.strip(), data.due,
                                                       data.measure.strip())
    item.save(update_fields=["action", "owner", "due", "measure"])
    ActivityDetail.objects.update_or_create(item=item, defaults={"team": team,
                                                                 "target_families": data.target_families.strip()})
    return item


@transaction.atomic
def activity_add(*, team: PartnershipTeam, year: int, data: ActivityInput) -> ActionItem:
    """An activity the team plans directly (no self-assessment item behind it)."""
    plan = plan_for(team, year)
    if plan is None:
        raise TeamError(_("Only a school team keeps an action plan."))
    _check(data)
    item = ActionItem.objects.create(plan=plan, assessment=None, item_key="", rating=0)
    return activity_from_item(team=team, item=item, data=data)


def plan_rows(team: PartnershipTeam, year: int) -> tuple[list[ActionItem], list[ActionItem]]:
    """(activities, self-assessment items still waiting to become activities) of the team's plan."""
    if team.school_id is None:
        return [], []
    items = list(ActionItem.objects.filter(plan__school_id=team.school_id, plan__year=year).select_related(
        "programs_detail", "assessment__instrument").order_by("due", "id"))
    planned = [i for i in items if hasattr(i, "programs_detail")]
    waiting = [i for i in items if not hasattr(i, "programs_detail")]
    return planned, waiting
