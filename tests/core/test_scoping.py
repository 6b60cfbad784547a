"""The permission layer: who sees which students and guardians."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from homeroom.access import scoping


def names(qs):
    return sorted(s.given_name for s in qs)


def test_teacher_sees_only_students_in_their_sections(world):
    assert names(scoping.students_for(world.teacher.user)) == ["Mateo", "Sofia"]


def test_teacher_of_other_school_sees_only_their_students(world):
    assert names(scoping.students_for(world.other_teacher.user)) == ["Liam"]


def test_case_manager_sees_caseload(world):
    assert names(scoping.students_for(world.case_manager.user)) == ["Mateo"]


def test_principal_sees_their_school(world):
    assert names(scoping.students_for(world.principal.user)) == ["Mateo", "Sofia"]


def test_district_admin_sees_district(world):
    assert names(scoping.students_for(world.admin.user)) == ["Liam", "Mateo", "Sofia"]


def test_guardian_with_rights_sees_own_child(world):
    assert names(scoping.students_for(world.ana.user)) == ["Sofia"]


def test_noncustodial_parent_without_rights_sees_no_child(world):
    assert names(scoping.students_for(world.luis.user)) == []


def test_teacher_sees_guardians_of_their_students_only(world):
    assert names(scoping.guardians_for(world.teacher.user)) == ["Ana", "Luis", "Rosa"]


def test_guardian_sees_only_themself(world):
    assert names(scoping.guardians_for(world.ana.user)) == ["Ana"]


def test_anonymous_sees_nothing(world):
    assert not scoping.students_for(None).exists()


def test_restricted_fields_hidden_from_teachers(world):
    assert scoping.may_see_restricted(world.principal.user)
    assert not scoping.may_see_restricted(world.teacher.user)


def test_administered_district_is_the_admins_own_and_refused_to_everyone_else(world):
    assert scoping.administered_district(world.admin.user) == world.admin.district
    for actor in ("principal", "teacher", "case_manager", "ana", "anonymous"):
        with pytest.raises(PermissionDenied):
            scoping.administered_district(world.user(actor))
