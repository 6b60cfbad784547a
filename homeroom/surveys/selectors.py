"""Survey reads, each starting from the user's scope (homeroom.core.scoping)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from homeroom.core import scoping
from homeroom.core.models import Role
from homeroom.roster.models import School, Staff
from homeroom.surveys.models import ActionPlan, Assessment, Instrument, Survey, Team

LEADERS = (Role.PRINCIPAL, Role.DISTRICT_ADMIN)


def staff_district_id(user: Any) -> int | None:
    scope = scoping.scope_for(user)
    return Staff.objects.filter(pk=scope.staff_id or 0).values_list("district_id", flat=True).first()


def led_schools(user: Any) -> QuerySet[School]:
    """Schools whose surveys and plans the user runs: a district admin's district, a principal's schools."""
    scope = scoping.scope_for(user)
    schools = scoping.schools_for(user)
    if scope.district_ids:
        return schools
    return schools.filter(pk__in=scope.principal_school_ids)


def instruments_for(user: Any) -> QuerySet[Instrument]:
    """Shipped instruments and the user's district's own."""
    return Instrument.objects.filter(Q(district=None) | Q(district_id=staff_district_id(user) or 0))


def surveys_for(user: Any) -> QuerySet[Survey]:
    scope = scoping.scope_for(user)
    condition = Q(school__in=led_schools(user))
    if scope.district_ids:
        condition |= Q(school=None, district_id__in=scope.district_ids)
    return Survey.objects.filter(condition).select_related("school", "instrument")


def teams_for(user: Any) -> QuerySet[Team]:
    """Teams of the schools the user leads, and teams the user is a member of (staff or family)."""
    scope = scoping.scope_for(user)
    condition = Q(school__in=led_schools(user))
    if scope.staff_id:
        condition |= Q(staff__id=scope.staff_id)
    if scope.guardian_id:
        condition |= Q(guardians__id=scope.guardian_id)
    return Team.objects.filter(pk__in=Team.objects.filter(condition).values("pk")).select_related("school")


def assessments_for(user: Any) -> QuerySet[Assessment]:
    return Assessment.objects.filter(team__in=teams_for(user)).select_related("team", "school", "instrument")


def plans_for(user: Any) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.filter(
        Q(school__in=led_schools(user)) | Q(school__in=teams_for(user).values("school"))
    ).select_related("school")


def is_leader(user: Any, school_id: int) -> bool:
    return led_schools(user).filter(pk=school_id).exists()
