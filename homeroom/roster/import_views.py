"""District administrators upload a OneRoster export and read what it changed (or why it was refused)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from homeroom.access import scoping
from homeroom.core.models import Role
from homeroom.roster.import_services import import_run_retry, import_run_start
from homeroom.roster.importers.background import import_runs_mark_stale
from homeroom.roster.models import District, ImportRun, Staff

HISTORY_LENGTH = 50
REFRESH_SECONDS = 3  # how often the progress page looks again while an import waits or runs
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

    def clean_export(self) -> object:
        upload = self.cleaned_data["export"]
        limit = settings.IMPORT_MAX_UPLOAD_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(_("This file is larger than %(max)s MB, the most an upload may be.")
                                        % {"max": limit})
        return upload


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
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            run = import_run_start(district=district, user=request.user,  # type: ignore[arg-type]
                                   upload=form.cleaned_data["export"], dry_run=form.cleaned_data["dry_run"])
            return redirect("roster:import_run", run.pk)
    else:
        form = ImportForm()
    import_runs_mark_stale()
    context = {"form": form, "runs": _history(district), "district": district}
    return render(request, "roster/import_upload.html", context, status=422 if form.errors else 200)


@login_required
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    """One import: its progress while it runs (htmx polls this page; without JavaScript it refreshes itself)."""
    district = _admin_district(request)
    import_runs_mark_stale()
    run = scoping.get_in_scope(ImportRun.objects.filter(district=district), pk=pk)
    context = {"run": run, "summary": summary_table(run.summary), "refresh_seconds": REFRESH_SECONDS}
    if request.htmx:  # type: ignore[attr-defined]
        if run.pending:
            return render(request, "roster/_import_progress.html", context)
        return HttpResponseClientRefresh()  # finished: the whole page changes, with the result
    status = 422 if run.status == ImportRun.Status.REJECTED else 200
    return render(request, "roster/import_run.html", context, status=status)


@login_required
@require_POST
def import_run_again(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed import again with the file it was given."""
    district = _admin_district(request)
    run = scoping.get_in_scope(ImportRun.objects.filter(district=district), pk=pk)
    import_run_retry(run=run)
    return redirect("roster:import_run", run.pk)
