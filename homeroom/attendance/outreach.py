"""The outreach plan at work: after an evaluation, record threshold crossings, open the tier's tasks for the right
staff member, and queue the day-of notice for new unexcused absences. Idempotent: each is unique per student."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from homeroom.attendance import bulk
from homeroom.attendance.classify import UNEXCUSED, school_days_after
from homeroom.attendance.evaluation import Calendars, Evaluated
from homeroom.attendance.models import (
    AttendanceNotice,
    OutreachPlan,
    OutreachTask,
    Threshold,
    ThresholdCrossing,
)
from homeroom.attendance.rules import merge, shipped_plan
from homeroom.core.models import Role
from homeroom.roster.models import Caseload, Enrollment, StaffRole

TIER_ORDER = (Threshold.AT_RISK, Threshold.CHRONIC, Threshold.TRUANT)


def plan_for(district_id: int, school_id: int | None) -> dict[str, Any]:
    """The tiers for one school: the shipped plan, under the district's, under the school's."""
    tiers = shipped_plan()["tiers"]
    plans = {row.school_id: row.tiers for row in OutreachPlan.objects.filter(
        Q(school_id=school_id) | Q(school__isnull=True), district_id=district_id)}
    for key in (None, school_id):
        if key in plans:
            tiers = merge(tiers, plans[key])
    return tiers  # type: ignore[no-any-return]


class Assignees:
    """Who does a task: the homeroom teacher, the school's social worker or principal, the case manager."""

    def __init__(self) -> None:
        self._roles: dict[tuple[int, str], int | None] = {}
        self._teachers: dict[tuple[int, int], int] = {}  # (student, school) → teacher, after prefetch
        self._case_managers: dict[int, int] = {}  # student → case manager, after prefetch
        self._prefetched: set[int] = set()

    def prefetch(self, student_ids: list[int]) -> None:
        """Each student's teacher (their homeroom's first, then by class title) and case manager in three
        queries, not one or two per task."""
        wanted = [sid for sid in student_ids if sid not in self._prefetched]
        if not wanted:
            return
        self._prefetched.update(wanted)
        for student_id, staff_id in bulk.with_ids(Caseload.objects.filter(is_active=True), "student_id",
                                                  wanted).order_by("pk").values_list("student_id", "staff_id"):
            self._case_managers.setdefault(student_id, staff_id)
        seats = list(bulk.with_ids(Enrollment.objects.filter(role="student", is_active=True, section__is_active=True),
                                   "student_id", wanted).values_list(
            "student_id", "section_id", "section__school_id", "section__class_type", "section__title"))
        teachers: dict[int, int] = {}
        for section_id, staff_id in Enrollment.objects.filter(
                role="teacher", is_active=True, staff__isnull=False,
                section_id__in={seat[1] for seat in seats}).order_by("staff_id").values_list("section_id",
                                                                                           "staff_id"):
            teachers.setdefault(section_id, staff_id)
        ranked = sorted(seats, key=lambda seat: (seat[3] != "homeroom", seat[4], seat[1]))
        for student_id, section_id, school_id, _type, _title in ranked:
            if section_id in teachers:
                self._teachers.setdefault((student_id, school_id), teachers[section_id])

    def school_role(self, school_id: int, role: str) -> int | None:
        key = (school_id, role)
        if key not in self._roles:
            self._roles[key] = StaffRole.objects.filter(
                school_id=school_id, role=role, is_active=True, staff__is_active=True
            ).order_by("staff_id").values_list("staff_id", flat=True).first()
        return self._roles[key]

    def find(self, kind: str, student_id: int, school_id: int) -> int | None:
        if kind == "homeroom_teacher":
            self.prefetch([student_id])
            found = self._teachers.get((student_id, school_id))
            return found if found is not None else self.school_role(school_id, Role.PRINCIPAL)
        if kind == "case_manager":
            self.prefetch([student_id])
            found = self._case_managers.get(student_id)
            return found if found is not None else self.school_role(school_id, Role.SOCIAL_WORKER)
        if kind == Role.SOCIAL_WORKER:
            return self.school_role(school_id, Role.SOCIAL_WORKER) or self.school_role(school_id, Role.PRINCIPAL)
        return self.school_role(school_id, kind)


def outreach_after_evaluation(district_id: int, evaluated: Iterable[Evaluated], *, today: date,
                              new_days: set[tuple[int, date]] | None = None,
                              calendars: Calendars | None = None) -> dict[str, int]:
    """Crossings, tasks and notices for what the evaluation found; `new_days` are the (student, day) rows this
    import created or changed (only those can prompt a day-of notice)."""
    calendars = calendars or Calendars(district_id)
    items = [item for item in evaluated if item.current is not None]
    student_ids = [item.student_id for item in items]
    crossed = set(bulk.with_ids(ThresholdCrossing.objects.all(), "student_id", student_ids).values_list(
        "student_id", "school_year", "threshold"))
    tasks = set(bulk.with_ids(OutreachTask.objects.all(), "student_id", student_ids).values_list(
        "student_id", "school_year", "kind"))
    assignees = Assignees()
    assignees.prefetch(student_ids)
    plans: dict[int, dict[str, Any]] = {}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # Rows in the columns below (bulk.insert_new: unique per student, so a row already stored is left alone).
    new_crossings: list[tuple[Any, ...]] = []
    new_tasks: list[tuple[Any, ...]] = []
    notices: list[tuple[Any, ...]] = []
    for item in items:
        current = item.current
        assert current is not None
        school_id = current.school_id
        plan = plans.get(school_id) or plans.setdefault(school_id, plan_for(district_id, school_id))
        since = {Threshold.AT_RISK: current.at_risk_since, Threshold.CHRONIC: current.chronic_since,
                 Threshold.TRUANT: item.result.truant_since}
        is_school_day = calendars[school_id]
        for threshold in TIER_ORDER:
            crossed_on = since[threshold]
            if crossed_on is None:
                continue
            if (item.student_id, item.school_year, threshold.value) not in crossed:
                new_crossings.append((district_id, item.student_id, school_id, item.school_year, threshold.value,
                                      crossed_on, now))
            tier = plan.get(threshold.value) or {}
            if current.days_enrolled < int(tier.get("min_days_enrolled", 0)):
                continue
            for spec in tier.get("tasks", []):
                if (item.student_id, item.school_year, spec["kind"]) in tasks:
                    continue
                tasks.add((item.student_id, item.school_year, spec["kind"]))
                new_tasks.append((
                    district_id, item.student_id, school_id, item.school_year, threshold.value, spec["kind"],
                    assignees.find(spec["assignee"], item.student_id, school_id),
                    school_days_after(is_school_day, today, int(spec.get("due_school_days", 10))),
                    spec.get("escalate_to", ""), now,
                ))
        notice_tier = plan.get("unexcused_absence") or {}
        if notice_tier.get("notice") and new_days:
            window = int(notice_tier.get("notice_within_school_days", 1))
            oldest = _school_days_before(is_school_day, today, window)
            for outcome in item.result.outcomes:
                if (outcome.category == UNEXCUSED and oldest <= outcome.day <= today
                        and (item.student_id, outcome.day) in new_days):
                    notices.append((district_id, item.student_id, outcome.day, "", now))
    bulk.insert_new(ThresholdCrossing, ("district_id", "student_id", "school_id", "school_year", "threshold",
                                        "crossed_on", "recorded_at"), new_crossings,
                    ("student_id", "school_year", "threshold"))
    bulk.insert_new(OutreachTask, ("district_id", "student_id", "school_id", "school_year", "threshold", "kind",
                                   "assigned_to_id", "due_on", "escalate_to_role", "created_at"), new_tasks,
                    ("student_id", "school_year", "kind"))
    bulk.insert_new(AttendanceNotice, ("district_id", "student_id", "day", "skipped", "created_at"), notices,
                    ("student_id", "day"))
    return {"crossings": len(new_crossings), "tasks": len(new_tasks), "notices": len(notices)}


def _school_days_before(is_school_day: Any, today: date, n: int) -> date:
    """The earliest day still "day-of": today's school day back n-1 more school days (n=1: today only)."""
    day, remaining = today, max(n, 1) - 1
    while remaining > 0:
        day -= timedelta(days=1)
        if is_school_day(day):
            remaining -= 1
    return day


def escalate_overdue(*, today: date | None = None, district_id: int | None = None) -> int:
    """Tasks whose plan names someone to escalate to (the truancy meeting: the principal) and whose deadline
    passed unclosed go to that person's "My week" as well."""
    today = today or timezone.localdate()
    overdue = OutreachTask.objects.filter(closed_at__isnull=True, escalated_at__isnull=True, due_on__lt=today
                                          ).exclude(escalate_to_role="")
    if district_id is not None:
        overdue = overdue.filter(district_id=district_id)
    assignees = Assignees()
    now = timezone.now()
    count = 0
    for task in overdue:
        task.escalated_to_id = assignees.school_role(task.school_id, task.escalate_to_role)
        task.escalated_at = now
        task.save(update_fields=["escalated_to", "escalated_at"])
        count += 1
    return count
