"""Which demo people to sign in as: one per role, each chosen because they have something to show."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from homeroom.access import scoping
from homeroom.core.models import Role
from homeroom.roster.models import District, Guardian, LineItem, School, Section, Staff, Student

DEMO_PASSWORD = "homeroom-demo"  # noqa: S105 - the published password of the synthetic demo staff
DEMO_DISTRICT_SLUG = "demo"
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "pt-BR": "Portuguese", "ht": "Haitian Creole",
                  "zh-Hans": "Chinese", "ar": "Arabic", "pl": "Polish"}


@dataclass(frozen=True)
class DemoLogin:
    key: str  # district_admin, principal, teacher, case_manager, social_worker, school_staff, guardian_es, guardian_en
    label: str
    email: str
    user_id: int
    detail: str
    by_password: bool  # staff sign in with the demo password, families with a one-time code


def demo_district() -> District | None:
    return District.objects.filter(slug=DEMO_DISTRICT_SLUG).first() or District.objects.order_by("pk").first()


def _granting_links() -> Q:
    return scoping.family_access("student_links__") & Q(student_links__student__is_active=True)


def _guardian(district: District, language: str) -> Guardian | None:
    return (
        Guardian.objects.filter(district=district, is_active=True, language=language, user__is_active=True)
        .exclude(email="")
        .annotate(children=Count("student_links", filter=_granting_links(), distinct=True))
        .filter(children__gt=0)
        .order_by("sourced_id", "pk")
        .select_related("user")
        .first()
    )


def _staff_with(district: District, role: str) -> QuerySet[Staff]:
    return Staff.objects.filter(district=district, is_active=True, user__is_active=True, roles__role=role,
                                roles__is_active=True).select_related("user").distinct()


def _children(guardian: Guardian | None) -> QuerySet[Student]:
    if guardian is None:
        return Student.objects.none()
    return Student.objects.filter(scoping.family_access("guardian_links__"), guardian_links__guardian=guardian,
                                  is_active=True)


def select_demo_logins() -> list[DemoLogin]:
    """The demo cast, the same on every call: a Spanish-speaking family's child anchors teacher, principal and
    case manager, so what one sees the others can act on."""
    district = demo_district()
    if district is None:
        return []
    logins: list[DemoLogin] = []
    spanish = _guardian(district, "es")
    english = _guardian(district, "en")
    children = _children(spanish)

    admin = _staff_with(district, Role.DISTRICT_ADMIN).order_by("sourced_id", "pk").first()
    if admin and admin.user:
        logins.append(DemoLogin("district_admin", "District administrator", admin.user.email, admin.user.pk,
                                district.name, True))

    school = School.objects.filter(students__in=children).order_by("pk").first()
    principals = _staff_with(district, Role.PRINCIPAL)
    principal = (school and principals.filter(roles__school=school).order_by("sourced_id").first()) or \
        principals.order_by("sourced_id").first()
    if principal and principal.user:
        place = principal.roles.filter(role=Role.PRINCIPAL).exclude(school=None).first()
        logins.append(DemoLogin("principal", "Principal", principal.user.email, principal.user.pk,
                                place.school.name if place and place.school else "", True))

    teacher = _teacher(district, children)
    if teacher and teacher.user:
        sections = Section.objects.filter(enrollments__staff=teacher, enrollments__is_active=True, is_active=True)
        count = sections.distinct().count()
        pupils = Student.objects.filter(enrollments__section__in=sections, enrollments__is_active=True,
                                        is_active=True).distinct().count()
        logins.append(DemoLogin("teacher", "Teacher", teacher.user.email, teacher.user.pk,
                                f"{count} class{'es' if count != 1 else ''}, {pupils} students", True))

    manager = _case_manager(district, children)
    if manager and manager.user:
        students = manager.caseload.filter(is_active=True).count()
        logins.append(DemoLogin("case_manager", "Case manager", manager.user.email, manager.user.pk,
                                f"{students} student{'s' if students != 1 else ''} on the caseload", True))

    social_worker = _at_school(_staff_with(district, Role.SOCIAL_WORKER), school)
    if social_worker and social_worker.user:
        students = social_worker.caseload.filter(is_active=True).count()
        logins.append(DemoLogin("social_worker", "Social worker", social_worker.user.email, social_worker.user.pk,
                                f"{_school_name(social_worker, Role.SOCIAL_WORKER)}, {students} "
                                f"student{'s' if students != 1 else ''} followed", True))

    liaison = _at_school(_staff_with(district, Role.STAFF), school)
    if liaison and liaison.user:
        logins.append(DemoLogin("school_staff", "School staff (family liaison)", liaison.user.email, liaison.user.pk,
                                _school_name(liaison, Role.STAFF), True))

    for key, guardian in (("guardian_es", spanish), ("guardian_en", english)):
        if guardian is None or guardian.user is None:
            continue
        count = _children(guardian).count()
        language = LANGUAGE_NAMES.get(guardian.language, guardian.language)
        logins.append(DemoLogin(key, f"Guardian ({language})", guardian.user.email, guardian.user.pk,
                                f"{count} child{'ren' if count != 1 else ''} with educational rights", False))
    return logins


def _at_school(staff: QuerySet[Staff], school: School | None) -> Staff | None:
    """The first of these staff at the anchor family's school, or anywhere when that school has none."""
    here = staff.filter(roles__school=school) if school else staff.none()
    return here.order_by("sourced_id", "pk").first() or staff.order_by("sourced_id", "pk").first()


def _school_name(member: Staff, role: str) -> str:
    place = member.roles.filter(role=role, is_active=True).exclude(school=None).select_related("school").first()
    return place.school.name if place and place.school else ""


def _teacher(district: District, children: QuerySet[Student]) -> Staff | None:
    """A teacher of the anchor family's child, preferring one with a gradebook and the most classes."""
    teachers = _staff_with(district, Role.TEACHER).filter(
        enrollments__role="teacher", enrollments__is_active=True, enrollments__section__is_active=True)
    graded = set(LineItem.objects.filter(district=district).values_list("section_id", flat=True).distinct())
    mine = list(teachers.filter(enrollments__section__enrollments__student__in=children).order_by("sourced_id"))
    candidates = mine or list(teachers.order_by("sourced_id")[:50])

    def rank(candidate: Staff) -> tuple[bool, int]:
        sections = set(candidate.enrollments.filter(role="teacher").values_list("section_id", flat=True))
        return bool(sections & graded), len(sections)

    return max(candidates, key=rank) if candidates else None


def _case_manager(district: District, children: QuerySet[Student]) -> Staff | None:
    managers = _staff_with(district, Role.CASE_MANAGER).filter(caseload__is_active=True)
    return (managers.filter(caseload__student__in=children).order_by("sourced_id").first()
            or managers.order_by("sourced_id").first())
