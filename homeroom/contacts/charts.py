"""Contacts per week, drawn as a server-side bar chart with the same figures in a table (core.charts): the
monthly log's weeks and the last weeks on "My week"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from homeroom.contacts.models import ContactLog
from homeroom.core.charts import Chart, count_chart


@dataclass
class WeekCount:
    monday: date
    contacts: int

    @property
    def label(self) -> str:
        return _("Week of %(day)s") % {"day": date_format(self.monday, "SHORT_DATE_FORMAT")}


@dataclass
class WeeklyContacts:
    weeks: list[WeekCount]
    chart: Chart
    chart_id: str


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def contacts_by_week(contacts: QuerySet[ContactLog], *, first: date, last: date, title: str,
                     chart_id: str) -> WeeklyContacts:
    """Contacts per week (Monday to Sunday, local time) for the weeks that touch `first`…`last`; empty weeks show 0.

    Counted per local day by the database (at most a few dozen rows), then summed into weeks here, so the same
    code gives the same weeks on SQLite and PostgreSQL.
    """
    per_day: dict[Any, int] = dict(
        contacts.order_by().annotate(day=TruncDate("occurred_at")).values("day").annotate(n=Count("id"))
        .values_list("day", "n"))
    weeks: dict[date, int] = {}
    monday = _monday(first)
    while monday <= last:
        weeks[monday] = 0
        monday += timedelta(days=7)
    for day, count in per_day.items():
        key = _monday(day)
        if key in weeks:
            weeks[key] += count
    rows = [WeekCount(monday, count) for monday, count in sorted(weeks.items())]
    return WeeklyContacts(rows, count_chart(title, [(row.label, row.contacts) for row in rows]), chart_id)
