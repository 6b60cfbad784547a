"""The monthly family contact log: the page, and its XLSX and CSV exports."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.access.access_log import record_student_access
from homeroom.contacts import charts, exports, ledger, monthly
from homeroom.contacts.forms import MonthlyFilterForm
from homeroom.core import paging

LOG_PAGE = 100  # contacts per page of the monthly log; the downloads have the whole month


def _filters(request: HttpRequest) -> tuple[MonthlyFilterForm, monthly.MonthlyFilters]:
    user = request.user
    scope = scoping.require_staff(user)
    today = timezone.localdate()
    query = request.GET.copy()
    if not query.get("month"):  # the month shown is the month in the field: never an empty month box
        query["month"] = today.strftime("%Y-%m")
    form = MonthlyFilterForm(query, staff=scoping.staff_for(user), sections=scoping.sections_for(user),
                             schools=scoping.schools_for(user))
    first = today.replace(day=1)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    form.offer(user, data["school"].pk if data.get("school") else None)
    month = MonthlyFilterForm.parse_month(data.get("month") or "") or first
    through = MonthlyFilterForm.parse_month(data.get("through") or "") or month
    if through < month or (through.year - month.year) * 12 + through.month - month.month > 23:
        through = month
    staff = data.get("staff")
    staff_id = staff.pk if staff else None
    narrow = not (scope.district_ids or scope.school_ids)
    if narrow and not (staff or data.get("section") or data.get("school")):
        staff_id = scope.staff_id  # a teacher's log is their own unless they ask for a class or school
    filters = monthly.MonthlyFilters(
        month=month, through=through, staff_id=staff_id,
        section_id=data["section"].pk if data.get("section") else None,
        school_id=data["school"].pk if data.get("school") else None,
        group=data.get("group") or "month",
    )
    return form, filters


@login_required
def monthly_log(request: HttpRequest) -> HttpResponse:
    """One page of the month's contacts at a time; "Load more" appends the next (htmx) or opens it (a link)."""
    form, filters = _filters(request)
    one_month = monthly.MonthlyFilters(**{**filters.__dict__, "through": filters.month})
    contacts = monthly.monthly_contacts(request.user, one_month)
    with_notes = monthly.export_includes_notes(request.user, contacts)
    page = paging.page_number(request)
    rows = list(monthly.export_rows(request.user, contacts, limit=LOG_PAGE + 1, offset=(page - 1) * LOG_PAGE))
    more = paging.next_page_query(request, page) if len(rows) > LOG_PAGE else None
    rows = rows[:LOG_PAGE]
    record_student_access(user=request.user, student_ids=[sid for row in rows for sid in row.student_ids],
                          action="monthly_log")
    context = {"rows": rows, "with_notes": with_notes, "more": more}
    if request.htmx and page > 1:  # type: ignore[attr-defined]
        return render(request, "contacts/_monthly_rows.html", context)
    return render(request, "contacts/monthly_log.html", {
        **context, "form": form, "filters": one_month, "page": page,
        "counts": monthly.monthly_counts(request.user, one_month, contacts),
        "weekly": charts.contacts_by_week(contacts, first=one_month.month, last=one_month.end.date() - timedelta(
            days=1), title=_("Contacts per week"), chart_id="chart-weeks"),
        "definitions": ledger.definitions(),
        "query": paging.without_page(request),
    })


def _filename(filters: monthly.MonthlyFilters, extension: str) -> str:
    span = filters.month.strftime("%Y-%m")
    if filters.through != filters.month:
        span += "_" + filters.through.strftime("%Y-%m")
    return f"contact-log-{span}.{extension}"


@login_required
def monthly_log_xlsx(request: HttpRequest) -> FileResponse:
    _form, filters = _filters(request)
    contacts = monthly.monthly_contacts(request.user, filters)
    with_notes = monthly.export_includes_notes(request.user, contacts)
    rows = monthly.export_rows(request.user, contacts, order_by_staff=filters.group == "staff")
    record_student_access(user=request.user, student_ids=monthly.students_named(request.user, contacts),
                          action="monthly_log_xlsx")
    # Written to a temporary file (deleted on close) so no whole workbook sits in memory.
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    exports.write_xlsx(rows, out, with_notes=with_notes, group=filters.group)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=_filename(filters, "xlsx"),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@login_required
def monthly_log_csv(request: HttpRequest) -> StreamingHttpResponse:
    _form, filters = _filters(request)
    contacts = monthly.monthly_contacts(request.user, filters)
    with_notes = monthly.export_includes_notes(request.user, contacts)
    rows = monthly.export_rows(request.user, contacts, order_by_staff=filters.group == "staff")
    record_student_access(user=request.user, student_ids=monthly.students_named(request.user, contacts),
                          action="monthly_log_csv")
    response = StreamingHttpResponse(exports.csv_lines(rows, with_notes=with_notes), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{_filename(filters, "csv")}"'
    return response
