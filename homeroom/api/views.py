"""The JSON API (django-ninja): read-only roster endpoints over the same scoping layer as the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from homeroom.access import scoping
from homeroom.access.access_log import record_student_access
from homeroom.api.docs import staff_only_docs
from homeroom.api.schemas import (
    ErrorOut,
    GuardianLinkOut,
    MeOut,
    SchoolOut,
    StudentDetailOut,
    StudentOut,
    StudentRestrictedOut,
)
from homeroom.roster.models import Student
from homeroom.roster.selectors import current_guardian_links

api = NinjaAPI(
    title="Homeroom API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_decorator=staff_only_docs,
    description="Read access to the roster a signed-in staff member may see. Every call is scoped.",
)
roster = Router(tags=["roster"])


class AccessLoggedPagination(LimitOffsetPagination):
    """Limit/offset pages of students; the students of each page are written to the FERPA access log."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        items = list(page[self.items_attribute])
        record_student_access(user=request.user, student_ids=[s.pk for s in items], action="api_student_list")
        page[self.items_attribute] = items
        return page


def _staff(request: HttpRequest) -> scoping.Scope:
    scope = scoping.scope_for(request.user)
    if not scope.is_staff_member:
        raise HttpError(403, "Staff only")
    return scope


def _student_viewed(request: HttpRequest, student_id: int, action: str) -> Student | None:
    """The staff member's in-scope student, with the view written to the access log; None when out of scope."""
    _staff(request)
    try:
        obj = scoping.get_in_scope(scoping.staff_students_for(request.user), pk=student_id)
    except Http404:
        return None
    record_student_access(user=request.user, student_ids=[obj.pk], action=action)
    return obj


@api.get("/me", response=MeOut, url_name="me")
def me(request: HttpRequest) -> dict[str, Any]:
    scope = scoping.scope_for(request.user)
    return {"email": getattr(request.user, "email", ""), "roles": sorted(scope.roles), "is_guardian": scope.is_guardian}


@roster.get("/schools", response=list[SchoolOut], url_name="schools")
def schools(request: HttpRequest) -> Any:
    _staff(request)
    return scoping.schools_for(request.user).order_by("name")


@roster.get("/students", response=list[StudentOut], url_name="students")
@paginate(AccessLoggedPagination)
def students(request: HttpRequest, school: int | None = None, grade: str | None = None) -> Any:
    _staff(request)
    qs = scoping.staff_students_for(request.user).order_by("family_name", "given_name", "id")
    if school is not None:
        qs = qs.filter(school_id=school)
    if grade:
        qs = qs.filter(grade=grade)
    return qs


@roster.get("/students/{int:student_id}", response={200: StudentDetailOut, 404: ErrorOut}, url_name="student")
def student(request: HttpRequest, student_id: int) -> Any:
    obj = _student_viewed(request, student_id, "api_student")
    if obj is None:
        return Status(404, {"detail": "Not found"})
    data = StudentOut.from_orm(obj).dict()
    if scoping.may_see_restricted(request.user):
        data["restricted"] = StudentRestrictedOut.from_orm(obj).dict()
    return data


@roster.get(
    "/students/{int:student_id}/guardians", response={200: list[GuardianLinkOut], 404: ErrorOut}, url_name="guardians"
)
def student_guardians(request: HttpRequest, student_id: int) -> Any:
    """The student's current guardians, as the student page lists them (ended links are never returned)."""
    obj = _student_viewed(request, student_id, "api_student_guardians")
    if obj is None:
        return Status(404, {"detail": "Not found"})
    links = current_guardian_links().filter(student=obj)
    return [
        {
            "guardian_id": link.guardian_id,
            "given_name": link.guardian.given_name,
            "family_name": link.guardian.family_name,
            "relationship": link.relationship,
            "language": link.guardian.language,
            "has_educational_rights": link.has_educational_rights,
            "may_receive_information": link.may_receive_information,
            "lives_with": link.lives_with,
            "channel_order": link.guardian.channel_order,
        }
        for link in links
    ]


api.add_router("/roster", roster)
