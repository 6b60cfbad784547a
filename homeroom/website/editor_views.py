"""The district's editor of its public content: district administrators only; another district's row is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeroom.access import scoping
from homeroom.roster.models import District
from homeroom.website import services, slugs
from homeroom.website.forms import (
    AnnouncementForm,
    CommunityResourceForm,
    PublicationForm,
    PublicFileForm,
    district_schools,
)
from homeroom.website.models import Announcement, CommunityResource, PublicationSettings, PublicFile
from homeroom.website.pages import page_languages


def _district(request: HttpRequest) -> District:
    return scoping.administered_district(request.user)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    schools = slugs.public_schools(district)
    pages = [(school, reverse("website:school", args=[district.slug, slug]))
             for slug, school in slugs.school_slugs(schools).items()]
    return render(request, "website/editor/index.html", {
        "district": district, "pages": pages, "district_url": reverse("website:district", args=[district.slug]),
        "counts": {"resources": CommunityResource.objects.filter(district=district).count(),
                   "files": PublicFile.objects.filter(district=district).count(),
                   "announcements": Announcement.objects.filter(district=district).count()},
    })


@login_required
def publication(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    row = PublicationSettings.objects.filter(district=district).first() or PublicationSettings(district=district)
    form = PublicationForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        services.publication_settings_save(district=district, form=form, user=request.user)
        messages.success(request, _("Saved. The public pages show it within five minutes."))
        return redirect("website:editor")
    return render(request, "website/editor/form.html", {"form": form, "title": _("Contact and published figures")},
                  status=400 if form.errors else 200)


@login_required
def resources(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    return render(request, "website/editor/resources.html", {
        "rows": CommunityResource.objects.filter(district=district)})


def _preview_or_save(request: HttpRequest, form: Any, district: District, done: str, template_context: dict[str, Any],
                     preview_template: str) -> HttpResponse:
    """'Preview' shows the item as families will read it, in each language, without saving; 'Save' saves."""
    preview = None
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.district = district
        if "preview" in request.POST:
            preview = [(code, name) for code, name in page_languages(district)]
            form.instance = item
        else:
            item.save()
            messages.success(request, _("Saved. The public pages show it within five minutes."))
            return redirect(done)
    return render(request, "website/editor/form.html", {
        **template_context, "form": form, "preview": preview, "preview_item": form.instance,
        "preview_template": preview_template, "with_preview": True,
    }, status=400 if form.errors else 200)


@login_required
def resource_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    district = _district(request)
    row = (get_object_or_404(CommunityResource, pk=pk, district=district) if pk is not None
           else CommunityResource(district=district))
    form = CommunityResourceForm(request.POST or None, instance=row, languages=page_languages(district))
    return _preview_or_save(request, form, district, reverse("website:resources"),
                            {"title": _("Community resource"), "delete_url": reverse(
                                "website:resource_delete", args=[pk]) if pk else ""},
                            "website/editor/_resource_preview.html")


@login_required
@require_POST
def resource_delete(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(CommunityResource, pk=pk, district=_district(request)).delete()
    messages.success(request, _("Deleted."))
    return redirect("website:resources")


@login_required
def announcements(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    return render(request, "website/editor/announcements.html", {
        "rows": Announcement.objects.filter(district=district).select_related("school").order_by("-starts_on")})


@login_required
def announcement_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    district = _district(request)
    row = (get_object_or_404(Announcement, pk=pk, district=district) if pk is not None
           else Announcement(district=district))
    form = AnnouncementForm(request.POST or None, instance=row, languages=page_languages(district),
                            schools=district_schools(district.pk))
    return _preview_or_save(request, form, district, reverse("website:announcements"),
                            {"title": _("Announcement or event"), "delete_url": reverse(
                                "website:announcement_delete", args=[pk]) if pk else ""},
                            "website/editor/_announcement_preview.html")


@login_required
@require_POST
def announcement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Announcement, pk=pk, district=_district(request)).delete()
    messages.success(request, _("Deleted."))
    return redirect("website:announcements")


@login_required
def files(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    form = PublicFileForm(request.POST or None, request.FILES or None, languages=page_languages(district),
                          schools=district_schools(district.pk))
    if request.method == "POST" and form.is_valid():
        services.public_file_save(district=district, form=form)
        messages.success(request, _("Uploaded. The public pages show it within five minutes."))
        return redirect("website:files")
    return render(request, "website/editor/files.html", {
        "form": form, "rows": PublicFile.objects.filter(district=district).select_related("school", "district"),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def file_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.public_file_delete(item=get_object_or_404(PublicFile, pk=pk, district=_district(request)))
    messages.success(request, _("Deleted."))
    return redirect("website:files")


@login_required
def family_community(request: HttpRequest) -> HttpResponse:
    """The portal's "Community resources": the family's district's search, in the family's language."""
    scope = scoping.require_guardian(request.user)
    district = get_object_or_404(District, pk=scope.guardian_district_id)
    language = request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else ""
    return redirect(f"{reverse('website:community', args=[district.slug])}?lang={language}")


