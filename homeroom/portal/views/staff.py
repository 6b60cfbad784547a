"""Staff pages of the portal: weekly class notes for families, and family feedback for the partnership team."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.core.models import Role
from homeroom.portal import selectors, services
from homeroom.portal.forms import SectionNoteForm
from homeroom.roster.models import Staff


@login_required
def section_notes_index(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    return render(request, "portal/staff_sections.html", {"sections": selectors.sections_taught_by(request.user)})


@login_required
def section_notes(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scoping.require_staff(request.user)
    section = scoping.get_in_scope(scoping.sections_for(request.user), pk=pk)
    if not selectors.sections_taught_by(request.user).filter(pk=section.pk).exists():
        raise PermissionDenied  # visible to a principal, but only the class's teachers write to its families
    form = SectionNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        author = Staff.objects.get(pk=scope.staff_id or 0)
        services.section_note_post(
            section=section, author=author, week_of=form.cleaned_data["week_of"], body=form.cleaned_data["body"],
            public=form.cleaned_data["public"],
        )
        messages.success(request, _("Your note is posted for the families of this class."))
        return redirect("portal:section_notes", pk=section.pk)
    notes = selectors.section_notes(section)[:10]
    return render(request, "portal/staff_section_notes.html", {"section": section, "form": form, "notes": notes})


@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    scoping.require_role(request.user, Role.PRINCIPAL, Role.DISTRICT_ADMIN)
    items = selectors.feedback_for_staff(request.user)[:200]
    return render(request, "portal/staff_feedback.html", {"items": items})
