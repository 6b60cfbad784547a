"""The one permission layer: which schools, sections, students and guardians a user may see.

Every view, selector, export and API call starts from these functions. Out-of-scope objects are
reported as missing (404), never as forbidden, so that their existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from homeroom.core.models import Role
from homeroom.roster.models import (
    Caseload,
    District,
    Enrollment,
    Guardian,
    Household,
    School,
    Section,
    Staff,
    StaffRole,
    Student,
    StudentGuardian,
)

STAFF_ROLES_WITH_SCHOOL_SCOPE = {Role.PRINCIPAL, Role.SOCIAL_WORKER, Role.STAFF}
RESTRICTED_FIELD_ROLES = {Role.DISTRICT_ADMIN, Role.PRINCIPAL, Role.CASE_MANAGER, Role.SOCIAL_WORKER}


@dataclass(frozen=True)
class Scope:
    """What one signed-in user holds; computed once per request."""

    user_id: int | None
    staff_id: int | None = None
    guardian_id: int | None = None
    guardian_district_id: int | None = None  # the district whose languages the family's pages offer
    district_ids: frozenset[int] = frozenset()  # district administrators
    school_ids: frozenset[int] = frozenset()  # principals, social workers, school staff
    principal_school_ids: frozenset[int] = frozenset()  # schools where the user is the principal
    teacher: bool = False
    case_manager: bool = False
    roles: frozenset[str] = field(default_factory=frozenset)
    is_superuser: bool = False

    @property
    def is_staff_member(self) -> bool:
        return self.staff_id is not None and bool(self.roles)

    @property
    def is_guardian(self) -> bool:
        return self.guardian_id is not None


ANONYMOUS = Scope(user_id=None)


def scope_for(user: Any) -> Scope:
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_homeroom_scope", None)
    if cached is not None:
        return cached
    staff = Staff.objects.filter(user=user, is_active=True).only("id", "district_id").first()
    guardian_id, guardian_district_id = Guardian.objects.filter(user=user, is_active=True).values_list(
        "id", "district_id").first() or (None, None)
    districts: set[int] = set()
    schools: set[int] = set()
    principal_schools: set[int] = set()
    roles: set[str] = set()
    if staff is not None:
        for role, school_id in StaffRole.objects.filter(staff=staff, is_active=True).values_list("role", "school_id"):
            roles.add(role)
            if role == Role.DISTRICT_ADMIN:
                districts.add(staff.district_id)
            elif role in STAFF_ROLES_WITH_SCHOOL_SCOPE and school_id:
                schools.add(school_id)
                if role == Role.PRINCIPAL:
                    principal_schools.add(school_id)
    scope = Scope(
        user_id=user.pk,
        staff_id=staff.pk if staff else None,
        guardian_id=guardian_id,
        guardian_district_id=guardian_district_id,
        district_ids=frozenset(districts),
        school_ids=frozenset(schools),
        principal_school_ids=frozenset(principal_schools),
        teacher=Role.TEACHER in roles,
        case_manager=Role.CASE_MANAGER in roles,
        roles=frozenset(roles),
        is_superuser=bool(user.is_superuser),
    )
    user._homeroom_scope = scope
    return scope


def require_staff(user: Any) -> Scope:
    scope = scope_for(user)
    if not scope.is_staff_member:
        raise PermissionDenied
    return scope


def require_role(user: Any, *roles: str) -> Scope:
    scope = require_staff(user)
    if not scope.roles.intersection(roles):
        raise PermissionDenied
    return scope


def require_guardian(user: Any) -> Scope:
    scope = scope_for(user)
    if not scope.is_guardian:
        raise PermissionDenied
    return scope


def administered_district(user: Any) -> District:
    """The district a district administrator runs (403 for anyone else).

    A staff record belongs to one district, so a district administrator's scope names exactly one; pages that
    edit district-wide settings (letters, checklists, the calendar, messaging settings) ask here.
    """
    scope = require_role(user, Role.DISTRICT_ADMIN)
    return District.objects.get(pk=min(scope.district_ids))


def family_access(prefix: str = "") -> Q:
    """The custody rule, in one place: a guardian hears about a child, and may see its records, only through a link
    that is active, carries educational rights and allows information to be shared.

    `prefix` is the path from the queried model to StudentGuardian: "" on StudentGuardian itself,
    "student_links__" from Guardian, "guardian_links__" from Student.
    """
    return Q(**{f"{prefix}{name}": True for name in StudentGuardian.FAMILY_ACCESS_FIELDS})


def _student_filter(scope: Scope) -> Q | None:
    """A Q over Student, or None when the scope holds nothing.

    The teacher, case-manager and guardian paths are each a subquery of student ids, joined by UNION: ORing
    the joins themselves makes PostgreSQL hash-join the whole district's enrolments (seconds at 100,000
    students), while the union starts from the user's own sections, caseload or children and stays small.
    """
    parts: list[Q] = []
    if scope.district_ids:
        parts.append(Q(district_id__in=scope.district_ids))
    if scope.school_ids:
        parts.append(Q(school_id__in=scope.school_ids))
    paths: list[QuerySet[Any]] = []
    if scope.teacher and scope.staff_id:
        paths.append(Enrollment.objects.filter(
            is_active=True,
            section__is_active=True,
            section__enrollments__staff_id=scope.staff_id,
            section__enrollments__is_active=True,
            student__isnull=False,
        ).values("student_id"))
    if scope.case_manager and scope.staff_id:
        paths.append(Caseload.objects.filter(staff_id=scope.staff_id, is_active=True).values("student_id"))
    if scope.guardian_id:
        paths.append(StudentGuardian.objects.filter(family_access(), guardian_id=scope.guardian_id).values(
            "student_id"))
    if paths:
        parts.append(Q(id__in=union_of(paths)))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def union_of(querysets: list[QuerySet[Any]]) -> QuerySet[Any]:
    """One subquery of ids from several (UNION, which also removes duplicates)."""
    first, *rest = querysets
    return first.union(*rest) if rest else first


def students_for(user: Any) -> QuerySet[Student]:
    """Active students the user may see (a guardian: own children with rights)."""
    scope = scope_for(user)
    condition = _student_filter(scope)
    if condition is None:
        return Student.objects.none()
    # No joins in the condition (see _student_filter): one row per student without a subquery or DISTINCT.
    return Student.objects.filter(condition, is_active=True)


def staff_students_for(user: Any) -> QuerySet[Student]:
    """Students the user may see as staff (ignores any guardian role the same person holds)."""
    scope = scope_for(user)
    if not scope.is_staff_member:
        return Student.objects.none()
    staff_scope = Scope(**{**scope.__dict__, "guardian_id": None})
    condition = _student_filter(staff_scope)
    if condition is None:
        return Student.objects.none()
    return Student.objects.filter(condition, is_active=True)


def staff_students_named_for(user: Any) -> QuerySet[Student]:
    """Students whose names the user may see on a record that lists several (a contact, a delivery).

    The staff scope, with students who have since left it still named where the scope is a school or the
    district (a past month's log still names them); a record about students in two schools names to each
    school only its own.
    """
    scope = scope_for(user)
    if not scope.is_staff_member:
        return Student.objects.none()
    condition = _student_filter(Scope(**{**scope.__dict__, "guardian_id": None}))
    if condition is None:
        return Student.objects.none()
    return Student.objects.filter(condition)


def guardians_for(user: Any) -> QuerySet[Guardian]:
    """Guardians linked to students the user may see as staff; a guardian sees only themself."""
    scope = scope_for(user)
    if scope.is_staff_member:
        if scope.district_ids:
            return Guardian.objects.filter(district_id__in=scope.district_ids, is_active=True)
        ids = Guardian.objects.filter(
            student_links__student__in=staff_students_for(user), student_links__is_active=True, is_active=True
        ).values("id")
        return Guardian.objects.filter(id__in=ids)
    if scope.guardian_id:
        return Guardian.objects.filter(id=scope.guardian_id)
    return Guardian.objects.none()


def households_for(user: Any) -> QuerySet[Household]:
    scope = scope_for(user)
    if not scope.is_staff_member:
        return Household.objects.none()
    return Household.objects.filter(
        id__in=staff_students_for(user).exclude(household=None).values("household_id")
    ) | Household.objects.filter(id__in=guardians_for(user).exclude(household=None).values("household_id"))


def schools_for(user: Any) -> QuerySet[School]:
    scope = scope_for(user)
    if scope.district_ids:
        return School.objects.filter(district_id__in=scope.district_ids, is_active=True)
    if not scope.is_staff_member:
        return School.objects.none()
    ids = set(scope.school_ids)
    ids.update(staff_students_for(user).exclude(school=None).values_list("school_id", flat=True).distinct())
    if scope.teacher:
        ids.update(sections_for(user).values_list("school_id", flat=True).distinct())
    return School.objects.filter(id__in=ids, is_active=True)


def sections_for(user: Any) -> QuerySet[Section]:
    scope = scope_for(user)
    if not scope.is_staff_member:
        return Section.objects.none()
    condition = Q(pk__in=[])
    if scope.district_ids:
        condition |= Q(district_id__in=scope.district_ids)
    if scope.school_ids:
        condition |= Q(school_id__in=scope.school_ids)
    if (scope.teacher or scope.case_manager) and scope.staff_id is not None:
        condition |= Q(
            id__in=Section.objects.filter(enrollments__staff_id=scope.staff_id, enrollments__is_active=True).values(
                "id"
            )
        )
    return Section.objects.filter(condition, is_active=True)


def staff_for(user: Any) -> QuerySet[Staff]:
    """Staff whose names and contact details the user may see (their district's active staff)."""
    scope = scope_for(user)
    if not scope.is_staff_member or scope.staff_id is None:
        return Staff.objects.none()
    district_id = Staff.objects.filter(pk=scope.staff_id).values_list("district_id", flat=True)
    return Staff.objects.filter(district_id__in=district_id, is_active=True)


def may_see_restricted(user: Any) -> bool:
    """Demographics, custody notes and birth dates: administrators, principals, case managers, social workers."""
    return bool(scope_for(user).roles.intersection(RESTRICTED_FIELD_ROLES))


def get_in_scope(queryset: QuerySet[Any], **lookup: Any) -> Any:
    """Fetch one object from an already-scoped queryset, or 404."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
