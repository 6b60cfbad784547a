"""The case manager checklist: shipped defaults, tasks per caseload, due dates in school days, completion."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from homeroom.contacts.checklist import checklist_sync_for_caseloads
from homeroom.contacts.models import ChecklistItem, ChecklistTask, ChecklistTemplate, PptDate
from homeroom.roster.models import AcademicSession, Caseload
from homeroom.schoolcalendar.services import closure_create
from tests.contacts.helpers import aware, log_contact

JOINED = date(2025, 10, 1)  # a Wednesday
TODAY = date(2025, 10, 6)


def _sync(world, today=TODAY):
    Caseload.objects.filter(staff=world.case_manager).update(start_date=JOINED)
    return checklist_sync_for_caseloads(world.district.pk, today=today)


def _task(world, code):
    return ChecklistTask.objects.get(staff=world.case_manager, student=world.mateo, item__code=code)


def test_connecticut_defaults_are_shipped_by_migration(db):
    template = ChecklistTemplate.objects.get(district=None)
    assert template.code == "ct-case-manager"
    assert set(template.items.values_list("code", flat=True)) >= {"introduce", "preferences", "positive-note"}


def test_sync_creates_tasks_for_each_caseload_student(world):
    _sync(world)
    codes = set(ChecklistTask.objects.filter(staff=world.case_manager, student=world.mateo)
                .values_list("item__code", flat=True))
    assert codes == {"introduce", "preferences", "positive-note"}


def test_sync_is_idempotent(world):
    _sync(world)
    assert _sync(world) == 0


def test_introduction_is_due_ten_school_days_after_joining(world):
    _sync(world)
    assert _task(world, "introduce").due_on == date(2025, 10, 15)


def test_closures_push_the_due_date_back(world):
    closure_create(district=world.district, start_date=date(2025, 10, 13), reason="Columbus Day")
    _sync(world)
    assert _task(world, "introduce").due_on == date(2025, 10, 16)


def test_a_reached_contact_does_not_complete_the_task_by_itself(world):
    _sync(world)
    log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], when=aware(2025, 10, 3, 10),
                outcome="reached")
    assert _task(world, "introduce").completed_at is None


def test_a_contact_staff_tie_to_the_task_completes_it(world):
    _sync(world)
    task = _task(world, "introduce")
    contact = log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa],
                          when=aware(2025, 10, 3, 10), completes=[task])
    task.refresh_from_db()
    assert task.completed_at is not None
    assert task.completed_by_contact == contact
    assert task.completed_by == world.case_manager.user


def test_another_staff_members_contact_cannot_complete_it_even_if_tied(world):
    _sync(world)
    task = _task(world, "introduce")
    log_contact(world.teacher, students=[world.mateo], guardians=[world.rosa], when=aware(2025, 10, 3, 10),
                completes=[task])
    assert _task(world, "introduce").completed_at is None


def test_a_tie_to_a_task_of_another_student_does_nothing(world):
    _sync(world)
    task = _task(world, "introduce")
    log_contact(world.case_manager, students=[world.sofia], guardians=[world.ana], completes=[task])
    assert _task(world, "introduce").completed_at is None


def test_a_positive_contact_does_not_complete_the_positive_note_by_its_purpose(world):
    _sync(world)
    log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], purpose="positive",
                when=aware(2025, 10, 20, 10))
    assert _task(world, "positive-note").completed_at is None


def test_a_special_education_call_does_not_complete_the_progress_report(world):
    AcademicSession.objects.create(district=world.district, title="Q1", session_type="gradingPeriod",
                                   start_date=date(2025, 8, 27), end_date=date(2025, 11, 7))
    _sync(world)
    log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], purpose="special_education",
                method="phone", when=aware(2025, 10, 3, 10))
    log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], purpose="academic",
                when=aware(2025, 10, 4, 10))
    assert _task(world, "progress-report").completed_at is None


def test_a_sent_progress_report_completes_the_progress_report_task(world):
    from homeroom.contacts.checklist import checklist_complete_by_event
    from homeroom.contacts.models import CompletionEvent

    AcademicSession.objects.create(district=world.district, title="Q1", session_type="gradingPeriod",
                                   start_date=date(2025, 8, 27), end_date=date(2025, 11, 7))
    _sync(world)
    done = checklist_complete_by_event(student_id=world.mateo.pk, event=CompletionEvent.PROGRESS_REPORT_SENT,
                                       user=world.case_manager.user, day=date(2025, 10, 30))
    assert done == 1
    assert _task(world, "progress-report").completed_at is not None
    assert _task(world, "introduce").completed_at is None


def test_a_progress_report_filed_for_the_family_is_the_event(world):
    from django.core.files.base import ContentFile

    from homeroom.portal.services import family_document_create

    AcademicSession.objects.create(district=world.district, title="Q1", session_type="gradingPeriod",
                                   start_date=date(2025, 8, 27), end_date=date.today() + timedelta(days=30))
    Caseload.objects.filter(staff=world.case_manager).update(start_date=JOINED)
    checklist_sync_for_caseloads(world.district.pk)
    family_document_create(district=world.district, title="Progress report", file=ContentFile(b"%PDF-1.4", "r.pdf"),
                           language="en", student=world.mateo, guardians=[world.rosa], kind="progress_report",
                           created_by=world.case_manager.user)
    assert _task(world, "progress-report").completed_at is not None


def test_the_log_form_offers_the_open_tasks_and_completes_the_ticked_one(client_for, world):
    _sync(world, today=date.today())
    task = ChecklistTask.objects.get(staff=world.case_manager, student=world.mateo, item__code="introduce")
    client = client_for("case_manager")
    url = reverse("contacts:log_create") + f"?student={world.mateo.pk}"
    page = client.get(url)
    assert task in page.context["form"].fields["completes"].queryset
    assert "ppt" not in " ".join(t.item.code for t in page.context["form"].fields["completes"].queryset)
    response = client.post(url, {
        "occurred_at": date.today().isoformat(), "students": [world.mateo.pk], "guardians": [world.rosa.pk],
        "method": "phone", "direction": "school", "purpose": "special_education", "outcome": "reached",
        "language": "en", "completes": [task.pk],
    })
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    task.refresh_from_db()
    assert task.completed_at is not None and task.completed_by_contact is not None
    others = ChecklistTask.objects.filter(staff=world.case_manager, student=world.mateo).exclude(pk=task.pk)
    assert not others.filter(completed_at__isnull=False).exists()


def test_recording_preferences_completes_the_preferences_item(world):
    from homeroom.contacts.services import PreferencesInput

    _sync(world)
    log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], when=aware(2025, 10, 3, 10),
                preferences=PreferencesInput(guardian=world.rosa, update_frequency="weekly"))
    assert _task(world, "preferences").completed_at is not None


def test_preferences_recorded_before_the_task_existed_complete_it_on_sync(world):
    from homeroom.contacts.services import PreferencesInput

    Caseload.objects.filter(staff=world.case_manager).update(start_date=JOINED)
    log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], when=aware(2025, 10, 2, 9),
                preferences=PreferencesInput(guardian=world.rosa, update_frequency="weekly"))
    checklist_sync_for_caseloads(world.district.pk, today=TODAY)
    assert _task(world, "preferences").completed_at is not None
    assert _task(world, "introduce").completed_at is None


def test_ppt_invitation_is_due_five_school_days_before_the_meeting(world):
    closure_create(district=world.district, start_date=date(2025, 10, 17))
    PptDate.objects.create(student=world.mateo, meeting_date=date(2025, 10, 22))
    _sync(world)
    assert _task(world, "ppt-invitation").due_on == date(2025, 10, 14)
    assert _task(world, "ppt-follow-up").due_on == date(2025, 10, 29)


def test_a_contact_with_the_ppt_purpose_does_not_complete_the_invitation_task(world):
    # Only the meetings app's real invitation completes it (tests/meetings/test_checklist_link.py).
    PptDate.objects.create(student=world.mateo, meeting_date=date(2025, 10, 22))
    _sync(world)
    log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], method="letter",
                purpose="special_education", when=aware(2025, 10, 8, 9), outcome="reached")
    assert _task(world, "ppt-invitation").completed_at is None


def test_a_reached_contact_after_the_ppt_does_not_complete_the_follow_up_task(world):
    PptDate.objects.create(student=world.mateo, meeting_date=date(2025, 10, 22))
    _sync(world)
    log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa],
                when=aware(2025, 10, 23, 9), outcome="reached")
    assert _task(world, "ppt-follow-up").completed_at is None


def test_adding_a_ppt_date_creates_its_tasks(client_for, world):
    meeting = date.today() + timedelta(days=21)
    client_for("case_manager").post(reverse("contacts:student_checklist", args=[world.mateo.pk]),
                                    {"meeting_date": meeting.isoformat()})
    assert _task(world, "ppt-follow-up").period == f"ppt-{meeting.isoformat()}"


def test_marking_period_gets_a_progress_report_task(world):
    session = AcademicSession.objects.create(district=world.district, title="Q1", session_type="gradingPeriod",
                                             start_date=date(2025, 8, 27), end_date=date(2025, 11, 7))
    _sync(world)
    task = _task(world, "progress-report")
    assert (task.period, task.due_on) == (f"mp-{session.pk}", date(2025, 11, 14))


def test_district_edit_changes_the_due_rule_for_new_tasks(world):
    from homeroom.contacts.checklist import checklist_item_update, checklist_template_copy_for_district

    template = checklist_template_copy_for_district(district=world.district)
    checklist_item_update(item=template.items.get(code="introduce"), values={"offset_school_days": 3})
    _sync(world)
    task = _task(world, "introduce")
    assert (task.item.template, task.due_on) == (template, date(2025, 10, 6))


def test_completing_by_hand(client_for, world):
    _sync(world)
    task = _task(world, "introduce")
    client_for("case_manager").post(reverse("contacts:task_complete", args=[task.pk]))
    task.refresh_from_db()
    assert task.completed_by == world.case_manager.user


def test_my_week_lists_overdue_items_for_the_case_manager(client_for, world):
    Caseload.objects.filter(staff=world.case_manager).update(start_date=date(2020, 1, 6))
    response = client_for("case_manager").get(reverse("contacts:my_week"))
    overdue = [t.item.code for t in response.context["week"].overdue]
    assert "introduce" in overdue


def test_my_week_lists_families_not_contacted(client_for, world):
    log_contact(world.teacher, students=[world.sofia], guardians=[world.ana])
    response = client_for("teacher").get(reverse("contacts:my_week"))
    assert set(response.context["week"].quiet_families) == {world.rosa}


def test_my_week_lists_follow_ups_due(client_for, world):
    contact = log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], follow_up_on=date.today())
    response = client_for("teacher").get(reverse("contacts:my_week"))
    assert response.context["week"].follow_ups == [contact]


def test_item_with_manual_only_is_never_auto_completed(world):
    ChecklistItem.objects.filter(code="preferences").update(manual_only=True)
    _sync(world)
    from homeroom.contacts.services import PreferencesInput

    log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], when=aware(2025, 10, 3, 10),
                preferences=PreferencesInput(guardian=world.rosa, update_frequency="weekly"))
    assert _task(world, "preferences").completed_at is None
