"""The section and student pages stay light: a fixed number of queries however many students and guardians."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories as f

# Measured: 13 (section) and 16 (student): session, user, scope and the page's own reads, including the
# guardians' consent choices and their emails on the suppression list (one query each for the whole page),
# plus one for the navigation's "My teams" link (surveys) and one for its inbox unread count (messaging).
# A per-row query would add at least a dozen more with the rosters below.
MAX_QUERIES = 18


@pytest.fixture
def big_section(world):
    for n in range(12):
        student = f.StudentFactory(district=world.district, school=world.lincoln, given_name=f"Kid{n}")
        f.EnrollmentFactory(section=world.section_5a, student=student)
        for relationship in ("mother", "father"):
            f.StudentGuardianFactory(student=student, relationship=relationship,
                                     guardian=f.GuardianFactory(district=world.district))
    return world.section_5a


def test_section_page_query_count_does_not_grow_with_the_roster(world, client_for, big_section,
                                                                django_assert_max_num_queries):
    client = client_for("teacher")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("roster:section", args=[big_section.pk]))
    assert len(response.context["roster"].rows) == 14


def test_student_page_query_count_does_not_grow_with_guardians(world, client_for, django_assert_max_num_queries):
    for _ in range(6):
        f.StudentGuardianFactory(student=world.sofia, relationship="relative",
                                 guardian=f.GuardianFactory(district=world.district))
    client = client_for("principal")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("roster:student", args=[world.sofia.pk]))
    assert len(response.context["record"].guardians) == 8
