"""The outreach plan end to end: absences imported → a warm notice in the family's language → tasks on "My week"
→ the contact logged → the task closed; and the deadline escalated to the principal when it is missed."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from homeroom.attendance.models import AttendanceNotice, OutreachPlan, OutreachTask, ThresholdCrossing
from homeroom.attendance.outreach import escalate_overdue
from homeroom.contacts.models import ContactLog
from homeroom.core.models import OutboxEntry, Role
from homeroom.messaging.models import Delivery
from tests import factories as f
from tests.attendance.helpers import run_import, weekdays

DAYS = weekdays(date(2025, 9, 1), 20)  # 1–26 September
TODAY = DAYS[-1]  # Friday 26 September
ABSENT = DAYS[-4:]  # 23–26 September: four unexcused absences in one month


def _import_month(world, capture, *, student=None, absent=ABSENT, today=TODAY):
    student = student or world.sofia
    rows = [(student.sourced_id, d.isoformat(), "absent" if d in absent else "present", "", "", "") for d in DAYS]
    with capture(execute=True):
        return run_import(world, rows, today=today)


def _tasks(student):
    return {t.kind: t for t in OutreachTask.objects.filter(student=student)}


def test_absences_to_a_spanish_notice_to_my_week_to_a_logged_contact_to_a_closed_task(
        world, client_for, django_capture_on_commit_callbacks):
    report = _import_month(world, django_capture_on_commit_callbacks)
    assert report.evaluation["notices"] == 1  # the day-of absence only, not the three before it

    # The notice went to Sofia's mother, in Spanish, and not to her father who holds no rights.
    notice = AttendanceNotice.objects.get(student=world.sofia)
    assert notice.day == TODAY and notice.message is not None
    deliveries = Delivery.objects.filter(message=notice.message)
    assert {d.guardian_id for d in deliveries} == {world.ana.pk}
    assert {d.content_language for d in deliveries} == {"es"}
    assert {d.state for d in deliveries} <= {"sent", "delivered"}
    sent = OutboxEntry.objects.filter(to__in=[world.ana.email, world.ana.mobile_phone])
    assert sent.exists()
    assert all("Extrañamos a Sofia" in entry.body for entry in sent)

    # Truant (4 unexcused in a month) and chronically absent: the plan's tasks exist, for the right people.
    tasks = _tasks(world.sofia)
    assert tasks["truancy_meeting"].assigned_to == world.principal  # no social worker at Lincoln
    assert tasks["truancy_meeting"].due_on == date(2025, 10, 10)  # 10 school days
    assert tasks["personal_contact"].assigned_to == world.teacher
    assert set(ThresholdCrossing.objects.filter(student=world.sofia).values_list("threshold", flat=True)) == {
        "at_risk", "chronic", "truant"}

    # The task is on the principal's "My week".
    principal = client_for("principal")
    week = principal.get(reverse("contacts:my_week")).content.decode()
    assert "Truancy meeting with the family" in week and "Sofia Garcia" in week
    close_url = reverse("attendance:task_close", args=[tasks["truancy_meeting"].pk])
    assert close_url in week

    # A call nobody answered is logged, and the task stays open.
    form = {"occurred_at": "2025-09-29T16:00", "method": "phone", "outcome": "no_answer",
            "guardians": [world.ana.pk], "notes": "Left no message."}
    principal.post(close_url, form)
    task = OutreachTask.objects.get(pk=tasks["truancy_meeting"].pk)
    assert task.closed_at is None
    assert ContactLog.objects.filter(staff=world.principal, purpose="attendance").count() == 1

    # Reaching the family closes it, and it leaves "My week".
    response = principal.post(close_url, form | {"outcome": "reached", "method": "in_person",
                                                 "notes": "Met with Ana; bus pass arranged."})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.closed_at is not None and task.contact.outcome == "reached"
    assert close_url not in principal.get(reverse("contacts:my_week")).content.decode()

    # The family's timeline shows the outreach.
    timeline = principal.get(reverse("contacts:family_timeline", args=[world.ana.pk])).content.decode()
    assert "Truancy meeting with the family" in timeline


def test_importing_the_same_day_again_sends_no_second_notice_and_opens_no_second_task(
        world, django_capture_on_commit_callbacks):
    _import_month(world, django_capture_on_commit_callbacks)
    tasks = OutreachTask.objects.count()
    correction = [(world.sofia.sourced_id, TODAY.isoformat(), "absent", "family", "", "")]
    with django_capture_on_commit_callbacks(execute=True):
        run_import(world, correction, today=TODAY)
    assert AttendanceNotice.objects.count() == 1
    assert OutreachTask.objects.count() == tasks


def test_a_correction_of_an_old_day_sends_no_day_of_notice(world, django_capture_on_commit_callbacks):
    _import_month(world, django_capture_on_commit_callbacks, absent=())
    old = [(world.sofia.sourced_id, DAYS[3].isoformat(), "absent", "", "", "")]
    with django_capture_on_commit_callbacks(execute=True):
        run_import(world, old, today=TODAY)
    assert not AttendanceNotice.objects.exists()


def test_an_excused_absence_gets_no_notice(world, django_capture_on_commit_callbacks):
    rows = [(world.sofia.sourced_id, TODAY.isoformat(), "absent", "illness", TODAY.isoformat(), "parent")]
    with django_capture_on_commit_callbacks(execute=True):
        run_import(world, rows, today=TODAY)
    assert not AttendanceNotice.objects.exists()


def test_no_task_before_the_plan_has_enough_days_to_judge(world, django_capture_on_commit_callbacks):
    # Absent on the second day of school: 50% absent, but the at-risk and chronic tiers wait for 20 days.
    rows = [(world.sofia.sourced_id, DAYS[0].isoformat(), "present", "", "", ""),
            (world.sofia.sourced_id, DAYS[1].isoformat(), "absent", "", "", "")]
    with django_capture_on_commit_callbacks(execute=True):
        run_import(world, rows, today=DAYS[1])
    assert not OutreachTask.objects.exists()
    assert ThresholdCrossing.objects.filter(student=world.sofia, threshold="chronic").exists()


def test_a_school_can_turn_off_day_of_notices_in_its_plan(world, django_capture_on_commit_callbacks):
    OutreachPlan.objects.create(district=world.district, school=world.lincoln,
                                tiers={"unexcused_absence": {"notice": False}})
    _import_month(world, django_capture_on_commit_callbacks)
    assert not AttendanceNotice.objects.exists()
    assert OutreachTask.objects.filter(student=world.sofia).exists()


def test_a_missed_truancy_meeting_deadline_goes_to_the_principal(world, client_for,
                                                                  django_capture_on_commit_callbacks):
    social_worker = f.StaffFactory(district=world.district, user=f.UserFactory(email="sw@riverside.example"))
    f.StaffRoleFactory(staff=social_worker, role=Role.SOCIAL_WORKER, school=world.lincoln)
    _import_month(world, django_capture_on_commit_callbacks)
    task = _tasks(world.sofia)["truancy_meeting"]
    assert task.assigned_to == social_worker
    assert escalate_overdue(today=task.due_on) == 0  # due today: not missed yet
    assert escalate_overdue(today=date(2025, 10, 13)) == 1  # the meeting; the referral names nobody to escalate to
    task.refresh_from_db()
    assert task.escalated_to == world.principal and task.escalated_at is not None
    week = client_for("principal").get(reverse("contacts:my_week")).content.decode()
    assert "Escalated to you: the deadline passed." in week
