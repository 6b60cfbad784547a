"""The reach page: one per school, one for the district (district roles only), with the not-reached list and CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.access.access_log import record_student_access
from homeroom.access.i18n import language_key
from homeroom.core import paging
from homeroom.core.charts import Chart, bar_chart
from homeroom.core.models import Role
from homeroom.core.spreadsheet import safe_row
from homeroom.core.words import language_name
from homeroom.reach import reasons, selectors, tasks
from homeroom.reach.models import FamilyReach
from homeroom.roster.models import School

LIST_PAGE = 25
CSV_CHUNK = 1000
MAX_BARS = 20


@login_required
def index(request: HttpRequest) -> HttpResponse:
    schools = list(selectors.reach_schools(request.user).order_by("name"))
    if selectors.may_see_district(request.user):
        return redirect("reach:district")
    if len(schools) == 1:
        return redirect("reach:school", pk=schools[0].pk)
    return render(request, "reach/index.html", {"schools": schools})


@login_required
def district(request: HttpRequest) -> HttpResponse:
    scoping.require_role(request.user, Role.DISTRICT_ADMIN)
    return _page(request, None)


@login_required
def school(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = scoping.get_in_scope(selectors.reach_schools(request.user), pk=pk)
    return _page(request, chosen)


@login_required
def district_csv(request: HttpRequest) -> StreamingHttpResponse:
    scoping.require_role(request.user, Role.DISTRICT_ADMIN)
    return _csv(request, None)


@login_required
def school_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    chosen = scoping.get_in_scope(selectors.reach_schools(request.user), pk=pk)
    return _csv(request, chosen)


def _two_way(request: HttpRequest) -> bool:
    return request.GET.get("view") == "two_way"


def _listed(request: HttpRequest, school: School | None, since: Any) -> QuerySet[FamilyReach]:
    two_way = _two_way(request)
    rows = selectors.not_reached(selectors.families(request.user, school), two_way=two_way, since=since)
    name = selectors.reached_field(two_way)
    return rows.order_by(F(name).asc(nulls_first=True), "student_id")


def _with_people(rows: list[FamilyReach]) -> list[FamilyReach]:
    """The page's rows with their students and schools, fetched by key after the narrow ordered query (which then
    reads only the summary's list index, never joining the district's students before the LIMIT)."""
    loaded = FamilyReach.objects.select_related("student", "school").in_bulk([row.pk for row in rows])
    return [loaded[row.pk] for row in rows if row.pk in loaded]


def _charts(page: selectors.Page) -> dict[str, Chart]:
    suppressed = _("fewer than 10 families")
    for breakdown in page.breakdowns:
        if len(breakdown.groups) > MAX_BARS:  # a district's schools: the table says it better
            continue
        breakdown.chart = bar_chart(str(breakdown.title) + " (%)", [(g.label, g.percent) for g in breakdown.groups],
                                    suppressed_label=suppressed)
    charts = {}
    charts["trend"] = bar_chart(_("Families reached each month (%)"), [(g.label, g.percent) for g in page.trend],
                                suppressed_label=suppressed)
    return charts


def _page(request: HttpRequest, school: School | None) -> HttpResponse:
    now = timezone.now()
    as_of = tasks.refresh_if_stale(now)
    two_way = _two_way(request)
    since = selectors.window_start(now)
    number = paging.page_number(request)
    start = (number - 1) * LIST_PAGE
    chunk = list(_listed(request, school, since).only("pk")[start:start + LIST_PAGE + 1])
    more = paging.next_page_query(request, number) if len(chunk) > LIST_PAGE else ""
    shown = reasons.explain(_with_people(chunk[:LIST_PAGE]), since=since)
    record_student_access(user=request.user, student_ids=[item.row.student_id for item in shown], action="reach_list")
    context: dict[str, Any] = {"families": shown, "more": more, "two_way": two_way, "school": school,
                               "log_url": reverse("contacts:log_create")}
    if request.htmx and number > 1:  # type: ignore[attr-defined]
        return render(request, "reach/_rows.html", context)
    page = selectors.page(request.user, school=school, two_way=two_way, now=now, as_of=as_of)
    csv_url = "reach:school_csv" if school else "reach:district_csv"
    context.update(page=page, charts=_charts(page), as_of=as_of, min_group=selectors.MIN_GROUP,
                   window=selectors.WINDOW_DAYS, csv_url=csv_url, query=paging.without_page(request),
                   reason_labels=reasons.REASONS)
    return render(request, "reach/page.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(request: HttpRequest, school: School | None) -> StreamingHttpResponse:
    since = selectors.window_start()
    rows = _listed(request, school, since).select_related("student", "school")
    record_student_access(user=request.user, student_ids=rows.values("student_id"), action="reach_export")
    writer = csv.writer(_Echo())
    header = [_("School"), _("Student"), _("Grade"), _("Family language"), _("Guardians with rights"),
              _("Last reached"), _("Last attempt"), _("Why not reached"), _("What to try")]

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)
        batch: list[FamilyReach] = []
        for row in rows.iterator(chunk_size=CSV_CHUNK):
            batch.append(row)
            if len(batch) == CSV_CHUNK:
                yield from _csv_lines(writer, batch, since)
                batch = []
        if batch:
            yield from _csv_lines(writer, batch, since)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="families-not-reached.csv"'
    return response


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


def _csv_lines(writer: Any, batch: list[FamilyReach], since: Any) -> Iterator[str]:
    for item in reasons.explain(batch, since=since):
        row = item.row
        student = row.student
        yield writer.writerow(safe_row([
            str(row.school) if row.school else "", f"{student.given_name} {student.family_name}", row.grade,
            language_name(language_key(row.language)) if row.language else "",
            "; ".join(str(g.guardian) for g in item.guardians), _when(row.last_reached_at),
            _when(row.last_attempt_at), str(item.reason_label), "; ".join(str(t.label) for t in item.tries),
        ]))
