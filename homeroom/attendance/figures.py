"""The dashboards' counts, computed in a handful of grouped queries and kept per school and district and year.

[students, chronically absent] pairs by grade, by group of students, by month (and by school, for the district).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from homeroom.attendance.models import AttendanceFigures, AttendanceMonth, StudentAttendance

SUBGROUP_FIELDS = ("english_learner", "has_iep", "has_504", "free_reduced_meals")


def figures_compute(district_id: int, school_id: int | None, year: int) -> dict[str, Any]:
    rows = StudentAttendance.objects.filter(district_id=district_id, school_year=year)
    months = AttendanceMonth.objects.filter(district_id=district_id, school_year=year)
    if school_id is not None:
        rows, months = rows.filter(school_id=school_id), months.filter(school_id=school_id)
    else:
        rows = rows.filter(is_current=True)  # one row per student: the school they attend now
    chronic = Q(chronic=True)
    counts: dict[str, Any] = {"all_n": Count("id"), "all_c": Count("id", filter=chronic)}
    for name in SUBGROUP_FIELDS:
        counts[f"{name}_n"] = Count("id", filter=Q(**{f"student__{name}": True}))
        counts[f"{name}_c"] = Count("id", filter=chronic & Q(**{f"student__{name}": True}))
    totals = rows.aggregate(**counts)
    grades: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for grade, n, c in rows.values_list("student__grade").annotate(n=Count("id"), c=Count("id", filter=chronic)
                                                                    ).order_by():
        grades[grade or "—"][0] += n
        grades[grade or "—"][1] += c
    # Within one school a student has one row a month; across the district count each student once.
    student_count = Count("student_id", distinct=school_id is None)
    chronic_count = Count("student_id", filter=chronic, distinct=school_id is None)
    by_month = {month.strftime("%Y-%m"): [n, c] for month, n, c in months.values_list("month").annotate(
        n=student_count, c=chronic_count).order_by("month")}
    figures: dict[str, Any] = {
        "overall": [totals["all_n"], totals["all_c"]],
        "grades": dict(sorted(grades.items())),
        "subgroups": {name: [totals[f"{name}_n"], totals[f"{name}_c"]] for name in SUBGROUP_FIELDS},
        "months": by_month,
    }
    if school_id is None:
        figures["schools"] = {str(school): [n, c] for school, n, c in rows.values_list("school_id").annotate(
            n=Count("id"), c=Count("id", filter=chronic)).order_by()}
    return figures


@transaction.atomic
def figures_refresh(district_id: int, school_ids: Iterable[int], years: Iterable[int]) -> None:
    """Recompute the district's figures and those of the schools given, for the years given."""
    for year in set(years):
        for school_id in [None, *sorted(set(school_ids))]:
            AttendanceFigures.objects.filter(_school(school_id), district_id=district_id, school_year=year).delete()
            AttendanceFigures.objects.create(district_id=district_id, school_id=school_id, school_year=year,
                                             figures=figures_compute(district_id, school_id, year))


def _school(school_id: int | None) -> Q:
    return Q(school__isnull=True) if school_id is None else Q(school_id=school_id)


def figures_for(district_id: int, school_id: int | None, year: int) -> dict[str, Any]:
    stored = AttendanceFigures.objects.filter(_school(school_id), district_id=district_id,
                                              school_year=year).values_list("figures", flat=True).first()
    if stored is None:
        stored = figures_compute(district_id, school_id, year)
        AttendanceFigures.objects.create(district_id=district_id, school_id=school_id, school_year=year,
                                         figures=stored)
    return stored  # type: ignore[no-any-return]
