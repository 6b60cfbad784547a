""""Message this family": a signed reference to a family's students that opens compose prefilled.

The student's, guardian's and household's pages POST it to compose (`open_family`), so nothing goes into a
URL and no form asks for a record id. The token holds the students' ids (signed, so it cannot be edited into
someone else's family) and is checked again against the sender's scope when compose opens it and when the
form is sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core import signing
from django.db.models import QuerySet

from homeroom.access import scoping
from homeroom.roster.models import Guardian, Student, StudentGuardian

SALT = "homeroom.messaging.family"
MAX_AGE = 60 * 60 * 24  # a day: a page left open overnight still works


def family_token(student_ids: Iterable[int]) -> str:
    return signing.dumps(sorted(set(student_ids)), salt=SALT, compress=True)


def family_students(user: Any, token: str) -> list[Student]:
    """The family's students the user may message; [] for a bad, expired or out-of-scope token."""
    try:
        ids = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        return []
    return list(scoping.staff_students_for(user).filter(pk__in=ids).order_by("given_name", "pk"))


def students_of_guardian(user: Any, guardian: Guardian) -> QuerySet[Student]:
    """A guardian's children the user may see, through links that let the guardian hear about them."""
    return scoping.staff_students_for(user).filter(pk__in=StudentGuardian.objects.filter(
        scoping.family_access(), guardian=guardian).values("student_id"))


def compose_token(student_ids: Iterable[int]) -> str:
    ids = list(student_ids)
    return family_token(ids) if ids else ""
