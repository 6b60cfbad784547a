"""FERPA: an access row per student shown, written in one statement per request, however many students.

A page or an export that lists more students costs no more queries: the students are logged by one
INSERT … SELECT (access.access_log.record_student_access), never one query (or one batch) per student.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from homeroom.access.access_log import record_student_access
from homeroom.core.models import AccessLog
from tests import factories as f
from tests.contacts.helpers import log_contact


def test_access_rows_are_one_statement_whatever_the_number_of_students(world):
    students = [f.StudentFactory(district=world.district, school=world.lincoln) for _ in range(1200)]
    with CaptureQueriesContext(connection) as few:
        record_student_access(user=world.teacher.user, student_ids=[s.pk for s in students[:3]], action="view")
    with CaptureQueriesContext(connection) as many:
        record_student_access(user=world.teacher.user, student_ids=[s.pk for s in students], action="view")
    assert len(few) == len(many) == 1
    assert AccessLog.objects.filter(user=world.teacher.user).count() == 1203


def test_a_queryset_of_students_is_logged_without_reading_their_ids_first(world):
    from homeroom.roster.models import Student

    with CaptureQueriesContext(connection) as queries:
        record_student_access(user=world.principal.user, student_ids=Student.objects.filter(school=world.lincoln),
                              action="view")
    assert len(queries) == 1
    assert sorted(AccessLog.objects.values_list("student_id", flat=True)) == sorted([world.sofia.pk, world.mateo.pk])


def test_ids_of_students_that_do_not_exist_are_skipped(world):
    record_student_access(user=world.teacher.user, student_ids=[world.sofia.pk, 987654], action="view")
    assert list(AccessLog.objects.values_list("student_id", flat=True)) == [world.sofia.pk]


def _queries(client: Client, url: str, method: str = "get", data: Any = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data=data)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


PAGES = [
    ("contacts:monthly_log", "get", None),
    ("contacts:monthly_log_csv", "get", None),
    ("contacts:monthly_log_xlsx", "get", None),
    ("contacts:my_students", "get", None),
    ("api:students", "get", None),
    ("roster:search", "post", {"q": "ki"}),
]


@pytest.mark.parametrize(("url_name", "method", "data"), PAGES)
def test_query_count_does_not_grow_with_the_number_of_students(world, client_for, url_name, method, data):
    """A principal's pages with 3, then 30 more students (each in a contact): the same number of queries."""

    def add(n: int) -> None:
        for i in range(n):
            kid = f.StudentFactory(district=world.district, school=world.lincoln, given_name=f"Kim{i}")
            log_contact(world.principal, students=[kid], guardians=[world.ana], when=timezone.now())

    client = client_for("principal")
    add(3)
    url = reverse(url_name)
    _queries(client, url, method, data)  # warm per-process caches
    cache.clear()  # figures kept in the shared cache (the monthly log's counts) are counted afresh each time
    before = _queries(client, url, method, data)
    add(30)
    cache.clear()
    after = _queries(client, url, method, data)
    assert after == before, f"{url_name}: {before} queries with 5 students, {after} with 35"
    assert AccessLog.objects.filter(user=world.principal.user).exists()
