"""Reads for contacts, always starting from access.scoping; the one rule for who may read contact notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import BooleanField, Case, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.contacts import charts, week
from homeroom.contacts.models import ChecklistTask, ChecklistTaskChange, ContactLog
from homeroom.core.models import Role
from homeroom.roster.models import Caseload, Enrollment, Guardian, StaffRole, Student

NOTES_SCHOOL_ROLES = (Role.PRINCIPAL, Role.SOCIAL_WORKER)
NOTES_ROLES = {Role.DISTRICT_ADMIN, Role.PRINCIPAL, Role.SOCIAL_WORKER, Role.CASE_MANAGER}
NOTHING = Q(pk__in=[])


def notes_visibility(user: Any) -> Q:
    """THE rule for contact notes, as a filter over ContactLog.

    Notes are readable by their author; by a district administrator of the contact's district; by a
    principal or social worker of a school one of the contact's students attends; and by a case manager
    who has one of the contact's students on an active caseload. Nobody else (other teachers included).
    """
    scope = scoping.scope_for(user)
    if not scope.is_staff_member:
        return NOTHING
    staff_id: int = scope.staff_id  # type: ignore[assignment]  # a staff member always has one
    through = ContactLog.students.through
    rule = Q(staff_id=staff_id)
    if scope.district_ids:
        rule |= Q(district_id__in=scope.district_ids)
    school_ids = list(StaffRole.objects.filter(
        staff_id=staff_id, is_active=True, role__in=NOTES_SCHOOL_ROLES, school__isnull=False
    ).values_list("school_id", flat=True))
    if school_ids:
        rule |= Q(Exists(through.objects.filter(contactlog_id=OuterRef("pk"), student__school_id__in=school_ids)))
    if scope.case_manager:
        rule |= Q(Exists(through.objects.filter(
            contactlog_id=OuterRef("pk"), student__case_managers__staff_id=staff_id,
            student__case_managers__is_active=True,
        )))
    return rule


def may_see_notes(user: Any, contact: ContactLog) -> bool:
    return ContactLog.objects.filter(notes_visibility(user), pk=contact.pk).exists()


def with_notes_flag(user: Any, contacts: QuerySet[ContactLog]) -> QuerySet[ContactLog]:
    """Annotate `notes_visible` on each contact, by notes_visibility."""
    return contacts.annotate(
        notes_visible=Case(When(notes_visibility(user), then=Value(True)), default=Value(False),
                           output_field=BooleanField())
    )


def contacts_for(user: Any) -> QuerySet[ContactLog]:
    """Contacts a staff member may see: their own, any about a student in scope, or (with no student) with a
    guardian in scope. District administrators see the district's."""
    scope = scoping.scope_for(user)
    if not scope.is_staff_member:
        return ContactLog.objects.none()
    if scope.district_ids:
        return ContactLog.objects.filter(district_id__in=scope.district_ids)
    students = ContactLog.students.through.objects.filter(
        contactlog_id=OuterRef("pk"), student_id__in=scoping.staff_students_for(user).values("id")
    )
    any_student = ContactLog.students.through.objects.filter(contactlog_id=OuterRef("pk"))
    guardians = ContactLog.guardians.through.objects.filter(
        contactlog_id=OuterRef("pk"), guardian_id__in=scoping.guardians_for(user).values("id")
    )
    return ContactLog.objects.filter(
        Q(staff_id=scope.staff_id or 0) | Q(Exists(students)) | (~Q(Exists(any_student)) & Q(Exists(guardians)))
    )


def named_students(user: Any) -> Prefetch:
    """`contact.students.all()` as the user may see it: students outside their scope are left out (not named)."""
    return Prefetch("students", queryset=scoping.staff_students_named_for(user))


def own_students(user: Any) -> QuerySet[Student]:
    """The students a teacher or case manager works with directly; everyone else gets their whole scope.

    Both are the staff scope itself: a teacher's or case manager's scope (no school or district) is exactly the
    students of the sections they teach and of their caseload, so it is not intersected with `students_of_staff`
    again (a second UNION of the same joins, which PostgreSQL plans on every page view for nothing).
    """
    return scoping.staff_students_for(user)


def students_of_staff(staff_id: int) -> QuerySet[Any]:
    """Ids of a staff member's own students: in the sections they teach, or on their caseload.

    A UNION of two small id lists, each starting from the staff member (see scoping._student_filter for why
    not an OR of the two joins).
    """
    return scoping.union_of([
        Enrollment.objects.filter(
            is_active=True, section__enrollments__staff_id=staff_id, section__enrollments__is_active=True,
            student__isnull=False,
        ).values("student_id"),
        Caseload.objects.filter(staff_id=staff_id, is_active=True).values("student_id"),
    ])


def my_students(user: Any) -> QuerySet[Student]:
    """Own students with the date of the last contact about each that the user may see."""
    # Per student, newest first, from the student's own contacts: filtering every contact of the district by
    # visibility first makes PostgreSQL plan (and JIT-compile) a scan of the whole contact table.
    last = contacts_for(user).filter(students=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")[:1]
    return own_students(user).select_related("school").annotate(
        last_contact_at=Subquery(last)
    ).order_by("family_name", "given_name")


def guardians_of(user: Any, students: list[Student]) -> QuerySet[Guardian]:
    return scoping.guardians_for(user).filter(
        student_links__student__in=students, student_links__is_active=True
    ).distinct()


@dataclass
class MyWeek:
    overdue: list[ChecklistTask]
    due_soon: list[ChecklistTask]
    quiet_families: list[Guardian]
    follow_ups: list[ContactLog]
    quiet_days: int
    sections: list[week.WeekSection] = field(default_factory=list)  # from apps that registered one
    weekly: charts.WeeklyContacts | None = None  # the staff member's own contacts, the last WEEKS_SHOWN weeks


def my_week(user: Any, *, quiet_days: int = 30, today: date | None = None) -> MyWeek:
    """A staff member's week: checklist items overdue and due within a week, families they have not contacted
    in `quiet_days` days, and their follow-ups due within a week."""
    scope = scoping.require_staff(user)
    staff_id: int = scope.staff_id  # type: ignore[assignment]
    today = today or timezone.localdate()
    soon = today + timedelta(days=7)
    tasks = ChecklistTask.objects.filter(
        staff_id=staff_id, completed_at__isnull=True, student__in=scoping.staff_students_for(user)
    ).select_related("item", "student")
    since = timezone.now() - timedelta(days=quiet_days)
    contacted = ContactLog.guardians.through.objects.filter(
        guardian_id=OuterRef("pk"), contactlog__staff_id=staff_id, contactlog__occurred_at__gte=since
    )
    families = scoping.guardians_for(user).filter(
        scoping.family_access("student_links__"), student_links__student__in=own_students(user),
    ).exclude(Exists(contacted)).distinct().order_by("family_name", "given_name")
    follow_ups = ContactLog.objects.filter(
        staff_id=staff_id, follow_up_on__isnull=False, follow_up_on__lte=soon, follow_up_done_at__isnull=True
    ).prefetch_related(named_students(user), "guardians").order_by("follow_up_on")
    return MyWeek(
        overdue=list(tasks.filter(due_on__lt=today)),
        due_soon=list(tasks.filter(due_on__gte=today, due_on__lte=soon)),
        quiet_families=list(families[:200]),
        follow_ups=list(follow_ups),
        quiet_days=quiet_days,
        sections=week.sections_for(user, today=today),
        weekly=_my_weeks(staff_id, today),
    )


WEEKS_SHOWN = 8


def _my_weeks(staff_id: int, today: date) -> charts.WeeklyContacts:
    first = today - timedelta(days=today.weekday() + 7 * (WEEKS_SHOWN - 1))
    start = timezone.make_aware(datetime.combine(first, time.min))
    mine = ContactLog.objects.filter(staff_id=staff_id, occurred_at__gte=start)
    return charts.contacts_by_week(mine, first=first, last=today, title=_("Your contacts, week by week"),
                                   chart_id="chart-my-weeks")


def student_checklist(user: Any, student: Student) -> QuerySet[ChecklistTask]:
    """Checklist tasks for one student: everyone's for notes-level roles, otherwise the user's own."""
    scope = scoping.scope_for(user)
    tasks = ChecklistTask.objects.filter(student=student).select_related(
        "item", "staff", "completed_by_contact").prefetch_related(
        Prefetch("changes", queryset=ChecklistTaskChange.objects.select_related("by__staff")))
    if scope.roles.intersection({Role.DISTRICT_ADMIN, Role.PRINCIPAL, Role.SOCIAL_WORKER}):
        return tasks
    return tasks.filter(staff_id=scope.staff_id or 0)
