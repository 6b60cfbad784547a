"""Survey reads, each starting from the user's scope (homeroom.access.scoping)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from homeroom.access import scoping
from homeroom.core.models import Role
from homeroom.roster.models import School, Staff, Student
from homeroom.surveys.models import ActionPlan, Assessment, Instrument, Invitation, Kind, Survey, Team

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


def family_children(user: Any) -> list[Student]:
    """A signed-in guardian's children (only those they hold rights for, as scoping decides)."""
    return list(scoping.students_for(user).select_related("school"))


def family_surveys(user: Any) -> list[tuple[Survey, bool]]:
    """Open surveys for a signed-in family: those offered in the portal at a child's school, and those it was
    sent a link for; each with whether the family has answered."""
    children = family_children(user)
    if not children:
        return []
    schools = {child.school_id for child in children}
    districts = {child.district_id for child in children}
    invited = Invitation.objects.filter(students__in=children, survey__is_open=True)
    answered = set(invited.filter(responded=True).values_list("survey_id", flat=True))
    surveys = Survey.objects.filter(is_open=True).filter(
        Q(in_portal=True, school_id__in=schools) | Q(in_portal=True, school=None, district_id__in=districts)
        | Q(pk__in=invited.filter(times_sent__gt=0).values("survey_id"))
    ).select_related("instrument", "school").distinct()
    return [(survey, survey.pk in answered) for survey in surveys]


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


def staff_cards_for(user: Any) -> QuerySet[Survey]:
    """Open staff feedback cards a signed-in staff member may answer: those for a school they work in, and
    district-wide ones of their district."""
    scope = scoping.scope_for(user)
    if not scope.is_staff_member:
        return Survey.objects.none()
    condition = Q(school__in=scoping.schools_for(user)) | Q(school=None, district_id=staff_district_id(user) or 0)
    return Survey.objects.filter(condition, instrument__kind=Kind.STAFF, is_open=True).select_related(
        "school", "instrument")


def member_teams(user: Any) -> QuerySet[Team]:
    """Teams the user belongs to as a staff or family member (leading a school is not membership)."""
    scope = scoping.scope_for(user)
    if not (scope.staff_id or scope.guardian_id):
        return Team.objects.none()
    return Team.objects.filter(Q(staff__id=scope.staff_id or 0) | Q(guardians__id=scope.guardian_id or 0)).distinct()
