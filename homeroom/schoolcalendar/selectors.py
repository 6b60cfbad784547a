"""Reads over the school calendar, starting from the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from homeroom.access import scoping
from homeroom.schoolcalendar.models import Closure, SchoolCalendar


def _visible(user: Any) -> Q:
    scope = scoping.scope_for(user)
    return Q(district_id__in=scope.district_ids) & (
        Q(school__isnull=True) | Q(school__in=scoping.schools_for(user))
    )


def closures_for(user: Any) -> QuerySet[Closure]:
    return Closure.objects.filter(_visible(user)).select_related("school")


def calendars_for(user: Any) -> QuerySet[SchoolCalendar]:
    return SchoolCalendar.objects.filter(_visible(user)).select_related("school")
