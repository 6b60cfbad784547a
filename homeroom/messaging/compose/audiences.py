"""Who a message is for: an audience description resolved to students, within the sender's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.messaging.models import AudienceKind, SavedList
from homeroom.roster.models import Student

MIXED = "mixed"  # several parts (the picker's chips of different kinds): {"kind": "mixed", "parts": [...]}


class AudienceError(ValueError):
    """The sender may not reach this audience, or it is malformed; the text is for the sender."""


def audience_kinds(audience: dict[str, Any]) -> set[str]:
    """The kinds an audience is made of (one, or each part's of a mixed audience)."""
    if audience.get("kind") == MIXED:
        return {str(part.get("kind")) for part in audience.get("parts", []) if isinstance(part, dict)}
    return {str(audience.get("kind"))}


def _ids(audience: dict[str, Any], key: str) -> list[int]:
    try:
        return [int(v) for v in audience.get(key, [])]
    except (TypeError, ValueError) as exc:
        raise AudienceError(_("The audience is not valid.")) from exc


def grade_codes(grades: list[Any]) -> list[str]:
    """The roster's codes for the grades a sender typed: "5" matches OneRoster's "05", "kg" matches "KG"."""
    codes: set[str] = set()
    for grade in grades:
        text = str(grade).strip()
        if not text:
            continue
        codes.update({text, text.upper()})
        if text.isdigit():
            codes.update({str(int(text)), f"{int(text):02d}"})
    return sorted(codes)


def audience_students(user: Any, audience: dict[str, Any]) -> QuerySet[Student]:
    """Students the audience covers, never outside what the sender may reach (teacher: their classes, etc.)."""
    scope = scoping.scope_for(user)
    if not scope.is_staff_member:
        raise AudienceError(_("Only staff may send messages."))
    kind = audience.get("kind")
    reachable = scoping.staff_students_for(user)
    if kind == MIXED:
        parts = audience.get("parts")
        if not isinstance(parts, list) or not parts or any(
                not isinstance(p, dict) or p.get("kind") == MIXED for p in parts):
            raise AudienceError(_("The audience is not valid."))
        return reachable.filter(id__in=scoping.union_of(
            [audience_students(user, part).order_by().values("id") for part in parts])).distinct()
    if kind == AudienceKind.DISTRICT:
        if not scope.district_ids:
            raise AudienceError(_("Only district administrators may message the whole district."))
        return reachable.filter(district_id__in=scope.district_ids)
    if kind in (AudienceKind.SCHOOLS, AudienceKind.GRADES):
        school_ids = set(_ids(audience, "schools"))
        allowed = set(scoping.schools_for(user).values_list("id", flat=True)) if scope.district_ids else set(
            scope.school_ids
        )
        if not school_ids or not school_ids <= allowed:
            raise AudienceError(_("You may only message schools you lead."))
        students = reachable.filter(school_id__in=school_ids)
        if kind == AudienceKind.GRADES:
            raw_grades = audience.get("grades", [])
            if not isinstance(raw_grades, list):
                raise AudienceError(_("The audience is not valid."))
            grades = grade_codes(raw_grades)
            if not grades:
                raise AudienceError(_("Choose at least one grade."))
            students = students.filter(grade__in=grades)
        return students
    if kind == AudienceKind.SECTIONS:
        section_ids = set(_ids(audience, "sections"))
        allowed_sections = set(scoping.sections_for(user).filter(id__in=section_ids).values_list("id", flat=True))
        if not section_ids or section_ids != allowed_sections:
            raise AudienceError(_("You may only message your own classes."))
        return reachable.filter(
            enrollments__section_id__in=section_ids, enrollments__is_active=True, enrollments__role="student"
        ).distinct()
    if kind == AudienceKind.CASELOAD:
        if not scope.case_manager:
            raise AudienceError(_("Only case managers have a caseload."))
        return reachable.filter(case_managers__staff_id=scope.staff_id or 0, case_managers__is_active=True).distinct()
    if kind == AudienceKind.LIST:
        list_ids = _ids(audience, "lists")
        lists = SavedList.objects.filter(id__in=list_ids, owner_id=scope.staff_id)
        if not list_ids or lists.count() != len(set(list_ids)):
            raise AudienceError(_("Choose one of your saved lists."))
        return reachable.filter(id__in=lists.values("students"))
    if kind == AudienceKind.FAMILY:
        student_ids = _ids(audience, "students")
        students = reachable.filter(id__in=student_ids)
        if not student_ids or students.count() != len(set(student_ids)):
            raise AudienceError(_("Choose a student you work with."))
        return students
    raise AudienceError(_("Choose who the message is for."))
