"""Family pages of the meetings app: the family's PPT invitations, "Preparing for the PPT", written requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.access.access_log import record_student_access
from homeroom.meetings import forms, selectors, services
from homeroom.meetings.models import PptStatus, PrepForm, RequestKind
from homeroom.roster.models import Guardian


def _guardian(request: HttpRequest) -> Guardian:
    scope = scoping.require_guardian(request.user)
    return scoping.get_in_scope(scoping.guardians_for(request.user), pk=scope.guardian_id)  # type: ignore[no-any-return]


@login_required
def family_meetings(request: HttpRequest) -> HttpResponse:
    _guardian(request)
    ppts = selectors.family_ppts_for(request.user).order_by("-starts_at")
    students = scoping.students_for(request.user).order_by("given_name")
    return render(request, "meetings/family_meetings.html", {"ppts": ppts, "students": students})


@login_required
def prep_form(request: HttpRequest, pk: int) -> HttpResponse:
    guardian = _guardian(request)
    meeting = scoping.get_in_scope(selectors.family_ppts_for(request.user), pk=pk)
    record_student_access(user=request.user, student_ids=[meeting.student_id], action="meetings.prep_form")
    existing = PrepForm.objects.filter(meeting=meeting, guardian=guardian).first()
    form = forms.PrepFormForm(request.POST or None, instance=existing)
    closed = meeting.status != PptStatus.SCHEDULED
    if request.method == "POST" and not closed and form.is_valid():
        data = {name: form.cleaned_data[name] for name in forms.PrepFormForm.Meta.fields}
        services.prep_form_save(meeting=meeting, guardian=guardian, answers=services.PrepAnswers(**data),
                                language=translation.get_language() or guardian.language)
        messages.success(request, _("Thank you. The team will read this before the meeting."))
        return redirect("meetings:prep_form", pk=meeting.pk)
    return render(request, "meetings/prep_form.html", {"meeting": meeting, "form": form, "closed": closed},
                  status=400 if form.errors else 200)


@login_required
def family_request(request: HttpRequest, student_pk: int, kind: str) -> HttpResponse:
    guardian = _guardian(request)
    if kind not in RequestKind.values:
        raise Http404
    child = scoping.get_in_scope(scoping.students_for(request.user), pk=student_pk)
    record_student_access(user=request.user, student_ids=[child.pk], action="meetings.family_request")
    form = forms.FamilyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.family_request_submit(guardian=guardian, student=child, kind=kind,
                                           reason=form.cleaned_data["reason"],
                                           language=translation.get_language() or guardian.language,
                                           user=request.user)
        except services.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your request has reached the school today. Your copy of the letter will "
                                        "appear in Documents in a moment."))
            return redirect("meetings:family")
    return render(request, "meetings/family_request.html", {
        "form": form, "child": child, "kind": kind, "kind_label": RequestKind(kind).label,
    }, status=400 if form.errors else 200)
