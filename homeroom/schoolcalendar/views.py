"""The district calendar page: school years, closures, and closure imports (district administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeroom.access import scoping
from homeroom.roster.models import District
from homeroom.schoolcalendar import selectors, services
from homeroom.schoolcalendar.forms import ClosureForm, ImportForm, YearForm


def _page(request: HttpRequest, district: District, **forms: object) -> HttpResponse:
    schools = scoping.schools_for(request.user)
    context = {
        "years": selectors.calendars_for(request.user),
        "closures": selectors.closures_for(request.user),
        "closure_form": forms.get("closure_form") or ClosureForm(schools=schools),
        "year_form": forms.get("year_form") or YearForm(schools=schools, prefix="year"),
        "import_form": forms.get("import_form") or ImportForm(prefix="import"),
        "import_errors": forms.get("import_errors") or [],
        "district": district,
    }
    return render(request, "schoolcalendar/manage.html", context, status=400 if forms else 200)


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    district = scoping.administered_district(request.user)
    if request.method == "POST":
        form = ClosureForm(request.POST, schools=scoping.schools_for(request.user))
        if not form.is_valid():
            return _page(request, district, closure_form=form)
        services.closure_create(district=district, created_by=request.user, **form.cleaned_data)
        messages.success(request, _("Closure added."))
        return redirect("schoolcalendar:manage")
    return _page(request, district)


@login_required
@require_POST
def year_add(request: HttpRequest) -> HttpResponse:
    district = scoping.administered_district(request.user)
    form = YearForm(request.POST, schools=scoping.schools_for(request.user), prefix="year")
    if not form.is_valid():
        return _page(request, district, year_form=form)
    services.calendar_create(district=district, **form.cleaned_data)
    messages.success(request, _("School year added."))
    return redirect("schoolcalendar:manage")


@login_required
@require_POST
def closure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.administered_district(request.user)
    closure = scoping.get_in_scope(selectors.closures_for(request.user), pk=pk)
    services.closure_delete(closure=closure)
    messages.success(request, _("Closure removed."))
    return redirect("schoolcalendar:manage")


@login_required
@require_POST
def import_closures(request: HttpRequest) -> HttpResponse:
    district = scoping.administered_district(request.user)
    form = ImportForm(request.POST, request.FILES, prefix="import")
    if not form.is_valid():
        return _page(request, district, import_form=form)
    upload = form.cleaned_data["file"]
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        return _page(request, district, import_form=form, import_errors=[_("The file is not UTF-8 text.")])
    result = services.closures_import_csv(
        district=district, text=text, source_name=upload.name, created_by=request.user
    )
    if result.errors:
        return _page(request, district, import_form=form, import_errors=result.errors)
    messages.success(request, _("%(count)s closures imported.") % {"count": result.created})
    return redirect("schoolcalendar:manage")
