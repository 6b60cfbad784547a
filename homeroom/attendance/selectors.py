"""Attendance reads, always starting from access.scoping: a child's year for the family, a student's for staff,
"My week" and timeline entries handed to contacts, and the dashboards' figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeroom.access import scoping
from homeroom.attendance import labels
from homeroom.attendance.classify import Outcome, SchoolCounts, classify_year
from homeroom.attendance.evaluation import Calendars, latest_day, load_days, rules_for, school_year_of
from homeroom.attendance.figures import figures_for
from homeroom.attendance.models import (
    AbsenceNote,
    OutreachTask,
    StudentAttendance,
    ThresholdCrossing,
)
from homeroom.contacts.timeline import TimelineItem
from homeroom.contacts.week import WeekEntry, WeekSection
from homeroom.roster.models import Student


@dataclass
class AbsenceLine:
    outcome: Outcome
    category: str
    reason: str
    explanation: str


@dataclass
class YearView:
    """A student's school year as the rules see it today."""

    school_year: int
    counts: SchoolCounts | None
    absences: list[AbsenceLine]
    missing: list[AbsenceLine]
    chronic_days: int  # absences that make the student chronically absent at the current days enrolled
    chronic: bool
    truant: bool
    notes: list[AbsenceNote] = field(default_factory=list)

    @property
    def rate_percent(self) -> int:
        if not self.counts or not self.counts.days_enrolled:
            return 0
        return round(100 * self.counts.absences / self.counts.days_enrolled)


def year_view(student: Student, *, today: date | None = None) -> YearView:
    """Classify the student's school year on the spot (a couple of hundred rows at most)."""
    today = today or timezone.localdate()
    # The year of the student's latest row (today's, during the year; last year's, over the summer).
    year = school_year_of(latest_day(student.pk) or today)
    rules = rules_for(student.district_id)
    days = load_days([student.pk], [year]).get((student.pk, year), [])
    result = classify_year(days, rules, Calendars(student.district_id), today)
    current = result.current_school()
    lines = [AbsenceLine(o, str(labels.CATEGORIES[o.category]), labels.reason_label(o.reason),
                         str(labels.RULES.get(o.rule, ""))) for o in result.outcomes if o.is_absence]
    enrolled = current.days_enrolled if current else 0
    chronic_days = max(1, -(-int(rules.chronic_ratio * 1000 * enrolled) // 1000)) if enrolled else 0
    notes = list(AbsenceNote.objects.filter(student=student, day__gte=date(year, 7, 1)).order_by("-day", "-id"))
    return YearView(
        school_year=year, counts=current, absences=lines[::-1],
        missing=[line for line in lines if line.outcome.missing_documentation],
        chronic_days=chronic_days, chronic=bool(current and current.chronic_since), truant=result.truant,
        notes=notes,
    )


def open_tasks_for(user: Any) -> QuerySet[OutreachTask]:
    """Open tasks assigned (or escalated) to the user, about students they may see."""
    scope = scoping.scope_for(user)
    if not scope.is_staff_member:
        return OutreachTask.objects.none()
    return OutreachTask.objects.filter(
        Q(assigned_to_id=scope.staff_id) | Q(escalated_to_id=scope.staff_id), closed_at__isnull=True,
        student__in=scoping.staff_students_for(user),
    ).select_related("student").order_by("due_on", "pk")


def tasks_in_scope(user: Any) -> QuerySet[OutreachTask]:
    return OutreachTask.objects.filter(student__in=scoping.staff_students_for(user)).select_related(
        "student", "assigned_to", "escalated_to")


def pending_notes_for(user: Any) -> QuerySet[AbsenceNote]:
    return AbsenceNote.objects.filter(state=AbsenceNote.State.PENDING,
                                      student__in=scoping.staff_students_for(user)).select_related("student")


def week_section(user: Any, *, today: date) -> WeekSection | None:
    """Attendance tasks and families' notes waiting for this staff member, for contacts' "My week"."""
    scope = scoping.scope_for(user)
    if not scope.is_staff_member:
        return None
    entries = []
    for task in open_tasks_for(user)[:100]:
        escalated = task.escalated_to_id == scope.staff_id and task.assigned_to_id != scope.staff_id
        entries.append(WeekEntry(
            title=task.get_kind_display(), student_name=str(task.student), due_on=task.due_on,
            overdue=task.due_on < today,
            detail=_("Escalated to you: the deadline passed.") if escalated else str(
                labels_threshold(task.threshold)),
            url=reverse("attendance:task_close", args=[task.pk]), action_label=_("Log the contact"),
        ))
    for note in pending_notes_for(user)[:50]:
        entries.append(WeekEntry(
            title=_("A family sent a note about an absence"), student_name=str(note.student),
            detail=note.day.isoformat(), url=reverse("attendance:student", args=[note.student_id]),
            action_label=_("Review the note"),
        ))
    links = [(reverse("attendance:notes"), _("Notes from families"))]
    if scope.district_ids:
        links += [(reverse("attendance:district_dashboard"), _("Attendance dashboard")),
                  (reverse("attendance:import"), _("Import attendance"))]
    links += [(reverse("attendance:school_dashboard", args=[school_id]), _("Attendance dashboard"))
              for school_id in sorted(scope.principal_school_ids)]
    return WeekSection(title=_("Attendance"), entries=entries, empty_text=_("No attendance follow-ups."),
                       links=links)


def labels_threshold(threshold: str) -> str:
    lines = {
        "at_risk": _("Absent on 5 percent of school days or more."),
        "chronic": _("Chronically absent: 10 percent of school days or more."),
        "truant": _("Truant: a meeting with the family is due within 10 school days."),
    }
    return lines.get(threshold, "")


def timeline_items(*, guardian_ids: list[int], since: datetime | None = None,
                   until: datetime | None = None) -> list[TimelineItem]:
    """Outreach tasks and family notes about these guardians' children, for contacts' family timeline."""
    student_ids = list(Student.objects.filter(guardian_links__guardian_id__in=guardian_ids,
                                              guardian_links__is_active=True).values_list("pk", flat=True))
    items = []
    tasks = OutreachTask.objects.filter(student_id__in=student_ids).select_related("assigned_to")
    notes = AbsenceNote.objects.filter(student_id__in=student_ids, guardian_id__in=guardian_ids)
    if since:
        tasks, notes = tasks.filter(created_at__gte=since), notes.filter(created_at__gte=since)
    if until:
        tasks, notes = tasks.filter(created_at__lte=until), notes.filter(created_at__lte=until)
    for task in tasks[:200]:
        detail = (_("Closed after the contact was logged.") if task.closed_at else
                  _("Due %(date)s.") % {"date": task.due_on.isoformat()})
        items.append(TimelineItem(when=task.created_at, kind="attendance", title=task.get_kind_display(),
                                  detail=detail, staff_name=str(task.assigned_to or ""),
                                  student_ids=[task.student_id], url=reverse("attendance:student",
                                                                             args=[task.student_id])))
    for note in notes[:200]:
        items.append(TimelineItem(when=note.created_at, kind="attendance",
                                  title=_("The family sent a note about an absence"),
                                  detail=note.day.isoformat(), student_ids=[note.student_id],
                                  guardian_ids=[note.guardian_id] if note.guardian_id else []))
    return items


# --- Dashboards --------------------------------------------------------------------------------------------

SUPPRESS_BELOW = 10
SUBGROUPS = (("english_learner", gettext_lazy("English learners")), ("has_iep", gettext_lazy("Students with an IEP")),
             ("has_504", gettext_lazy("Students with a 504 plan")),
             ("free_reduced_meals", gettext_lazy("Free or reduced-price meals")))


@dataclass
class Rate:
    label: str
    students: int
    chronic: int

    @property
    def suppressed(self) -> bool:
        return self.students < SUPPRESS_BELOW

    @property
    def percent(self) -> float | None:
        if self.suppressed or not self.students:
            return None
        return round(100 * self.chronic / self.students, 1)


@dataclass
class Dashboard:
    title: str
    school_year: int
    overall: Rate
    review_line: float  # percent at which an attendance review team is needed
    by_grade: list[Rate]
    by_subgroup: list[Rate]
    by_month: list[Rate]
    crossings: list[Any]
    schools: list[tuple[Any, Rate, bool]] = field(default_factory=list)  # district: each school and its flag

    @property
    def needs_review_team(self) -> bool:
        return self.overall.percent is not None and self.overall.percent >= self.review_line


def current_year(district_id: int, today: date) -> int:
    latest = StudentAttendance.objects.filter(district_id=district_id).order_by("-school_year").values_list(
        "school_year", flat=True).first()
    return latest if latest is not None else school_year_of(today)


def dashboard(user: Any, *, district_id: int, school: Any = None, today: date | None = None) -> Dashboard:
    """Chronic absence for one school (`school`) or the whole district, from the stored figures."""
    today = today or timezone.localdate()
    year = current_year(district_id, today)
    rules = rules_for(district_id)
    figures = figures_for(district_id, school.pk if school is not None else None, year)
    review_line = 100 * (rules.review_school_ratio if school is not None else rules.review_district_ratio)
    crossings = ThresholdCrossing.objects.filter(district_id=district_id, school_year=year,
                                                 crossed_on__gte=today - timedelta(days=today.weekday()),
                                                 student__in=scoping.staff_students_for(user))
    if school is not None:
        crossings = crossings.filter(school=school)
    labels_by_field = dict(SUBGROUPS)
    board = Dashboard(
        title=str(school) if school is not None else _("The whole district"), school_year=year,
        overall=Rate(_("All students"), *figures["overall"]), review_line=review_line,
        by_grade=[Rate(_("Grade %(grade)s") % {"grade": grade}, n, c) for grade, (n, c) in figures["grades"].items()],
        by_subgroup=[Rate(str(labels_by_field[name]), n, c) for name, (n, c) in figures["subgroups"].items()],
        by_month=[Rate(month, n, c) for month, (n, c) in figures["months"].items()],
        crossings=list(crossings.select_related("student", "school").order_by("-crossed_on",
                                                                                "student__family_name")[:100]),
    )
    if school is None:
        school_line = 100 * rules.review_school_ratio
        by_school = figures.get("schools", {})
        for each in scoping.schools_for(user).filter(district_id=district_id).order_by("name"):
            rate = Rate(str(each), *by_school.get(str(each.pk), [0, 0]))
            board.schools.append((each, rate, rate.percent is not None and rate.percent >= school_line))
    return board
