"""Logging and correcting contacts: bad channels, saved preferences, correction history, the form."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from homeroom.contacts.models import ContactLog, ContactRevision
from homeroom.contacts.services import ContactInput, PreferencesInput, contact_log_update
from homeroom.core.models import AccessLog
from homeroom.roster.models import Guardian
from tests.contacts.helpers import log_contact, teacher_contact


def test_wrong_number_marks_the_number_used_as_bad(world):
    world.ana.home_phone = "+12035550199"
    world.ana.save()
    log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], outcome="wrong_number",
                channel_address="(203) 555-0199")
    world.ana.refresh_from_db()
    assert world.ana.home_phone_bad_at is not None
    assert world.ana.mobile_phone_bad_at is None


def test_bounced_email_marks_the_email_as_bad(world):
    log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], method="email",
                outcome="returned_mail")
    world.ana.refresh_from_db()
    assert world.ana.email_bad_at is not None


def test_reaching_the_family_marks_nothing_bad(world):
    log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], channel_address=world.ana.mobile_phone)
    world.ana.refresh_from_db()
    assert world.ana.mobile_phone_bad_at is None


def test_preferences_asked_during_a_contact_are_saved_to_the_guardian(world):
    prefs = PreferencesInput(guardian=world.ana, preferred_channel="voice", update_frequency="weekly",
                             best_time="after 5 pm")
    contact = log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], preferences=prefs)
    world.ana.refresh_from_db()
    assert world.ana.channel_order[0] == "voice"
    assert (world.ana.update_frequency, world.ana.best_time) == ("weekly", "after 5 pm")
    assert contact.preferences_recorded


def _input(contact, **changes):
    values = {name: getattr(contact, name) for name in (
        "occurred_at", "method", "purpose", "direction", "outcome", "language", "interpreter_used",
        "channel_address", "notes", "follow_up_on")}
    values.update(changes)
    return ContactInput(students=list(contact.students.all()), guardians=list(contact.guardians.all()), **values)


def test_edit_within_the_window_keeps_no_history(world):
    contact = teacher_contact(world)
    contact_log_update(contact=contact, edited_by=world.teacher.user, data=_input(contact, notes="Fixed typo"))
    assert not ContactRevision.objects.exists()


def test_correction_after_the_window_keeps_the_previous_values(world):
    contact = teacher_contact(world)
    ContactLog.objects.filter(pk=contact.pk).update(created_at=timezone.now() - timedelta(days=3))
    contact.refresh_from_db()
    contact_log_update(contact=contact, edited_by=world.teacher.user, data=_input(contact, purpose="positive"))
    revision = ContactRevision.objects.get()
    assert revision.previous == {"purpose": "general"}


def test_form_logs_a_contact_for_the_student_in_the_link(client_for, world):
    url = reverse("contacts:log_create") + f"?student={world.sofia.pk}"
    response = client_for("teacher").post(url, {
        "occurred_at": "2025-10-14T15:30", "students": [world.sofia.pk], "guardians": [world.ana.pk],
        "method": "phone", "direction": "school", "purpose": "positive", "outcome": "reached", "language": "es",
        "interpreter_used": "on", "notes": "Great week", "pref_channel": "sms", "pref_frequency": "monthly",
    })
    contact = ContactLog.objects.get()
    assert response.status_code == 302
    assert (contact.staff, contact.purpose, contact.interpreter_used) == (world.teacher, "positive", True)
    assert list(contact.guardians.all()) == [world.ana]
    world.ana.refresh_from_db()
    assert world.ana.update_frequency == "monthly"


def test_form_offers_only_the_students_family(client_for, world):
    response = client_for("teacher").get(reverse("contacts:log_create") + f"?student={world.sofia.pk}")
    guardians = list(response.context["form"].fields["guardians"].queryset)
    assert set(guardians) == {world.ana, world.luis}


def test_form_refuses_a_student_outside_scope(client_for, world):
    response = client_for("teacher").get(reverse("contacts:log_create") + f"?student={world.liam.pk}")
    assert response.status_code == 404


def test_form_refuses_a_guardian_posted_from_outside_scope(client_for, world):
    url = reverse("contacts:log_create") + f"?student={world.sofia.pk}"
    response = client_for("teacher").post(url, {
        "occurred_at": "2025-10-14T15:30", "students": [world.sofia.pk], "guardians": [world.paul.pk],
        "method": "phone", "direction": "school", "purpose": "general", "outcome": "reached", "language": "en"})
    assert response.status_code == 200
    assert not ContactLog.objects.exists()


def test_viewing_a_contact_is_recorded_in_the_access_log(client_for, world):
    contact = teacher_contact(world)
    client_for("principal").get(reverse("contacts:detail", args=[contact.pk]))
    assert AccessLog.objects.filter(user=world.principal.user, student=world.sofia, action="contact_viewed").exists()


def test_only_the_author_may_edit(client_for, world):
    contact = teacher_contact(world)
    assert client_for("principal").get(reverse("contacts:edit", args=[contact.pk])).status_code == 403


def test_my_students_shows_the_last_contact(client_for, world):
    teacher_contact(world)
    response = client_for("teacher").get(reverse("contacts:my_students"))
    students = {s.given_name: s.last_contact_at for s in response.context["page"].object_list}
    assert students["Sofia"] is not None
    assert students["Mateo"] is None


def test_a_wrong_number_marks_that_number_only_and_a_corrected_number_starts_clean(world):
    from homeroom.roster import reachability

    log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], method="text", outcome="wrong_number")
    ana = Guardian.objects.get(pk=world.ana.pk)
    assert reachability.is_marked(ana, "mobile_phone")
    ana.mobile_phone = "+12035550199"
    ana.save()
    assert not reachability.is_marked(Guardian.objects.get(pk=world.ana.pk), "mobile_phone")


def test_staff_record_a_familys_consent_during_a_call_in_the_ledger(client_for, world):
    from homeroom.roster.models import ConsentChange

    response = client_for("teacher").post(reverse("contacts:log_create") + f"?student={world.sofia.pk}", {
        "occurred_at": "2025-10-03T15:30", "students": [world.sofia.pk], "guardians": [world.ana.pk],
        "method": "phone", "direction": "school", "purpose": "general", "outcome": "reached", "language": "es",
        "pref_consent_channel": "voice", "pref_consent_category": "news", "pref_consent_answer": "refused",
    })
    assert response.status_code == 302
    change = ConsentChange.objects.get(guardian=world.ana)
    assert (change.channel, change.category, change.state, change.via, change.by) == (
        "voice", "news", "refused", "staff", world.teacher.user)
    html = client_for("principal").get(reverse("roster:guardian", args=[world.ana.pk])).content.decode()
    assert "School staff, during a contact" in html and "By: Elena Rivera" in html
