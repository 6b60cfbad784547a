"""The reach page's figures, read from the summary tables only, always from the user's scope."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from homeroom.access import scoping
from homeroom.access.i18n import language_key
from homeroom.core.models import Role
from homeroom.core.words import language_name
from homeroom.reach.models import FamilyReach, ReachMonthCount
from homeroom.roster.models import School

WINDOW_DAYS = 30
MIN_GROUP = 10  # no group of fewer families is shown
TREND_MONTHS = 12
SCHOOL_ROLES = (Role.DISTRICT_ADMIN, Role.PRINCIPAL, Role.SOCIAL_WORKER, Role.STAFF)

RACE_LABELS: dict[str, Any] = {
    "hispanic": _("Hispanic or Latino"),
    "american_indian": _("American Indian or Alaska Native"),
    "asian": _("Asian"),
    "black": _("Black or African American"),
    "pacific_islander": _("Native Hawaiian or Other Pacific Islander"),
    "white": _("White"),
    "two_or_more": _("Two or more races"),
    "": _("Not reported"),
}


@dataclass
class Group:
    label: str
    families: int
    reached: int
    url: str = ""

    @property
    def suppressed(self) -> bool:
        return self.families < MIN_GROUP

    @property
    def percent(self) -> float | None:
        if self.suppressed or not self.families:
            return None
        return round(100 * self.reached / self.families, 1)


@dataclass
class Breakdown:
    key: str
    title: Any
    groups: list[Group]
    chart: Any = None  # drawn by the view

    @property
    def chart_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def shown(self) -> list[Group]:
        return [g for g in self.groups if not g.suppressed]

    @property
    def gap(self) -> tuple[Group, Group, float] | None:
        """(best, least, points apart) among the groups shown; None with fewer than two."""
        shown = self.shown
        if len(shown) < 2:
            return None
        best = max(shown, key=lambda g: g.percent or 0)
        least = min(shown, key=lambda g: g.percent or 0)
        return best, least, round((best.percent or 0) - (least.percent or 0), 1)


@dataclass
class Page:
    title: str
    school: School | None
    two_way: bool
    since: dt.datetime
    overall: Group
    breakdowns: list[Breakdown]
    trend: list[Group]
    restricted: bool
    schools: list[tuple[School, Group]] = field(default_factory=list)


def may_see_district(user: Any) -> bool:
    return bool(scoping.scope_for(user).district_ids)


def reach_schools(user: Any) -> QuerySet[School]:
    """Schools whose reach page the user may open: a district administrator's district, a principal's, social
    worker's or school staff member's own school (a teacher or case manager sees families one by one instead)."""
    scope = scoping.require_role(user, *SCHOOL_ROLES)
    return scoping.schools_for(user).filter(Q(district_id__in=scope.district_ids) | Q(id__in=scope.school_ids))


def families(user: Any, school: School | None) -> QuerySet[FamilyReach]:
    """Active families in the user's reach scope: one school, or (district roles only) the district."""
    scope = scoping.scope_for(user)
    rows = FamilyReach.objects.filter(is_active=True)
    if school is None:
        return rows.filter(district_id__in=scope.district_ids)
    return rows.filter(school_id=school.pk)


def window_start(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=WINDOW_DAYS)


def reached_field(two_way: bool) -> str:
    return "last_two_way_at" if two_way else "last_reached_at"


def not_reached(rows: QuerySet[FamilyReach], *, two_way: bool, since: dt.datetime) -> QuerySet[FamilyReach]:
    name = reached_field(two_way)
    return rows.filter(Q(**{f"{name}__lt": since}) | Q(**{f"{name}__isnull": True}))


def _grade_label(grade: str) -> str:
    if not grade:
        return gettext("Not recorded")
    if grade.upper() in ("KG", "K"):
        return gettext("Kindergarten")
    if grade.upper() in ("PK", "PRE-K"):
        return gettext("Pre-kindergarten")
    return gettext("Grade %(grade)s") % {"grade": grade.lstrip("0") or grade}


def _grade_order(grade: str) -> tuple[int, str]:
    if grade.upper() in ("PK", "PRE-K"):
        return (-2, grade)
    if grade.upper() in ("KG", "K"):
        return (-1, grade)
    return (int(grade), grade) if grade.isdigit() else (99, grade)


FIGURES_TTL = 60 * 60  # a refresh moves the watermark (and so the key) every few minutes anyway


def _figures_key(user: Any, school: School | None, two_way: bool, as_of: dt.datetime) -> str:
    scope = f"school-{school.pk}" if school is not None else "district-" + "-".join(
        str(pk) for pk in sorted(scoping.scope_for(user).district_ids))
    return f"reach:figures:{scope}:{'two-way' if two_way else 'any'}:{as_of.timestamp():.6f}"


def page(user: Any, *, school: School | None, two_way: bool = False, now: dt.datetime | None = None,
         as_of: dt.datetime | None = None) -> Page:
    """The figures for the user's scope. With `as_of` (the summary's watermark) they are the summary as of that
    time, counted once per watermark and scope and kept in the shared cache: the page then reads a few hundred
    numbers, however many families the district has, until the next refresh moves the watermark."""
    now = now or timezone.now()
    rows = families(user, school)
    name = reached_field(two_way)
    restricted = scoping.may_see_restricted(user)
    if as_of is None:
        since = window_start(now)
        sums = _grouped_counts(rows, name, since)
    else:
        since = window_start(as_of)
        key = _figures_key(user, school, two_way, as_of)
        cached = cache.get(key)
        if cached is None:
            cached = _plain(_grouped_counts(rows, name, since))
            cache.set(key, cached, FIGURES_TTL)
        sums = defaultdict(lambda: defaultdict(lambda: [0, 0]), {
            dimension: defaultdict(lambda: [0, 0], values) for dimension, values in cached.items()})
    total = [sum(v[0] for v in sums["race"].values()), sum(v[1] for v in sums["race"].values())]
    languages: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, (n, r) in sums["language"].items():  # "es-MX", "spa" and "Spanish" count with "es"
        slot = languages[language_key(key or "")]
        slot[0] += n
        slot[1] += r
    sums["language"] = languages
    yes_no = {
        "english_learner": (_("English learners"), _("Not English learners")),
        "special_education": (_("Special education (IEP)"), _("No IEP")),
        "free_reduced_meals": (_("Free or reduced-price meals"), _("Not eligible for free or reduced-price meals")),
    }
    breakdowns = [
        Breakdown("language", _("By home language"), sorted(
            (Group(language_name(k) if k else gettext("Not recorded"), *v) for k, v in sums["language"].items()),
            key=lambda g: (-g.families, g.label))),
        Breakdown("grade", _("By grade"), [Group(_grade_label(k), *sums["grade"][k])
                                           for k in sorted(sums["grade"], key=_grade_order)]),
    ]
    schools: list[tuple[School, Group]] = []
    if school is None:
        names = School.objects.in_bulk([k for k in sums["school"] if k is not None])
        schools = sorted(((names[k], Group(str(names[k]), v[0], v[1], url=reverse("reach:school", args=[k])))
                          for k, v in sums["school"].items() if k in names), key=lambda pair: pair[0].name)
        breakdowns.append(Breakdown("school", _("By school"), [group for _s, group in schools]))
    for key in ("english_learner", "special_education", "free_reduced_meals"):
        if key == "free_reduced_meals" and not restricted:
            continue
        yes, no = yes_no[key]
        title = {"english_learner": _("English learners"), "special_education": _("Special education"),
                 "free_reduced_meals": _("Free or reduced-price meals")}[key]
        breakdowns.append(Breakdown(key, title, [Group(str(yes), *sums[key][True]), Group(str(no), *sums[key][False])]))
    if restricted:
        breakdowns.append(Breakdown("race", _("By race and ethnicity"), [
            Group(str(RACE_LABELS.get(k, k)), *sums["race"][k]) for k in RACE_LABELS if k in sums["race"]]))
    overall = Group(gettext("All families"), total[0], total[1])
    heading = str(school) if school is not None else _district_name(user)
    return Page(heading, school, two_way, since, overall, breakdowns, trend(user, school, two_way=two_way,
                                                                         families=total[0], now=now),
                restricted, schools)


DIMENSIONS = ("school_id", "grade", "language", "english_learner", "special_education", "free_reduced_meals", "race")
SUM_KEYS = {"school_id": "school"}


def _plain(sums: dict[str, Any]) -> dict[str, dict[Any, list[int]]]:
    """The counts without their defaultdict factories, so the cache can pickle them."""
    return {dimension: {value: list(pair) for value, pair in values.items()} for dimension, values in sums.items()}


def _grouped_counts(rows: QuerySet[FamilyReach], name: str, since: dt.datetime) -> dict[str, Any]:
    """dimension → {value: [families, reached]}: on PostgreSQL one scan with GROUPING SETS, elsewhere one grouped
    query per dimension."""
    sums: dict[str, Any] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    reached = Count("pk", filter=Q(**{f"{name}__gte": since}))
    if connection.vendor == "postgresql":
        base = rows.values(*DIMENSIONS).annotate(families=Count("pk"), reached=reached).order_by()
        sql, params = base.query.sql_with_params()
        head, _sep, _group = sql.rpartition(" GROUP BY ")
        columns = [f'"reach_familyreach"."{column}"' for column in DIMENSIONS]
        grouping = ", ".join(f"({column})" for column in columns)
        flags = ", ".join(f"GROUPING({column})" for column in columns)
        head = head.replace("SELECT ", f"SELECT {flags}, ", 1)
        with connection.cursor() as cursor:
            cursor.execute(f"{head} GROUP BY GROUPING SETS ({grouping})", params)
            width = len(DIMENSIONS)
            for record in cursor.fetchall():
                flag, values, (families, hits) = record[:width], record[width:2 * width], record[2 * width:]
                index = flag.index(0)
                slot = sums[SUM_KEYS.get(DIMENSIONS[index], DIMENSIONS[index])][values[index]]
                slot[0] += families
                slot[1] += hits
        return sums
    for dimension in DIMENSIONS:
        for row in rows.values(dimension).annotate(families=Count("pk"), reached=reached).order_by():
            slot = sums[SUM_KEYS.get(dimension, dimension)][row[dimension]]
            slot[0] += row["families"]
            slot[1] += row["reached"]
    return sums


def _district_name(user: Any) -> str:
    from homeroom.roster.models import District

    scope = scoping.scope_for(user)
    district = District.objects.filter(pk__in=scope.district_ids).first()
    return district.name if district else gettext("District")


def trend(user: Any, school: School | None, *, two_way: bool, families: int, now: dt.datetime) -> list[Group]:
    """Families reached in each of the last 12 months, against today's families in scope (the roster keeps no
    past enrolment), newest last."""
    local = timezone.localtime(now).date().replace(day=1)
    months = []
    for back in range(TREND_MONTHS - 1, -1, -1):
        year, month = divmod(local.year * 12 + local.month - 1 - back, 12)
        months.append(dt.date(year, month + 1, 1))
    scope = scoping.scope_for(user)
    counts = ReachMonthCount.objects.filter(month__gte=months[0])
    counts = counts.filter(school_id=school.pk) if school is not None else counts.filter(
        district_id__in=scope.district_ids)
    by_month = {row["month"]: row["n"] for row in counts.values("month").annotate(
        n=Sum(F("two_way") if two_way else F("reached"))).order_by()}
    return [Group(dateformat.format(month, "M Y"), families, min(by_month.get(month, 0), families))
            for month in months]



PUBLISHABLE = ("overall", "language", "grade", "english_learner", "special_education")  # never meals or race


def published_counts(*, district_id: int, school_id: int | None,
                     now: dt.datetime | None = None) -> dict[str, dict[Any, Group]]:
    """Families and families reached in the window for a district's public pages, by each dimension in
    PUBLISHABLE (each language one group: access.i18n.language_key), as `Group`s, so MIN_GROUP suppression holds there
    too. The caller labels them in the reader's language."""
    rows = FamilyReach.objects.filter(is_active=True, district_id=district_id)
    if school_id is not None:
        rows = rows.filter(school_id=school_id)
    sums = _grouped_counts(rows, reached_field(False), window_start(now))
    out: dict[str, dict[Any, Group]] = {name: {} for name in PUBLISHABLE}
    out["overall"][None] = Group("", sum(v[0] for v in sums["grade"].values()),
                                 sum(v[1] for v in sums["grade"].values()))
    for key, (n, r) in sums["language"].items():
        group = out["language"].setdefault(language_key(key or ""), Group("", 0, 0))
        group.families += n
        group.reached += r
    for grade in sorted(sums["grade"], key=_grade_order):
        out["grade"][grade] = Group("", *sums["grade"][grade])
    for name in ("english_learner", "special_education"):
        for flag in (True, False):
            out[name][flag] = Group("", *sums[name][flag])
    return out
