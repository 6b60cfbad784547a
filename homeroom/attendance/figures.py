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


def _counts() -> dict[str, Any]:
    chronic = Q(chronic=True)
    counts: dict[str, Any] = {"all_n": Count("id"), "all_c": Count("id", filter=chronic)}
    for name in SUBGROUP_FIELDS:
        counts[f"{name}_n"] = Count("id", filter=Q(**{f"student__{name}": True}))
        counts[f"{name}_c"] = Count("id", filter=chronic & Q(**{f"student__{name}": True}))
    return counts


def _figures(totals: dict[str, int], grades: dict[str, list[int]], months: dict[str, list[int]]) -> dict[str, Any]:
    return {
        "overall": [totals["all_n"], totals["all_c"]],
        "grades": dict(sorted(grades.items())),
        "subgroups": {name: [totals[f"{name}_n"], totals[f"{name}_c"]] for name in SUBGROUP_FIELDS},
        "months": months,
    }


def figures_compute(district_id: int, school_id: int | None, year: int) -> dict[str, Any]:
    if school_id is not None:
        return schools_figures(district_id, [school_id], year)[school_id]
    # The district: one row per student (the school they attend now), each student counted once a month.
    rows = StudentAttendance.objects.filter(district_id=district_id, school_year=year, is_current=True)
    months = AttendanceMonth.objects.filter(district_id=district_id, school_year=year)
    chronic = Q(chronic=True)
    totals = rows.aggregate(**_counts())
    grades: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for grade, n, c in rows.values_list("student__grade").annotate(n=Count("id"), c=Count("id", filter=chronic)
                                                                    ).order_by():
        grades[grade or "—"][0] += n
        grades[grade or "—"][1] += c
    by_month = {month.strftime("%Y-%m"): [n, c] for month, n, c in months.values_list("month").annotate(
        n=Count("student_id", distinct=True), c=Count("student_id", filter=chronic, distinct=True)
    ).order_by("month")}
    figures = _figures(totals, grades, by_month)
    figures["schools"] = {str(school): [n, c] for school, n, c in rows.values_list("school_id").annotate(
        n=Count("id"), c=Count("id", filter=chronic)).order_by()}
    return figures


def schools_figures(district_id: int, school_ids: Iterable[int], year: int) -> dict[int, dict[str, Any]]:
    """The figures of several schools, in three queries grouped by school (a day's file touches every school)."""
    ids = sorted(set(school_ids))
    rows = StudentAttendance.objects.filter(district_id=district_id, school_year=year, school_id__in=ids)
    months = AttendanceMonth.objects.filter(district_id=district_id, school_year=year, school_id__in=ids)
    chronic = Q(chronic=True)
    totals: dict[int, dict[str, Any]] = {
        row["school_id"]: dict(row) for row in rows.values("school_id").annotate(**_counts()).order_by()}
    grades: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for school, grade, n, c in rows.values_list("school_id", "student__grade").annotate(
            n=Count("id"), c=Count("id", filter=chronic)).order_by():
        grades[school][grade or "—"][0] += n
        grades[school][grade or "—"][1] += c
    # Within one school a student has one row a month.
    by_month: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for school, month, n, c in months.values_list("school_id", "month").annotate(
            n=Count("student_id"), c=Count("student_id", filter=chronic)).order_by("school_id", "month"):
        by_month[school][month.strftime("%Y-%m")] = [n, c]
    empty = dict.fromkeys(_counts(), 0)
    return {school: _figures(totals.get(school, empty), grades[school], by_month[school]) for school in ids}


@transaction.atomic
def figures_refresh(district_id: int, school_ids: Iterable[int], years: Iterable[int]) -> None:
    """Recompute the district's figures and those of the schools given, for the years given."""
    ids = sorted(set(school_ids))
    for year in set(years):
        AttendanceFigures.objects.filter(Q(school__isnull=True) | Q(school_id__in=ids), district_id=district_id,
                                         school_year=year).delete()
        computed: list[tuple[int | None, dict[str, Any]]] = [(None, figures_compute(district_id, None, year)),
                                                             *schools_figures(district_id, ids, year).items()]
        AttendanceFigures.objects.bulk_create(
            AttendanceFigures(district_id=district_id, school_id=school_id, school_year=year, figures=figures)
            for school_id, figures in computed)


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
