"""Filter forms offer the useful part of the viewer's scope, never the whole district's staff and classes."""

from __future__ import annotations

from django.urls import reverse

from tests import factories as f
from tests.contacts.helpers import log_contact


def _options(response, field):
    return {str(label) for value, label in response.context["form"].fields[field].choices if value}


def _elsewhere(world):
    """A class and its teacher at Washington, nothing to do with Elena Rivera's class."""
    stranger = f.StaffFactory(district=world.district, given_name="Zoe", family_name="Stranger")
    section = f.SectionFactory(district=world.district, school=world.washington, title="8C")
    f.EnrollmentFactory(section=section, role="teacher", staff=stranger)
    return stranger, section


def test_a_teacher_is_offered_their_own_classes_and_co_teachers(client_for, world):
    _elsewhere(world)
    co_teacher = f.StaffFactory(district=world.district, given_name="Ivy", family_name="Co")
    f.EnrollmentFactory(section=world.section_5a, role="aide", staff=co_teacher)
    response = client_for("teacher").get(reverse("contacts:monthly_log"))
    assert _options(response, "section") == {"5A"}
    assert _options(response, "staff") == {"Elena Rivera", "Ivy Co"}


def test_an_administrator_picks_a_school_first_then_its_classes_and_staff(client_for, world):
    _elsewhere(world)
    client = client_for("admin")
    first = client.get(reverse("contacts:monthly_log"))
    assert _options(first, "section") == set() and _options(first, "staff") == set()
    assert "Choose a school" in first.content.decode()
    washington = client.get(reverse("contacts:monthly_log"), {"school": world.washington.pk})
    assert _options(washington, "section") == {"7B", "8C"}
    assert _options(washington, "staff") == {"Tom Baker", "Zoe Stranger"}


def test_any_staff_member_in_scope_may_still_be_chosen_and_stays_selected(client_for, world):
    stranger, _section = _elsewhere(world)
    response = client_for("admin").get(reverse("contacts:monthly_log"), {"staff": stranger.pk})
    assert response.context["form"].is_valid()
    assert _options(response, "staff") == {"Zoe Stranger"}
    assert f'<option value="{stranger.pk}" selected>' in response.content.decode()


def test_the_timeline_offers_the_staff_who_contacted_the_family(client_for, world):
    _elsewhere(world)
    log_contact(world.teacher, students=[world.sofia], guardians=[world.ana])
    response = client_for("principal").get(reverse("contacts:family_timeline", args=[world.ana.pk]))
    assert _options(response, "staff") == {"Elena Rivera"}
