"""Who an event reaches and whom it misses: families by language, grade and subgroup, with small-cell suppression.

A family here is a student's family: a student counts as reached when a guardian with family access signed in
at one of the events (or, for home visits, was visited). No group of fewer than `MIN_GROUP` students (surveys'
rule, the same number reach uses) shows any figure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.access.i18n import language_key
from homeroom.core.words import language_name
from homeroom.roster.models import Student, StudentGuardian
from homeroom.surveys.results import MIN_GROUP, subgroup_label

SUBGROUPS = {"english_learner": "english_learner", "iep": "has_iep", "plan_504": "has_504"}


@dataclass(frozen=True)
class Row:
    kind: str
    label: str
    students: int
    reached: int

    @property
    def suppressed(self) -> bool:
        return self.students < MIN_GROUP

    @property
    def percent(self) -> int | None:
        return None if self.suppressed or not self.students else round(100 * self.reached / self.students)


def students_of_guardians(guardian_ids: Iterable[int], students: QuerySet[Student]) -> set[int]:
    return set(StudentGuardian.objects.filter(scoping.family_access(), guardian_id__in=list(guardian_ids),
                                              student__in=students).values_list("student_id", flat=True))


def breakdown(students: QuerySet[Student], reached_ids: set[int]) -> list[Row]:
    """Rows by home language, grade and subgroup over `students` (the school's), `reached_ids` among them."""
    totals: Counter[tuple[str, str]] = Counter()
    reached: Counter[tuple[str, str]] = Counter()
    for pk, home_language, grade, *flags in students.values_list("pk", "home_language", "grade",
                                                                 *SUBGROUPS.values()):
        keys = [("language", language_key(home_language)), ("grade", grade or "")]  # 'en-US' counts with 'en'
        keys += [("subgroup", name) for name, flag in zip(SUBGROUPS, flags, strict=True) if flag]
        for key in keys:
            totals[key] += 1
            if pk in reached_ids:
                reached[key] += 1
    rows = []
    for (kind, value), count in sorted(totals.items()):
        if kind == "language":
            label = language_name(value) if value else _("not known")
        elif kind == "grade":
            label = _("Grade %(grade)s") % {"grade": value} if value else _("not known")
        else:
            label = subgroup_label(value)
        rows.append(Row(kind=kind, label=str(label), students=count, reached=reached[(kind, value)]))
    return rows
