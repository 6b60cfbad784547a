"""Reads over the roster, always starting from the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from homeroom.core import scoping
from homeroom.roster.models import School


def dashboard_schools(user: Any) -> QuerySet[School]:
    students = scoping.staff_students_for(user)
    return scoping.schools_for(user).annotate(
        visible_students=Count("students", filter=Q(students__in=students), distinct=True)
    )
