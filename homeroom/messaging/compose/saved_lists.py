"""Saved lists: a staff member's own named groups of families (stored as their children), always within scope.

A list keeps students; their guardians with family access are who a message to the list reaches. Members are
re-checked against the owner's scope every time the list is shown or used (`audiences.audience_students`), so a
child who left the owner's classes silently drops out of every later send.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet

from homeroom.access import scoping
from homeroom.messaging.compose.audiences import grade_codes
from homeroom.messaging.models import SavedList
from homeroom.roster.models import Enrollment, EnrollmentRole, Student, StudentGuardian

CANDIDATE_LIMIT = 200  # families shown at once in the picker; a filter narrows the rest


@dataclass(frozen=True)
class CandidateFilter:
    """What the picker shows: families at one school, in one class, in one grade, or matching a name."""

    school_id: int | None = None
    section_id: int | None = None
    grade: str = ""
    query: str = ""


# --- Reads -----------------------------------------------------------------


def saved_lists_for(user: Any) -> QuerySet[SavedList]:
    """The user's own lists; nobody else's, whatever their role."""
    scope = scoping.scope_for(user)
    if not scope.is_staff_member or scope.staff_id is None:
        return SavedList.objects.none()
    return SavedList.objects.filter(owner_id=scope.staff_id)


def saved_lists_with_counts(user: Any) -> QuerySet[SavedList]:
    """The user's lists with how many families each holds and how many the user can still reach."""
    reachable = scoping.staff_students_for(user).values("id")
    return saved_lists_for(user).annotate(
        member_count=Count("students", distinct=True),
        reachable_count=Count("students", filter=Q(students__in=reachable), distinct=True),
    ).annotate(unreachable_count=F("member_count") - F("reachable_count"))


def _with_family(students: QuerySet[Student]) -> QuerySet[Student]:
    """Each student with the guardians a message would reach (the same custody rule as planning)."""
    links = (
        StudentGuardian.objects.filter(scoping.family_access(), guardian__is_active=True)
        .select_related("guardian")
        .order_by("-is_primary", "guardian__family_name", "guardian__given_name")
    )
    return (
        students.select_related("school")
        .prefetch_related(Prefetch("guardian_links", queryset=links, to_attr="family_links"))
        .order_by("school__name", "family_name", "given_name", "id")
    )


def saved_list_students(user: Any, student_ids: Iterable[int]) -> list[Student]:
    """The given students that the user may reach, with their families; any others are left out."""
    ids = {int(pk) for pk in student_ids}
    if not ids:
        return []
    return list(_with_family(scoping.staff_students_for(user).filter(id__in=ids)))


def saved_list_members(user: Any, saved_list: SavedList) -> list[Student]:
    """The list's members the user may still reach."""
    return saved_list_students(user, saved_list.students.values_list("id", flat=True))


def saved_list_unreachable_count(user: Any, saved_list: SavedList) -> int:
    """Members the user can no longer reach (left their classes, moved school): no message goes to them."""
    return saved_list.students.exclude(id__in=scoping.staff_students_for(user).values("id")).count()


def saved_list_candidates(
    user: Any, *, filters: CandidateFilter, exclude_ids: Iterable[int] = (), limit: int | None = None
) -> tuple[list[Student], bool]:
    """Families the user may add, narrowed by `filters`: (the first `limit` of them, whether there are more)."""
    limit = limit or CANDIDATE_LIMIT
    students = scoping.staff_students_for(user)
    if filters.school_id:
        students = students.filter(school_id=filters.school_id)
    if filters.section_id:
        # Only a class the user may see narrows the list; another class id finds nobody.
        sections = scoping.sections_for(user).filter(id=filters.section_id).values("id")
        enrolled = Enrollment.objects.filter(
            section_id__in=sections, is_active=True, role=EnrollmentRole.STUDENT
        ).values("student_id")
        students = students.filter(id__in=enrolled)
    if filters.grade:
        students = students.filter(grade__in=grade_codes([filters.grade]))
    for term in filters.query.split()[:4]:
        guardian_match = StudentGuardian.objects.filter(
            Q(guardian__given_name__icontains=term) | Q(guardian__family_name__icontains=term),
            is_active=True,
            guardian__is_active=True,
        ).values("student_id")
        students = students.filter(
            Q(given_name__icontains=term)
            | Q(family_name__icontains=term)
            | Q(preferred_name__icontains=term)
            | Q(id__in=guardian_match)
        )
    excluded = {int(pk) for pk in exclude_ids}
    if excluded:
        students = students.exclude(id__in=excluded)
    rows = list(_with_family(students)[: limit + 1])
    return rows[:limit], len(rows) > limit


# --- Writes (callers pass students already fetched through the owner's scope) -------------------------------


@transaction.atomic
def saved_list_create(*, owner_id: int, name: str, students: Iterable[Student]) -> SavedList:
    saved_list = SavedList.objects.create(owner_id=owner_id, name=name.strip())
    saved_list.students.set(list(students))
    return saved_list


@transaction.atomic
def saved_list_update(*, saved_list: SavedList, name: str, students: Iterable[Student]) -> SavedList:
    """Renames the list and makes `students` its members (members the owner can no longer reach drop out)."""
    saved_list.name = name.strip()
    saved_list.save(update_fields=["name"])
    saved_list.students.set(list(students))
    return saved_list


def saved_list_delete(*, saved_list: SavedList) -> None:
    saved_list.delete()
