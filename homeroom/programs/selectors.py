"""Reads for the programs app, each starting from the user's scope (access.scoping)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from homeroom.access import scoping
from homeroom.programs.models import Event, HomeVisit, PartnershipTeam
from homeroom.roster.models import Caseload, School
from homeroom.surveys.selectors import member_teams


def _district_ids(user: Any) -> set[int]:
    scope = scoping.scope_for(user)
    if scope.staff_id is not None:
        return set(scoping.staff_for(user).values_list("district_id", flat=True).distinct()[:1])
    if scope.guardian_district_id is not None:
        return {scope.guardian_district_id}
    return set()


def led_schools(user: Any) -> QuerySet[School]:
    """Schools whose teams, events and reports the user runs: district administrators, principals, school staff."""
    scope = scoping.scope_for(user)
    if not scope.is_staff_member:
        return School.objects.none()
    if scope.district_ids:
        return School.objects.filter(district_id__in=scope.district_ids, is_active=True)
    return School.objects.filter(pk__in=scope.school_ids, is_active=True)


def runs_district_teams(user: Any) -> bool:
    return bool(scoping.scope_for(user).district_ids)


def teams_for(user: Any) -> QuerySet[PartnershipTeam]:
    """Staff: their schools' teams and their district's teams. Families: the teams they belong to."""
    scope = scoping.scope_for(user)
    if scope.is_staff_member:
        return PartnershipTeam.objects.filter(
            Q(school__in=scoping.schools_for(user)) | Q(school__isnull=True, district_id__in=_district_ids(user)))
    if scope.is_guardian:
        return PartnershipTeam.objects.filter(memberships__guardian_id=scope.guardian_id or 0).distinct()
    return PartnershipTeam.objects.none()


def assessment_team_rated_by(user: Any, team: PartnershipTeam) -> int | None:
    """The team's self-assessment team (surveys.Team) when the user rates its self-assessments, i.e. is a current
    member of it (the mirror keeps only members whose term has not ended); None otherwise."""
    if team.assessment_team_id is None:
        return None
    found = member_teams(user).filter(pk=team.assessment_team_id).exists()
    return team.assessment_team_id if found else None


def teams_led_by(user: Any) -> QuerySet[PartnershipTeam]:
    """Teams the user may change: those of schools they lead, district teams for district administrators."""
    condition = Q(school__in=led_schools(user))
    if runs_district_teams(user):
        condition |= Q(school__isnull=True, district_id__in=scoping.scope_for(user).district_ids)
    staff_id = scoping.scope_for(user).staff_id
    if staff_id is not None:
        condition |= Q(memberships__staff_id=staff_id, memberships__role__in=["chair", "co_chair", "secretary"])
    return PartnershipTeam.objects.filter(condition).distinct()


def events_for(user: Any) -> QuerySet[Event]:
    """Staff: events of schools they see and district-wide ones. Families: their children's schools' events."""
    scope = scoping.scope_for(user)
    if scope.is_staff_member:
        return Event.objects.filter(Q(school__in=scoping.schools_for(user))
                                    | Q(school__isnull=True, district_id__in=_district_ids(user)))
    if scope.is_guardian:
        schools = scoping.students_for(user).values("school_id")
        return Event.objects.filter(Q(school_id__in=schools)
                                    | Q(school__isnull=True, district_id=scope.guardian_district_id or 0))
    return Event.objects.none()


def events_run_by(user: Any) -> QuerySet[Event]:
    condition = Q(school__in=led_schools(user))
    if runs_district_teams(user):
        condition |= Q(school__isnull=True, district_id__in=scoping.scope_for(user).district_ids)
    return Event.objects.filter(condition)


def upcoming(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.filter(cancelled_at__isnull=True, ends_at__gte=timezone.now()).order_by("starts_at")


def visits_for(user: Any) -> QuerySet[HomeVisit]:
    """Home visits whose existence the user may see: visits to students in their scope."""
    if not scoping.scope_for(user).is_staff_member:
        return HomeVisit.objects.none()
    return HomeVisit.objects.filter(student__in=scoping.staff_students_for(user))


def may_read_visit_note(user: Any, visit: HomeVisit) -> bool:
    """The note is for the two visitors and the student's case managers; others only when the family agreed."""
    scope = scoping.scope_for(user)
    if not scope.is_staff_member or scope.staff_id is None:
        return False
    if scope.staff_id in (visit.visitor_one_id, visit.visitor_two_id):
        return True
    if Caseload.objects.filter(staff_id=scope.staff_id, student_id=visit.student_id, is_active=True).exists():
        return True
    return visit.note_shared and visits_for(user).filter(pk=visit.pk).exists()
