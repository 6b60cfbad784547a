"""Relational home visits: pairs, invitation and consent, the note's own visibility, the timeline entry."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeroom.contacts.models import ContactLog
from homeroom.programs import selectors, visits
from homeroom.programs.models import HomeVisit
from tests import factories as f
from tests.actors import build_world
from tests.programs.helpers import mateo_visit, trained_pair

pytestmark = pytest.mark.django_db

NOTE = "Grandmother works nights; prefers texts after 3 pm. Mateo loves drawing trains."


def _completed(w, *, shared=False):
    visit = mateo_visit(w)
    return visits.visit_complete(visit=visit, note=NOTE, note_shared=shared, user=w.teacher.user)


def _page(w, actor, visit):
    client = Client()
    client.force_login(getattr(w, actor).user)
    return client.get(reverse("programs:visit", args=[visit.pk]))


def test_the_two_visitors_and_the_case_manager_read_the_note_and_nobody_else():
    w = build_world()
    visit = _completed(w)
    colleague = f.StaffFactory(district=w.district, user=f.UserFactory())
    f.StaffRoleFactory(staff=colleague, role="staff", school=w.lincoln)
    assert selectors.may_read_visit_note(w.teacher.user, visit)  # visitor one
    assert selectors.may_read_visit_note(w.principal.user, visit)  # visitor two
    assert selectors.may_read_visit_note(w.case_manager.user, visit)  # Mateo's case manager
    assert not selectors.may_read_visit_note(colleague.user, visit)
    assert not selectors.may_read_visit_note(w.admin.user, visit)
    assert NOTE in _page(w, "case_manager", visit).content.decode()
    refused = _page(w, "admin", visit)
    assert refused.status_code == 200 and NOTE not in refused.content.decode()


def test_when_the_family_agrees_the_schools_staff_may_read_it():
    w = build_world()
    visit = _completed(w, shared=True)
    colleague = f.StaffFactory(district=w.district, user=f.UserFactory())
    f.StaffRoleFactory(staff=colleague, role="staff", school=w.lincoln)
    assert selectors.may_read_visit_note(colleague.user, visit)
    assert not selectors.may_read_visit_note(w.other_teacher.user, visit)  # another school: not even the visit


def test_the_timeline_entry_says_a_visit_took_place_and_never_carries_the_note():
    w = build_world()
    visit = _completed(w)
    contact = ContactLog.objects.get(source_key=f"programs-visit-{visit.pk}")
    assert contact.method == "home_visit"
    assert list(contact.guardians.all()) == [w.rosa] and list(contact.students.all()) == [w.mateo]
    assert NOTE not in contact.notes
    visits.visit_complete(visit=visit, note=NOTE + " More.", note_shared=False, user=w.teacher.user)
    assert ContactLog.objects.filter(source_key__startswith="programs-visit-").count() == 1


def test_a_visit_needs_a_pair_trained_staff_and_consent():
    w = build_world()
    trained_pair(w)
    data = {"student": w.mateo, "guardian": w.rosa, "visitor_one": w.teacher, "visitor_two": w.teacher,
                "invited_on": timezone.localdate(), "consent": True, "scheduled_for": timezone.now()}
    with pytest.raises(visits.VisitError):
        visits.visit_schedule(user=w.teacher.user, data=visits.VisitInput(**data))
    with pytest.raises(visits.VisitError):
        visits.visit_schedule(user=w.teacher.user, data=visits.VisitInput(**(data | {
            "visitor_two": w.principal, "consent": False})))
    with pytest.raises(visits.VisitError):
        visits.visit_schedule(user=w.teacher.user, data=visits.VisitInput(**(data | {
            "visitor_two": w.admin})))  # not trained
    assert not HomeVisit.objects.exists()


def test_opening_a_visit_is_in_the_access_log():
    w = build_world()
    visit = _completed(w)
    _page(w, "case_manager", visit)
    from homeroom.core.models import AccessLog

    assert AccessLog.objects.filter(student=w.mateo, action="programs.visit", user=w.case_manager.user).exists()


def test_my_week_lists_the_visitors_coming_visit_and_not_a_colleagues():
    from homeroom.contacts.week import sections_for

    w = build_world()
    visit = mateo_visit(w)
    today = timezone.localdate()
    mine = [s for s in sections_for(w.teacher.user, today=today) if s.title == "Home visits and events this week"]
    assert [e.url for e in mine[0].entries] == [reverse("programs:visit", args=[visit.pk])]
    theirs = [s for s in sections_for(w.case_manager.user, today=today)
              if s.title == "Home visits and events this week"]
    assert theirs == []
