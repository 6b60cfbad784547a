"""Reads for the family portal, always starting from access.scoping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from homeroom.access import scoping
from homeroom.core.models import Role
from homeroom.portal.models import ChildProfile, FamilyDocument, Feedback, GlossaryTerm, GuideEntry, SectionNote
from homeroom.roster.models import (
    Enrollment,
    EnrollmentRole,
    LineItem,
    Result,
    ScoreStatus,
    Section,
    Staff,
    StaffRole,
    Student,
)

UPCOMING_DAYS = 14
RECENT_SCORES = 5
DONE_STATUSES = {ScoreStatus.SUBMITTED, ScoreStatus.FULLY_GRADED, ScoreStatus.PARTIALLY_GRADED, ScoreStatus.EXEMPT}


def children_for(user: Any) -> QuerySet[Student]:
    """The guardian's children: only those with educational AND information rights (access.scoping)."""
    return scoping.students_for(user).select_related("school").order_by("given_name", "family_name")


def child_for(user: Any, pk: int) -> Student:
    return scoping.get_in_scope(children_for(user), pk=pk)


def _active_sections(student: Student) -> QuerySet[Section]:
    return Section.objects.filter(
        is_active=True, enrollments__student=student, enrollments__is_active=True
    ).distinct().order_by("title")


def _teachers_by_section(section_ids: list[int]) -> dict[int, list[Staff]]:
    found: dict[int, list[Staff]] = {sid: [] for sid in section_ids}
    rows = Enrollment.objects.filter(
        section_id__in=section_ids, role=EnrollmentRole.TEACHER, is_active=True, staff__is_active=True
    ).select_related("staff").order_by("-primary", "staff__family_name")
    for enrollment in rows:
        if enrollment.staff is not None:
            found[enrollment.section_id].append(enrollment.staff)
    return found


@dataclass
class ChildSummary:
    student: Student
    missing: int
    upcoming: int


def child_summaries(user: Any) -> list[ChildSummary]:
    """One card per child, across all the family's schools."""
    now = timezone.now()
    summaries = []
    for student in children_for(user):
        sections = _active_sections(student)
        missing = _missing_results(student, sections).count()
        upcoming = _upcoming_items(student, sections, now).count()
        summaries.append(ChildSummary(student=student, missing=missing, upcoming=upcoming))
    return summaries


def _missing_results(student: Student, sections: QuerySet[Section]) -> QuerySet[Result]:
    return Result.objects.filter(
        student=student,
        is_active=True,
        line_item__is_active=True,
        line_item__section__in=sections,
        score_status=ScoreStatus.NOT_SUBMITTED,
    ).filter(Q(line_item__due_date__lte=timezone.now()) | Q(line_item__due_date=None))


def _upcoming_items(student: Student, sections: QuerySet[Section], now: dt.datetime) -> QuerySet[LineItem]:
    done = Result.objects.filter(student=student, is_active=True, score_status__in=DONE_STATUSES).values(
        "line_item_id"
    )
    return LineItem.objects.filter(
        section__in=sections,
        is_active=True,
        due_date__gte=now,
        due_date__lte=now + dt.timedelta(days=UPCOMING_DAYS),
    ).exclude(id__in=done)


@dataclass
class SectionGrades:
    section: Section
    teachers: list[Staff]
    upcoming: list[LineItem]
    missing: list[Result]
    recent: list[Result]
    notes: list[SectionNote] = field(default_factory=list)


def child_grades(student: Student) -> list[SectionGrades]:
    """Per class: upcoming due dates, missing work, recent scores with teacher comments, this week's notes."""
    now = timezone.now()
    sections = list(_active_sections(student))
    teachers = _teachers_by_section([s.pk for s in sections])
    rows = []
    for section in sections:
        one = Section.objects.filter(pk=section.pk)
        recent = (
            Result.objects.filter(
                student=student, is_active=True, line_item__section=section, line_item__is_active=True
            )
            .exclude(score=None, text_score="", comment="")
            .select_related("line_item", "line_item__category")
            .order_by("-score_date", "-line_item__due_date")[:RECENT_SCORES]
        )
        rows.append(
            SectionGrades(
                section=section,
                teachers=teachers.get(section.pk, []),
                upcoming=list(_upcoming_items(student, one, now).order_by("due_date")),
                missing=list(_missing_results(student, one).select_related("line_item")),
                recent=list(recent),
                notes=list(SectionNote.objects.filter(section=section).select_related("author")[:2]),
            )
        )
    return rows


@dataclass
class ChildTeam:
    teachers: list[tuple[Section, Staff]]
    case_managers: list[Staff]
    principals: list[Staff]


def child_team(student: Student) -> ChildTeam:
    """Teachers and staff for the child, with the contact details the roster holds."""
    sections = list(_active_sections(student))
    by_section = _teachers_by_section([s.pk for s in sections])
    teachers = [(section, staff) for section in sections for staff in by_section.get(section.pk, [])]
    case_managers = list(
        Staff.objects.filter(
            is_active=True, caseload__student=student, caseload__is_active=True
        ).distinct()
    )
    principals: list[Staff] = []
    if student.school_id:
        principals = list(
            Staff.objects.filter(
                is_active=True,
                roles__role=Role.PRINCIPAL,
                roles__school_id=student.school_id,
                roles__is_active=True,
            ).distinct()
        )
    return ChildTeam(teachers=teachers, case_managers=case_managers, principals=principals)


def child_profile(student: Student) -> ChildProfile | None:
    return ChildProfile.objects.filter(student=student).select_related("updated_by").first()


def child_profile_for_staff(user: Any, student: Student) -> ChildProfile | None:
    """What the family chose to share, for staff who may see the student (any school year)."""
    if not scoping.staff_students_for(user).filter(pk=student.pk).exists():
        return None
    return ChildProfile.objects.filter(student=student, shared_with_teachers=True).first()


def documents_for(user: Any) -> QuerySet[FamilyDocument]:
    """Documents addressed to this guardian; a child's documents only while the guardian has rights."""
    scope = scoping.scope_for(user)
    if scope.guardian_id is None:
        return FamilyDocument.objects.none()
    children = scoping.students_for(user).values("id")
    return (
        FamilyDocument.objects.filter(guardians__id=scope.guardian_id)
        .filter(Q(student=None) | Q(student_id__in=children))
        .select_related("student")
        .distinct()
    )


def _district_ids_for(user: Any) -> list[int]:
    scope = scoping.scope_for(user)
    ids = set(scoping.students_for(user).values_list("district_id", flat=True))
    if scope.staff_id:
        ids.update(Staff.objects.filter(pk=scope.staff_id).values_list("district_id", flat=True))
    return list(ids)


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _in_language(rows: list[Any], language: str) -> list[Any]:
    """One row per key: the district's own before the shipped one, the reader's language before English."""
    best: dict[str, Any] = {}
    for row in rows:
        rank = (row.district_id is not None, row.language == language)
        current = best.get(row.key)
        if current is None or rank > (current.district_id is not None, current.language == language):
            best[row.key] = row
    return list(best.values())


def guide_entries(user: Any, *, kind: str, topic: str | None = None) -> list[GuideEntry]:
    language = _language()
    qs = GuideEntry.objects.filter(
        Q(district=None) | Q(district_id__in=_district_ids_for(user)), kind=kind, language__in={language, "en"}
    )
    if topic is not None:
        qs = qs.filter(topic=topic)
    return sorted(_in_language(list(qs), language), key=lambda e: (e.position, e.title))


def glossary(user: Any, *, query: str = "") -> list[GlossaryTerm]:
    """Terms in the reader's language; a search matches a term or definition in any language."""
    language = _language()
    qs = GlossaryTerm.objects.filter(Q(district=None) | Q(district_id__in=_district_ids_for(user)))
    query = query.strip()
    if query:
        keys = qs.filter(Q(term__icontains=query) | Q(definition__icontains=query)).values("key")
        qs = qs.filter(key__in=keys)
    rows = _in_language(list(qs.filter(language__in={language, "en"})), language)
    return sorted(rows, key=lambda t: t.term.casefold())


def feedback_schools(user: Any) -> list[Any]:
    """Schools a guardian may write to: their children's schools."""
    seen: dict[int, Any] = {}
    for child in children_for(user):
        if child.school is not None:
            seen[child.school.pk] = child.school
    return list(seen.values())


def feedback_for_staff(user: Any) -> QuerySet[Feedback]:
    """Feedback for the partnership team: a principal's schools, or a district administrator's district."""
    scope = scoping.scope_for(user)
    if scope.staff_id is None:
        return Feedback.objects.none()
    condition = Q(pk__in=[])
    if scope.district_ids:
        condition |= Q(district_id__in=scope.district_ids)
    principal_schools = StaffRole.objects.filter(
        staff_id=scope.staff_id, role=Role.PRINCIPAL, is_active=True
    ).values("school_id")
    condition |= Q(school_id__in=principal_schools)
    return Feedback.objects.filter(condition).select_related("school", "guardian")


def sections_taught_by(user: Any) -> QuerySet[Section]:
    """Classes the user teaches (scoped first), for posting weekly notes."""
    scope = scoping.scope_for(user)
    if scope.staff_id is None:
        return Section.objects.none()
    return (
        scoping.sections_for(user)
        .filter(enrollments__staff_id=scope.staff_id, enrollments__role=EnrollmentRole.TEACHER,
                enrollments__is_active=True)
        .select_related("school")
        .distinct()
        .order_by("title")
    )


def section_notes(section: Section) -> QuerySet[SectionNote]:
    return SectionNote.objects.filter(section=section).select_related("author")


def district_guide_entries(district_id: int, *, kind: str, language: str, keys: tuple[str, ...] = (),
                           topic: str | None = None) -> list[GuideEntry]:
    """Guide entries a district shows anyone (its public pages): the district's own before the shipped ones."""
    language = language.split("-")[0]
    qs = GuideEntry.objects.filter(Q(district=None) | Q(district_id=district_id), kind=kind,
                                   language__in={language, "en"})
    if keys:
        qs = qs.filter(key__in=keys)
    if topic is not None:
        qs = qs.filter(topic=topic)
    return sorted(_in_language(list(qs), language), key=lambda e: (e.position, e.title))


def district_glossary_terms(district_id: int, *, language: str, keys: tuple[str, ...]) -> list[GlossaryTerm]:
    language = language.split("-")[0]
    qs = GlossaryTerm.objects.filter(Q(district=None) | Q(district_id=district_id), key__in=keys,
                                     language__in={language, "en"})
    return sorted(_in_language(list(qs), language), key=lambda t: t.term.casefold())
