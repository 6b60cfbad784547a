"""The district overview's students per school: counted once per roster generation for a school or district scope."""

from __future__ import annotations

from django.urls import reverse

from homeroom.roster import generation
from tests import factories as f


def _counts(client) -> dict[int, int]:
    board = client.get(reverse("roster:dashboard")).context["board"]
    return {school.pk: school.visible_students for school in board.schools}


def test_a_districts_counts_wait_for_the_next_import(client_for, world):
    client = client_for("admin")
    before = _counts(client)
    f.StudentFactory(district=world.district, school=world.lincoln)
    assert _counts(client) == before  # cached: the roster changes through imports
    generation.bump()  # what an import does when it ends
    assert _counts(client)[world.lincoln.pk] == before[world.lincoln.pk] + 1


def test_a_teachers_counts_are_never_cached(client_for, world):
    client = client_for("teacher")
    before = _counts(client)
    student = f.StudentFactory(district=world.district, school=world.lincoln)
    f.EnrollmentFactory(section=world.section_5a, student=student)
    assert _counts(client)[world.lincoln.pk] == before[world.lincoln.pk] + 1
