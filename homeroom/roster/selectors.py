"""Reads over the roster for the staff pages, always starting from the user's scope (access.scoping)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from homeroom.access import scoping
from homeroom.roster import generation, reachability
from homeroom.roster.contact_status import (
    ChannelStatus,
    ConsentEntry,
    channel_statuses,
    consent_entries,
    language_name,
    preferred_channel,
)
from homeroom.roster.models import (
    Caseload,
    Enrollment,
    EnrollmentRole,
    Guardian,
    Household,
    School,
    Section,
    Staff,
    Student,
    StudentGuardian,
)
from homeroom.roster.search_keys import search_condition

SEARCH_LIMIT = 25
# Search results sort by name, case-insensitively. Sorting by an expression rather than the columns also keeps
# PostgreSQL from walking the (district, family_name, given_name) index in order and filtering each row until 26
# match (≈ the whole table for a rare name far down the alphabet): it takes the trigram index on search_key instead.
SEARCH_ORDER = (Lower("family_name"), Lower("given_name"), "pk")


def current_guardian_links() -> QuerySet[StudentGuardian]:
    """Guardian links as every staff page and the API list them: the link and the guardian both active
    (an ended link is history, never shown), primary contact first."""
    return (
        StudentGuardian.objects.filter(is_active=True, guardian__is_active=True)
        .select_related("guardian")
        .prefetch_related("guardian__consent_choices")
        .order_by("-is_primary", "guardian__family_name", "guardian__given_name")
    )


def _active_guardian_links() -> Prefetch:
    """Each student's current guardians, primary contact first, in one query for the whole page."""
    return Prefetch("guardian_links", queryset=current_guardian_links(), to_attr="active_links")


def _suppressed(links: list[StudentGuardian]) -> set[str]:
    """The suppression list as far as it holds these guardians' emails (one query for the page)."""
    return reachability.suppressed_addresses([link.guardian.email for link in links])


def _student_enrollments(**lookup: Any) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(role=EnrollmentRole.STUDENT, is_active=True, **lookup)


# --- Dashboard -------------------------------------------------------------


@dataclass
class Dashboard:
    schools: list[School]
    sections: list[Section] | None = None  # teachers: the classes they teach
    students: list[Student] | None = None  # teachers: the students in those classes
    caseload: list[Student] | None = None  # case managers: their caseload


SCHOOL_COUNTS_TTL = 10 * 60  # bounds how long a roster change made outside an import goes unseen


def dashboard_schools(user: Any) -> list[School]:
    """The schools in scope, each with `visible_students`: one grouped count of the scope's students, not a
    join of every school to every student with a DISTINCT count. A district's or school's counts are kept in the
    shared cache until an import changes the roster (`roster.generation`)."""
    scope = scoping.scope_for(user)
    key = None
    if scope.district_ids or scope.school_ids:  # a school's or district's: the same until the roster changes
        key = (f"roster:school-counts:{','.join(map(str, sorted(scope.district_ids)))}:"
               f"{','.join(map(str, sorted(scope.school_ids)))}:{generation.current()}")
    counts = cache.get(key) if key else None
    if counts is None:
        counts = dict(scoping.staff_students_for(user).order_by().values("school_id").annotate(
            n=Count("id")).values_list("school_id", "n"))
        if key:
            cache.set(key, counts, SCHOOL_COUNTS_TTL)
    schools = list(scoping.schools_for(user))
    for school in schools:
        school.visible_students = counts.get(school.pk, 0)  # type: ignore[attr-defined]
    return schools


def _with_student_counts(sections: QuerySet[Section]) -> QuerySet[Section]:
    return sections.annotate(
        student_count=Count(
            "enrollments",
            filter=Q(enrollments__role=EnrollmentRole.STUDENT, enrollments__is_active=True),
            distinct=True,
        )
    )


def dashboard_for(user: Any) -> Dashboard:
    scope = scoping.scope_for(user)
    board = Dashboard(schools=dashboard_schools(user))
    if scope.staff_id is None:
        return board
    if scope.teacher:
        taught = Enrollment.objects.filter(staff_id=scope.staff_id, is_active=True).values("section_id")
        sections = scoping.sections_for(user).filter(id__in=taught).select_related("school")
        board.sections = list(_with_student_counts(sections))
        enrolled = _student_enrollments(section_id__in=taught).values("student_id")
        board.students = list(scoping.staff_students_for(user).filter(id__in=enrolled).select_related("school"))
    if scope.case_manager:
        mine = Caseload.objects.filter(staff_id=scope.staff_id, is_active=True).values("student_id")
        board.caseload = list(scoping.staff_students_for(user).filter(id__in=mine).select_related("school"))
    return board


# --- School ----------------------------------------------------------------


@dataclass
class SchoolOverview:
    school: School
    sections: list[Section]
    student_count: int
    guardian_count: int
    household_count: int
    languages: list[tuple[str, int]]  # (language name, number of guardians), most spoken first


def school_overview(user: Any, *, school_id: int) -> SchoolOverview:
    school = scoping.get_in_scope(scoping.schools_for(user), pk=school_id)
    students = scoping.staff_students_for(user).filter(school_id=school.pk)
    linked = StudentGuardian.objects.filter(student__in=students, is_active=True).values("guardian_id")
    guardians = scoping.guardians_for(user).filter(id__in=linked, is_active=True)
    households = Household.objects.filter(
        Q(id__in=students.exclude(household=None).values("household_id"))
        | Q(id__in=guardians.exclude(household=None).values("household_id"))
    )
    languages = guardians.values("language").annotate(n=Count("id")).order_by("-n", "language")
    sections = _with_student_counts(scoping.sections_for(user).filter(school_id=school.pk))
    return SchoolOverview(
        school=school,
        sections=list(sections),
        student_count=students.count(),
        guardian_count=guardians.count(),
        household_count=households.count(),
        languages=[(language_name(row["language"]), row["n"]) for row in languages],
    )


# --- Guardians as shown to staff --------------------------------------------


@dataclass
class GuardianLink:
    """One guardian of one student, with what staff must know before contacting them."""

    link: StudentGuardian
    guardian: Guardian
    language: str
    channels: list[ChannelStatus]
    preferred: ChannelStatus | None
    do_not_share: bool
    custody_notes: str | None  # None when the viewer may not see restricted fields


def guardian_link(link: StudentGuardian, *, restricted: bool, suppressed: set[str] | None = None) -> GuardianLink:
    guardian = link.guardian
    channels = channel_statuses(guardian, suppressed=suppressed)
    return GuardianLink(
        link=link,
        guardian=guardian,
        language=language_name(guardian.language),
        channels=channels,
        preferred=preferred_channel(channels),
        do_not_share=not link.grants_family_access,
        custody_notes=link.custody_notes if restricted else None,
    )


# --- Section ---------------------------------------------------------------


@dataclass
class RosterRow:
    student: Student
    guardians: list[GuardianLink]


@dataclass
class SectionRoster:
    section: Section
    teachers: list[Staff]
    rows: list[RosterRow]

    @property
    def student_ids(self) -> list[int]:
        return [row.student.pk for row in self.rows]


def section_roster(user: Any, *, section_id: int) -> SectionRoster:
    section = scoping.get_in_scope(scoping.sections_for(user).select_related("school"), pk=section_id)
    restricted = scoping.may_see_restricted(user)
    students = (
        scoping.staff_students_for(user)
        .filter(id__in=_student_enrollments(section_id=section.pk).values("student_id"))
        .prefetch_related(_active_guardian_links())
    )
    teachers = scoping.staff_for(user).filter(
        id__in=Enrollment.objects.filter(section_id=section.pk, is_active=True)
        .exclude(role=EnrollmentRole.STUDENT)
        .values("staff_id")
    )
    listed = list(students)
    suppressed = _suppressed([link for s in listed for link in s.active_links])  # type: ignore[attr-defined]
    rows = [
        RosterRow(
            student=s,
            guardians=[guardian_link(link, restricted=restricted, suppressed=suppressed)
                       for link in s.active_links],  # type: ignore[attr-defined]
        )
        for s in listed
    ]
    return SectionRoster(section=section, teachers=list(teachers), rows=rows)


# --- Student ---------------------------------------------------------------


@dataclass
class RestrictedFacts:
    """Fields only some roles may see (access.scoping.may_see_restricted)."""

    birth_date: date | None
    sex: str
    home_language: str
    english_learner: bool
    has_iep: bool
    has_504: bool
    race_ethnicity: list[str]
    free_reduced_meals: bool


@dataclass
class ClassLink:
    section: Section
    in_scope: bool  # whether the viewer may open the class page


@dataclass
class StudentRecord:
    student: Student
    classes: list[ClassLink]
    guardians: list[GuardianLink]
    restricted: RestrictedFacts | None
    case_managers: list[Staff] = field(default_factory=list)


def student_record(user: Any, *, student_id: int) -> StudentRecord:
    students = scoping.staff_students_for(user).select_related("school", "household")
    student = scoping.get_in_scope(students.prefetch_related(_active_guardian_links()), pk=student_id)
    restricted = scoping.may_see_restricted(user)
    sections = list(
        Section.objects.filter(
            is_active=True, id__in=_student_enrollments(student_id=student.pk).values("section_id")
        ).select_related("school")
    )
    visible = set(scoping.sections_for(user).filter(id__in=[s.pk for s in sections]).values_list("id", flat=True))
    case_managers = scoping.staff_for(user).filter(
        id__in=Caseload.objects.filter(student_id=student.pk, is_active=True).values("staff_id")
    )
    links: list[StudentGuardian] = student.active_links  # type: ignore[attr-defined]
    suppressed = _suppressed(links)
    facts = None
    if restricted:
        facts = RestrictedFacts(
            birth_date=student.birth_date,
            sex=student.sex,
            home_language=language_name(student.home_language) if student.home_language else "",
            english_learner=student.english_learner,
            has_iep=student.has_iep,
            has_504=student.has_504,
            race_ethnicity=list(student.race_ethnicity or []),
            free_reduced_meals=student.free_reduced_meals,
        )
    return StudentRecord(
        student=student,
        classes=[ClassLink(section=s, in_scope=s.pk in visible) for s in sections],
        guardians=[guardian_link(link, restricted=restricted, suppressed=suppressed) for link in links],
        restricted=facts,
        case_managers=list(case_managers),
    )


# --- Guardian ----------------------------------------------------------------


@dataclass
class ChildLink:
    link: StudentGuardian
    do_not_share: bool


@dataclass
class GuardianRecord:
    guardian: Guardian
    language: str
    channels: list[ChannelStatus]
    children: list[ChildLink]
    consent_history: list[ConsentEntry] = field(default_factory=list)


def guardian_record(user: Any, *, guardian_id: int) -> GuardianRecord:
    guardian = scoping.get_in_scope(scoping.guardians_for(user).select_related("household"), pk=guardian_id)
    links = (
        StudentGuardian.objects.filter(
            guardian_id=guardian.pk, is_active=True, student__in=scoping.staff_students_for(user)
        )
        .select_related("student", "student__school")
        .order_by("student__family_name", "student__given_name")
    )
    return GuardianRecord(
        guardian=guardian,
        language=language_name(guardian.language),
        channels=channel_statuses(guardian),
        children=[ChildLink(link=link, do_not_share=not link.grants_family_access) for link in links],
        consent_history=consent_entries(guardian),
    )


# --- Household ---------------------------------------------------------------


@dataclass
class HouseholdMembers:
    household: Household
    students: list[Student]
    guardians: list[Guardian]


def household_members(user: Any, *, household_id: int) -> HouseholdMembers:
    household = scoping.get_in_scope(scoping.households_for(user), pk=household_id)
    students = scoping.staff_students_for(user).filter(household_id=household.pk).select_related("school")
    guardians = scoping.guardians_for(user).filter(household_id=household.pk, is_active=True)
    return HouseholdMembers(household=household, students=list(students), guardians=list(guardians))


# --- Search ------------------------------------------------------------------


@dataclass
class SearchResults:
    students: list[Student]
    guardians: list[Guardian]
    # More matched than are shown (SEARCH_LIMIT each): the page asks for more of the name instead of paging,
    # since the name searched for never goes into a link (FERPA: no student data in URLs).
    more_students: bool = False
    more_guardians: bool = False

    @property
    def empty(self) -> bool:
        return not self.students and not self.guardians


def search_people(user: Any, *, query: str) -> SearchResults:
    """Students and family members in the user's scope whose name, student number, phone or email matches."""
    condition = search_condition(query)
    if condition is None:
        return SearchResults(students=[], guardians=[])
    students = (
        scoping.staff_students_for(user)
        .filter(condition)
        .select_related("school")
        .order_by(*SEARCH_ORDER)[:SEARCH_LIMIT + 1]
    )
    guardians = (
        scoping.guardians_for(user)
        .filter(condition, is_active=True)
        .order_by(*SEARCH_ORDER)[:SEARCH_LIMIT + 1]
    )
    found_students, found_guardians = list(students), list(guardians)
    return SearchResults(students=found_students[:SEARCH_LIMIT], guardians=found_guardians[:SEARCH_LIMIT],
                         more_students=len(found_students) > SEARCH_LIMIT,
                         more_guardians=len(found_guardians) > SEARCH_LIMIT)
