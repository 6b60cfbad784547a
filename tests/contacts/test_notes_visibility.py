"""Who may read contact notes: the author, the district admin, the school's principal or social worker, and
the student's case manager; nobody else."""

from __future__ import annotations

import pytest

from homeroom.contacts.selectors import contacts_for, may_see_notes
from homeroom.core.models import Role
from tests import factories as f
from tests.contacts.helpers import log_contact, teacher_contact


@pytest.mark.parametrize(("actor", "sees"), [
    ("teacher", True), ("admin", True), ("principal", True), ("case_manager", False),
])
def test_notes_about_sofia(world, actor, sees):
    contact = teacher_contact(world)
    assert may_see_notes(world.user(actor), contact) is sees


def test_case_manager_sees_notes_about_a_student_on_their_caseload(world):
    contact = log_contact(world.teacher, students=[world.mateo], guardians=[world.rosa], notes="private")
    assert may_see_notes(world.case_manager.user, contact)


def test_a_teacher_of_the_student_does_not_see_another_authors_notes(world):
    contact = log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], notes="private")
    assert contacts_for(world.teacher.user).filter(pk=contact.pk).exists()
    assert not may_see_notes(world.teacher.user, contact)


def test_social_worker_of_the_school_sees_notes(world):
    worker = f.StaffFactory(district=world.district)
    f.StaffRoleFactory(staff=worker, role=Role.SOCIAL_WORKER, school=world.lincoln)
    assert may_see_notes(worker.user, teacher_contact(world))


def test_principal_of_another_school_does_not_see_notes(world):
    other = f.StaffFactory(district=world.district)
    f.StaffRoleFactory(staff=other, role=Role.PRINCIPAL, school=world.washington)
    assert not may_see_notes(other.user, teacher_contact(world))


def test_school_staff_role_does_not_see_notes(world):
    clerk = f.StaffFactory(district=world.district)
    f.StaffRoleFactory(staff=clerk, role=Role.STAFF, school=world.lincoln)
    contact = teacher_contact(world)
    assert contacts_for(clerk.user).filter(pk=contact.pk).exists()
    assert not may_see_notes(clerk.user, contact)


def test_teacher_of_another_school_cannot_see_the_contact_at_all(world):
    assert not contacts_for(world.other_teacher.user).filter(pk=teacher_contact(world).pk).exists()


def test_detail_page_hides_notes_from_a_teacher_who_may_not_read_them(client_for, world):
    from django.urls import reverse

    contact = log_contact(world.case_manager, students=[world.mateo], guardians=[world.rosa], notes="private matter")
    response = client_for("teacher").get(reverse("contacts:detail", args=[contact.pk]))
    assert response.status_code == 200
    assert "private matter" not in response.content.decode()
