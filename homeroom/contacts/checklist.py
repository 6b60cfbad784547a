"""Case manager checklist writes: create tasks for caseloads; complete them by the event they name, by a contact
staff tie to them, or by hand."""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from homeroom.contacts.models import (
    Anchor,
    ChecklistItem,
    ChecklistTask,
    ChecklistTaskChange,
    ChecklistTemplate,
    CompletionEvent,
    ContactLog,
    PptDate,
)
from homeroom.roster.models import AcademicSession, Caseload, District, Student
from homeroom.schoolcalendar.days import add_school_days, clear_cache

UPCOMING_PERIOD_DAYS = 14  # marking periods starting this soon already get their task
RECENT_PPT_DAYS = 30  # a PPT this long ago still gets its follow-up task


# Events whose own app completes the task (meetings checks the notice rule); a contact is never tied to them.
APP_EVENTS = {CompletionEvent.PPT_INVITATION_SENT, CompletionEvent.PPT_FOLLOW_UP}


def task_window_contains(task: ChecklistTask, day: date) -> bool:
    return task.window_start <= day and (task.window_end is None or day <= task.window_end)


def tasks_a_contact_may_complete(*, staff_id: int, students: Any) -> QuerySet[ChecklistTask]:
    """Open tasks of this staff member for these students that a contact may be tied to on the log form."""
    return ChecklistTask.objects.filter(
        staff_id=staff_id, student__in=students, completed_at__isnull=True, item__is_active=True,
        item__manual_only=False,
    ).exclude(item__completed_by_event__in=APP_EVENTS).select_related("item", "student").order_by("due_on", "id")


@transaction.atomic
def checklist_complete_by_contact(*, contact: ContactLog, tasks: Iterable[ChecklistTask]) -> int:
    """Complete the tasks staff explicitly tied to this contact ("this completes task X" on the log form).

    Only the contact's author's open tasks, for the contact's students, and not those an app's event completes.
    """
    student_ids = set(contact.students.values_list("pk", flat=True))
    allowed = [
        task for task in tasks
        if task.staff_id == contact.staff_id and task.student_id in student_ids and task.completed_at is None
        and task.item.completed_by_event not in APP_EVENTS and not task.item.manual_only
    ]
    now = timezone.now()
    for task in allowed:
        task.completed_at, task.completed_by_contact, task.completed_by_id = now, contact, contact.created_by_id
    ChecklistTask.objects.bulk_update(allowed, ["completed_at", "completed_by_contact", "completed_by"])
    return len(allowed)


@transaction.atomic
def checklist_autocomplete_for_contact(*, contact: ContactLog) -> int:
    """The one event a contact itself stands for: the family's preferences were recorded during it.

    Completes the author's open "record preferences" tasks for the contact's students. Nothing else about a
    contact (its purpose, method or outcome) completes a task.
    """
    if not contact.preferences_recorded:
        return 0
    day = timezone.localdate(contact.occurred_at)
    tasks = list(ChecklistTask.objects.filter(
        staff_id=contact.staff_id, student__in=contact.students.all(), completed_at__isnull=True,
        item__completed_by_event=CompletionEvent.PREFERENCES_RECORDED, item__manual_only=False,
        window_start__lte=day,
    ).filter(Q(window_end__isnull=True) | Q(window_end__gte=day)))
    now = timezone.now()
    for task in tasks:
        task.completed_at, task.completed_by_contact, task.completed_by_id = now, contact, contact.created_by_id
    ChecklistTask.objects.bulk_update(tasks, ["completed_at", "completed_by_contact", "completed_by"])
    return len(tasks)


@transaction.atomic
def checklist_complete_by_event(*, student_id: int, event: str, user: Any = None, day: date | None = None) -> int:
    """Complete every open task of this student whose item names this event (e.g. a progress report was sent),
    for each case manager, when the day falls in the task's window. Called by the app that owns the event."""
    day = day or timezone.localdate()
    tasks = list(ChecklistTask.objects.filter(
        student_id=student_id, item__completed_by_event=event, item__manual_only=False, completed_at__isnull=True,
        window_start__lte=day,
    ).filter(Q(window_end__isnull=True) | Q(window_end__gte=day)))
    now = timezone.now()
    for task in tasks:
        task.completed_at, task.completed_by = now, user
    ChecklistTask.objects.bulk_update(tasks, ["completed_at", "completed_by"])
    return len(tasks)


@transaction.atomic
def checklist_task_complete(*, task: ChecklistTask, user: Any) -> None:
    if task.completed_at is None:
        task.completed_at, task.completed_by = timezone.now(), user
        task.save(update_fields=["completed_at", "completed_by"])
        ChecklistTaskChange.objects.create(task=task, action=ChecklistTaskChange.Action.DONE, by=user)


@transaction.atomic
def checklist_task_undo(*, task: ChecklistTask, user: Any) -> bool:
    """Take back a "done" (a mistaken click, or a contact that did not really cover the item), keeping a trail.

    The task is open again; a later contact that matches it completes it again. False when it was not done.
    """
    task = ChecklistTask.objects.select_for_update().get(pk=task.pk)
    if task.completed_at is None:
        return False
    ChecklistTaskChange.objects.create(
        task=task, action=ChecklistTaskChange.Action.UNDONE, by=user, was_completed_at=task.completed_at,
        was_completed_by_contact_id=task.completed_by_contact_id,
    )
    task.completed_at, task.completed_by, task.completed_by_contact = None, None, None
    task.save(update_fields=["completed_at", "completed_by", "completed_by_contact"])
    return True


def checklist_template_for(district_id: int) -> ChecklistTemplate | None:
    """The district's own active template, else the shipped default."""
    return (
        ChecklistTemplate.objects.filter(district_id=district_id, is_active=True).first()
        or ChecklistTemplate.objects.filter(district__isnull=True, is_active=True).first()
    )


@transaction.atomic
def checklist_template_copy_for_district(*, district: District) -> ChecklistTemplate:
    """Give a district its own editable copy of the default template (once)."""
    existing = ChecklistTemplate.objects.filter(district=district).first()
    if existing is not None:
        return existing
    default = ChecklistTemplate.objects.filter(district__isnull=True).first()
    template = ChecklistTemplate.objects.create(
        district=district, code=default.code if default else "checklist",
        name=default.name if default else district.name,
    )
    if default is not None:
        for item in default.items.all():
            item.pk, item.template = None, template
            item.save()
    return template


def checklist_item_update(*, item: ChecklistItem, values: dict[str, Any]) -> ChecklistItem:
    for name, value in values.items():
        setattr(item, name, value)
    item.save()
    return item


def ppt_date_add(*, student: Student, meeting_date: date, user: Any) -> PptDate:
    ppt, _ = PptDate.objects.get_or_create(student=student, meeting_date=meeting_date, defaults={"created_by": user})
    for staff_id in Caseload.objects.filter(student=student, is_active=True).values_list("staff_id", flat=True):
        checklist_sync_for_caseloads(student.district_id, staff_id=staff_id)
    return ppt


@transaction.atomic
def ppt_date_remove(*, student: Student, meeting_date: date) -> None:
    """A PPT moved or cancelled: its date and the tasks still open for it go; completed tasks stay as history."""
    PptDate.objects.filter(student=student, meeting_date=meeting_date).delete()
    ChecklistTask.objects.filter(
        student=student, period=f"ppt-{meeting_date.isoformat()}", completed_at__isnull=True
    ).delete()


@transaction.atomic
def checklist_complete_for_event(*, student: Student, meeting_date: date, event: str, user: Any) -> int:
    """Complete the open PPT tasks this event stands for (the invitation went out, the family was followed up).

    Called by the app that owns the event; a contact with the same purpose never completes these items.
    """
    tasks = list(ChecklistTask.objects.filter(
        student=student, period=f"ppt-{meeting_date.isoformat()}", item__completed_by_event=event,
        completed_at__isnull=True,
    ))
    now = timezone.now()
    for task in tasks:
        task.completed_at, task.completed_by = now, user
    ChecklistTask.objects.bulk_update(tasks, ["completed_at", "completed_by"])
    return len(tasks)


def _month_bounds(day: date) -> tuple[date, date]:
    return day.replace(day=1), day.replace(day=pycalendar.monthrange(day.year, day.month)[1])


def _tasks_for(item: ChecklistItem, caseload: Caseload, today: date, sessions: list[AcademicSession],
               ppts: list[date]) -> list[ChecklistTask]:
    """The tasks one item asks of one caseload row as of today (existing ones are skipped by the caller)."""
    school = caseload.student.school
    joined = caseload.start_date or today
    offset = item.offset_school_days

    def task(period: str, window_start: date, window_end: date | None, due: date) -> ChecklistTask:
        return ChecklistTask(item=item, staff_id=caseload.staff_id, student_id=caseload.student_id, period=period,
                             window_start=window_start, window_end=window_end, due_on=due)

    if item.anchor == Anchor.JOINED_CASELOAD:
        return [task("once", joined, None, add_school_days(school, joined, offset))]
    if item.anchor == Anchor.MONTHLY:
        first, last = _month_bounds(today)
        if joined > last:
            return []
        month_end = add_school_days(school, last + timedelta(days=1), -1)
        return [task(today.strftime("%Y-%m"), first, last, add_school_days(school, month_end, offset))]
    if item.anchor == Anchor.MARKING_PERIOD:
        return [
            task(f"mp-{s.pk}", s.start_date, due, due)
            for s in sessions
            if s.start_date and s.end_date and s.end_date >= joined
            for due in [add_school_days(school, s.end_date, offset)]
        ]
    if item.anchor == Anchor.MEETING:
        tasks = []
        for meeting in ppts:
            due = add_school_days(school, meeting, offset)
            if offset < 0:
                start = add_school_days(school, due, -item.window_school_days) if item.window_school_days else (
                    meeting - timedelta(days=RECENT_PPT_DAYS))
                tasks.append(task(f"ppt-{meeting.isoformat()}", start, meeting, due))
            else:
                tasks.append(task(f"ppt-{meeting.isoformat()}", meeting, None, due))
        return tasks
    return []


def checklist_sync_for_caseloads(district_id: int, *, staff_id: int | None = None, today: date | None = None) -> int:
    """Create the checklist tasks every active caseload row is due (idempotent); returns how many were new.

    Run after each roster import (caseloads arrive in bulk, so no signal fires), daily, and when a case
    manager opens "My week". New tasks are checked against contacts already logged.
    """
    clear_cache()
    today = today or timezone.localdate()
    template = checklist_template_for(district_id)
    if template is None:
        return 0
    items = list(template.items.filter(is_active=True))
    caseloads = Caseload.objects.filter(
        is_active=True, student__district_id=district_id, student__is_active=True, staff__is_active=True
    ).select_related("student__school")
    if staff_id is not None:
        caseloads = caseloads.filter(staff_id=staff_id)
    caseload_rows = list(caseloads)
    if not caseload_rows or not items:
        return 0
    sessions = list(AcademicSession.objects.filter(
        district_id=district_id, session_type="gradingPeriod", is_active=True,
        start_date__lte=today + timedelta(days=UPCOMING_PERIOD_DAYS), end_date__gte=today,
    ))
    ppts: dict[int, list[date]] = defaultdict(list)
    for student_id, meeting in PptDate.objects.filter(
        student_id__in=[c.student_id for c in caseload_rows], meeting_date__gte=today - timedelta(days=RECENT_PPT_DAYS)
    ).values_list("student_id", "meeting_date"):
        ppts[student_id].append(meeting)
    existing = set(ChecklistTask.objects.filter(
        item__in=items, staff_id__in={c.staff_id for c in caseload_rows}
    ).values_list("item_id", "staff_id", "student_id", "period"))
    new: list[ChecklistTask] = []
    for caseload in caseload_rows:
        for item in items:
            for candidate in _tasks_for(item, caseload, today, sessions, ppts.get(caseload.student_id, [])):
                key = (item.pk, candidate.staff_id, candidate.student_id, candidate.period)
                if key not in existing:
                    existing.add(key)
                    new.append(candidate)
    with transaction.atomic():
        ChecklistTask.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
        _complete_from_past_contacts(new)
    return len(new)


def _complete_from_past_contacts(tasks: list[ChecklistTask]) -> None:
    """A "record preferences" task created after the contact that recorded them is completed by it."""
    if not tasks:
        return
    through = ContactLog.students.through
    rows = through.objects.filter(
        student_id__in={t.student_id for t in tasks},
        contactlog__staff_id__in={t.staff_id for t in tasks},
        contactlog__preferences_recorded=True,
        contactlog__occurred_at__date__gte=min(t.window_start for t in tasks) - timedelta(days=1),
    ).values_list("student_id", "contactlog_id", "contactlog__staff_id", "contactlog__occurred_at",
                  "contactlog__created_by_id")
    by_key: dict[tuple[int, int], list[tuple[int, int | None, date]]] = defaultdict(list)
    for student_id, contact_id, staff_id, occurred, author in rows:
        by_key[(staff_id, student_id)].append((contact_id, author, timezone.localdate(occurred)))
    saved = {(t.item_id, t.staff_id, t.student_id, t.period): t for t in ChecklistTask.objects.filter(
        staff_id__in={t.staff_id for t in tasks}, student_id__in={t.student_id for t in tasks},
        completed_at__isnull=True, item__completed_by_event=CompletionEvent.PREFERENCES_RECORDED,
        item__manual_only=False,
    )}
    now: datetime = timezone.now()
    done = []
    for candidate in tasks:
        task = saved.get((candidate.item_id, candidate.staff_id, candidate.student_id, candidate.period))
        if task is None:
            continue
        for contact_id, author_id, day in sorted(by_key.get((task.staff_id, task.student_id), []),
                                                 key=lambda entry: entry[2]):
            if task_window_contains(task, day):
                task.completed_at, task.completed_by_contact_id, task.completed_by_id = now, contact_id, author_id
                done.append(task)
                break
    ChecklistTask.objects.bulk_update(done, ["completed_at", "completed_by_contact", "completed_by"], batch_size=500)
