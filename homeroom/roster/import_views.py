"""District administrators upload a OneRoster export and read what it changed (or why it was refused)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from homeroom.core import scoping
from homeroom.core.models import Role
from homeroom.roster.importers import import_oneroster
from homeroom.roster.models import District, ImportRun, Staff

HISTORY_LENGTH = 50
ENTITY_LABELS = {
    "district": _("District"), "schools": _("Schools"), "sessions": _("Terms and sessions"),
    "households": _("Households"), "users": _("Sign-in accounts"), "staff": _("Staff"),
    "staff_roles": _("Staff roles"), "students": _("Students"), "guardians": _("Guardians"),
    "student_guardians": _("Student–guardian links"), "sections": _("Classes"), "enrollments": _("Enrollments"),
    "caseloads": _("Caseloads"), "grade_categories": _("Grade categories"), "line_items": _("Assignments"),
    "results": _("Scores"),
}


def summary_table(summary: dict[str, dict[str, int]]) -> list[tuple[str, dict[str, int]]]:
    """The summary in a stable order, with labels a person can read; entities that saw nothing left out."""
    return [(str(label), summary[key]) for key, label in ENTITY_LABELS.items()
            if key in summary and any(summary[key].values())]


class ImportForm(forms.Form):
    export = forms.FileField(label=_("OneRoster export (.zip)"),
                             help_text=_("A OneRoster 1.1 or 1.2 CSV export with manifest.csv, zipped."))
    dry_run = forms.BooleanField(label=_("Check only: report problems and changes without saving"), required=False)


def _admin_district(request: HttpRequest) -> District:
    scope = scoping.require_role(request.user, Role.DISTRICT_ADMIN)
    staff = Staff.objects.select_related("district").filter(pk=scope.staff_id or 0).first()
    if staff is None:
        raise PermissionDenied
    return staff.district


def _history(district: District) -> list[ImportRun]:
    return list(ImportRun.objects.filter(district=district).select_related("created_by")[:HISTORY_LENGTH])


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    district = _admin_district(request)
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = import_oneroster(form.cleaned_data["export"], district_slug=district.slug, user=request.user,
                                      dry_run=form.cleaned_data["dry_run"])
            form = ImportForm()
    else:
        form = ImportForm()
    status = 200 if report is None or report.ok else 422
    context = {"form": form, "report": report, "runs": _history(district), "district": district,
               "summary": summary_table(report.summary) if report else []}
    return render(request, "roster/import_upload.html", context, status=status)


@login_required
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    district = _admin_district(request)
    run = scoping.get_in_scope(ImportRun.objects.filter(district=district), pk=pk)
    return render(request, "roster/import_run.html", {"run": run, "summary": summary_table(run.summary)})
