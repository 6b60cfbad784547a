"""Whom events reach: groups by language, grade and subgroup, and no figure for a group under 10 students."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from homeroom.contacts.models import ContactLog
from homeroom.programs import events, reports
from homeroom.roster.models import Student
from tests import factories as f
from tests.actors import build_world
from tests.programs.helpers import lincoln_event

pytestmark = pytest.mark.django_db


def _families(w, count, *, language, grade):
    made = []
    for n in range(count):
        student = f.StudentFactory(district=w.district, school=w.lincoln, grade=grade, home_language=language)
        guardian = f.GuardianFactory(district=w.district, language=language)
        f.StudentGuardianFactory(student=student, guardian=guardian, relationship="mother")
        made.append((student, guardian, n))
    return made


def test_groups_under_ten_show_no_figures_and_larger_groups_do():
    w = build_world()
    event = lincoln_event(w)
    spanish = _families(w, 12, language="es", grade="03")
    haitian = _families(w, 4, language="ht", grade="03")
    for _student, guardian, _n in spanish[:6] + haitian[:1]:
        events.rsvp_create(event=event, guardian=guardian, data=events.RsvpInput(), via="link")
        events.attendance_record(event=event, guardian=guardian, how="ticked", user=w.principal.user)
    students = Student.objects.filter(school=w.lincoln, is_active=True)
    reached = reports.students_of_guardians(event.attendances.values_list("guardian_id", flat=True), students)
    rows = {(r.kind, r.label): r for r in reports.breakdown(students, reached)}
    spanish_row = next(r for (kind, _l), r in rows.items() if kind == "language" and r.students == 12)
    assert (spanish_row.suppressed, spanish_row.reached, spanish_row.percent) == (False, 6, 50)
    haitian_row = next(r for (kind, _l), r in rows.items() if kind == "language" and r.students == 4)
    assert haitian_row.suppressed and haitian_row.percent is None

    client = Client()
    client.force_login(w.principal.user)
    page = client.get(reverse("programs:event_report", args=[event.pk])).content.decode()
    assert "Not shown: fewer than 10 students" in page
    assert ">6<" in page  # the Spanish-speaking group's figure


def test_each_attendance_is_one_contact_on_the_familys_timeline():
    w = build_world()
    event = lincoln_event(w)
    events.rsvp_create(event=event, guardian=w.ana, data=events.RsvpInput(), via="portal")
    events.attendance_record(event=event, guardian=w.ana, how="sign_in", user=w.principal.user)
    events.attendance_record(event=event, guardian=w.ana, how="ticked", user=w.principal.user)
    [contact] = ContactLog.objects.filter(source_key__startswith="programs-attendance-")
    assert list(contact.guardians.all()) == [w.ana] and list(contact.students.all()) == [w.sofia]
    assert contact.source == "logged"  # shown on the timeline like any contact staff record
    assert "Family math night" in contact.notes


def test_the_feedback_card_goes_only_to_the_families_who_came():
    from homeroom.surveys.models import Invitation

    w = build_world()
    event = lincoln_event(w)
    for guardian in (w.ana, w.rosa):
        events.rsvp_create(event=event, guardian=guardian, data=events.RsvpInput(), via="portal")
    events.attendance_record(event=event, guardian=w.ana, how="ticked", user=w.principal.user)
    assert events.feedback_send(event=event, user=w.principal.user) == 1
    [invitation] = Invitation.objects.all()
    assert list(invitation.students.all()) == [w.sofia]
    event.refresh_from_db()
    assert event.feedback_survey is not None and event.feedback_survey.anonymous


def test_the_feedback_card_reaches_a_haitian_family_in_kreyol_and_opens_in_it():
    """The card is the family-partnership instrument: a family reading Haitian Creole gets its text and its page
    in Kreyòl (Homeroom's own translation, not a machine's), like a Spanish-speaking one gets Spanish."""
    from homeroom.messaging.models import Delivery, Message
    from homeroom.surveys.links import invitation_token
    from homeroom.surveys.models import Invitation

    w = build_world()
    w.ana.language = "ht"
    w.ana.save(update_fields=["language"])
    event = lincoln_event(w)
    events.rsvp_create(event=event, guardian=w.ana, data=events.RsvpInput(), via="portal")
    events.attendance_record(event=event, guardian=w.ana, how="ticked", user=w.principal.user)
    assert events.feedback_send(event=event, user=w.principal.user) == 1
    delivery = Delivery.objects.filter(guardian=w.ana).first()
    assert delivery is not None and delivery.content_language == "ht"
    content = Message.objects.get(pk=delivery.message_id).contents.get(language="ht")
    assert content.subject == "Sondaj sou patenarya ak fanmi yo" and "Reponn isit la" in content.body
    [invitation] = Invitation.objects.all()
    page = Client().get(reverse("surveys:answer", args=[invitation_token(invitation.pk)])).content.decode()
    assert '<html lang="ht">' in page and "Dakò nèt" in page and "Strongly agree" not in page


def test_a_language_spelled_several_ways_is_one_row():
    w = build_world()
    students = []
    for language in ("en", "en-US", "eng", "English", "pt", "pt-BR", "por"):
        students.append(f.StudentFactory(district=w.district, school=w.lincoln, home_language=language))
    queryset = Student.objects.filter(pk__in=[s.pk for s in students])
    rows = [(r.label, r.students, r.reached) for r in reports.breakdown(queryset, {students[1].pk})
            if r.kind == "language"]
    assert sorted(rows) == [("Brazilian Portuguese", 3, 0), ("English", 4, 1)]
