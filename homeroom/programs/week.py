"""The programs section of a staff member's "My week": their home visits and the events they run this week."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.contacts.week import WeekEntry, WeekSection
from homeroom.programs import selectors
from homeroom.programs.models import HomeVisit

AHEAD = dt.timedelta(days=7)


def week_section(user: Any, *, today: dt.date) -> WeekSection | None:
    scope = scoping.scope_for(user)
    if not scope.is_staff_member or scope.staff_id is None:
        return None
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    visits = (HomeVisit.objects.filter(Q(visitor_one_id=scope.staff_id) | Q(visitor_two_id=scope.staff_id),
                                       completed_at__isnull=True, scheduled_for__gte=start,
                                       scheduled_for__lt=start + AHEAD)
              .select_related("student").order_by("scheduled_for")[:20])
    run = selectors.events_run_by(user).filter(cancelled_at__isnull=True, starts_at__gte=start,
                                               starts_at__lt=start + AHEAD).order_by("starts_at")[:20]
    entries = [WeekEntry(title=_("Home visit"), student_name=str(v.student),
                         due_on=timezone.localdate(v.scheduled_for),
                         detail=date_format(timezone.localtime(v.scheduled_for), "DATETIME_FORMAT"),
                         url=reverse("programs:visit", args=[v.pk]), action_label=_("Open the visit"))
               for v in visits]
    entries += [WeekEntry(title=e.title, due_on=timezone.localdate(e.starts_at),
                          detail=_("%(count)d people coming") % {"count": e.seats_taken},
                          url=reverse("programs:sign_in", args=[e.pk]), action_label=_("Sign-in sheet"))
                for e in run]
    if not entries:
        return None
    entries.sort(key=lambda entry: entry.due_on or today)
    return WeekSection(title=_("Home visits and events this week"), entries=entries)
