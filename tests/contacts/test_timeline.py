"""The family contact record: one timeline across staff and sources, filtered, within scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from homeroom.contacts import timeline
from homeroom.contacts.timeline import TimelineFilters, TimelineItem, family_timeline
from tests import factories as f
from tests.contacts.helpers import aware, log_contact


def test_timeline_includes_contacts_by_every_staff_member(world):
    log_contact(world.teacher, students=[world.mateo], guardians=[world.rosa], when=aware(2025, 10, 1, 9))
    log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], when=aware(2025, 10, 2, 9))
    items = family_timeline(world.principal.user, world.rosa)
    assert [i.staff_name for i in items] == ["Wei Chen", "Elena Rivera"]


def test_timeline_covers_the_household(world):
    household = f.HouseholdFactory(district=world.district)
    world.ana.household = world.luis.household = household
    world.ana.save()
    world.luis.save()
    log_contact(world.teacher, students=[world.sofia], guardians=[world.luis], when=aware(2025, 10, 1, 9))
    assert len(family_timeline(world.teacher.user, world.ana)) == 1


def test_timeline_filters_by_method(world):
    log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], method="email")
    log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], method="phone")
    items = family_timeline(world.teacher.user, world.ana, TimelineFilters(method="email"))
    assert [i.method for i in items] == ["Email"]


def test_timeline_hides_notes_the_user_may_not_read(world):
    log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], notes="private")
    assert family_timeline(world.teacher.user, world.rosa)[0].detail == ""


def test_timeline_merges_provider_items(world, monkeypatch):
    def fake_messages(guardian_ids, since=None, until=None):
        return [TimelineItem(when=timezone.now(), kind="message", title="Picture day", student_ids=[world.sofia.pk],
                             guardian_ids=guardian_ids)]

    monkeypatch.setattr(timeline, "_registered", [fake_messages])
    log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], when=aware(2025, 10, 1, 9))
    assert [i.kind for i in family_timeline(world.teacher.user, world.ana)] == ["message", "contact"]


def test_timeline_page_of_a_family_outside_scope_is_not_found(client_for, world):
    assert client_for("other_teacher").get(reverse("contacts:family_timeline", args=[world.ana.pk])).status_code == 404


def test_timeline_page_lists_the_contact(client_for, world):
    log_contact(world.teacher, students=[world.sofia], guardians=[world.ana], purpose="attendance")
    response = client_for("teacher").get(reverse("contacts:family_timeline", args=[world.ana.pk]),
                                         {"purpose": "attendance"})
    assert "Attendance" in response.content.decode()
