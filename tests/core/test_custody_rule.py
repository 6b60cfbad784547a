"""The custody rule (access.scoping.family_access): a guardian with educational rights who may not receive
information is left out of every staff list of families, every export of recipients, and every send."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from homeroom.access import scoping
from homeroom.contacts.models import ContactLog
from homeroom.contacts.monthly import MonthlyFilters, monthly_counts
from homeroom.contacts.selectors import my_week
from homeroom.messaging.compose.saved_lists import saved_list_students
from homeroom.messaging.models import Delivery
from tests import factories as f
from tests.messaging.helpers import compose, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def marco(world):
    """Mateo's father: educational rights, but a court order says he may not receive information."""
    marco = f.GuardianFactory(district=world.district, user=f.UserFactory(email="marco@family.example"),
                              given_name="Marco", family_name="Lopez", email="marco@family.example",
                              mobile_phone="+12035550177")
    f.StudentGuardianFactory(student=world.mateo, guardian=marco, relationship="father",
                             has_educational_rights=True, may_receive_information=False)
    return marco


def test_guardian_who_may_not_receive_information_sees_no_child(world, marco):
    assert not scoping.students_for(marco.user).exists()


def test_guardian_who_may_not_receive_information_is_not_a_quiet_family_in_my_week(world, marco):
    assert marco not in my_week(world.teacher.user).quiet_families
    assert marco not in my_week(world.case_manager.user).quiet_families


def test_guardian_who_may_not_receive_information_is_not_counted_as_a_family_to_contact(world, marco):
    october = MonthlyFilters(month=date(2025, 10, 1), through=date(2025, 10, 1))
    counts = monthly_counts(world.teacher.user, october, ContactLog.objects.none())
    assert counts["families_in_scope"] == 2  # Ana's and Rosa's families; not Marco


def test_guardian_who_may_not_receive_information_is_not_in_a_saved_lists_families(world, marco):
    [mateo] = saved_list_students(world.teacher.user, [world.mateo.pk])
    assert marco.pk not in {link.guardian_id for link in mateo.family_links}


def test_guardian_who_may_not_receive_information_gets_no_message_and_is_not_in_its_export(
        world, marco, client_for, django_capture_on_commit_callbacks):
    message = send(world, compose(world, category="urgent"), django_capture_on_commit_callbacks)
    assert not Delivery.objects.filter(message=message, guardian=marco).exists()
    response = client_for("principal").get(reverse("messaging:report_csv", args=[message.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert str(marco.pk) not in {row[0] for row in rows[1:]}


def test_monthly_log_page_counts_leave_him_out(world, marco, client_for):
    counts = client_for("teacher").get(reverse("contacts:monthly_log"), {"month": "2025-10"}).context["counts"]
    assert counts["families_in_scope"] == 2
