"""Staff pages for PPT meetings: list and find, one student's meetings, schedule, the meeting's record."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeroom.access import scoping
from homeroom.access.access_log import record_student_access
from homeroom.meetings import followup, forms, notice, selectors, services
from homeroom.meetings.models import Ppt, PptStatus
from homeroom.roster.models import Staff, Student


def _manager(request: HttpRequest) -> scoping.Scope:
    return scoping.require_role(request.user, *selectors.PPT_ROLES)


def _meeting(request: HttpRequest, pk: int) -> Ppt:
    return scoping.get_in_scope(selectors.ppts_for(request.user), pk=pk)  # type: ignore[no-any-return]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Upcoming PPTs the user may see, and (POST, so names stay out of URLs) a student search to schedule one."""
    scoping.require_staff(request.user)
    form = forms.StudentSearchForm(request.POST or None)
    found: list[Student] = []
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"].strip()
        students = scoping.staff_students_for(request.user)
        for word in name.split():
            students = students.filter(given_name__icontains=word) | students.filter(family_name__icontains=word)
        found = list(students.select_related("school").order_by("family_name", "given_name")[:25])
    upcoming = selectors.ppts_for(request.user).filter(
        status=PptStatus.SCHEDULED, starts_at__gte=timezone.now() - dt.timedelta(days=1))[:100]
    return render(request, "meetings/index.html", {"form": form, "found": found, "upcoming": upcoming,
                                                   "searched": request.method == "POST"})


@login_required
def student(request: HttpRequest, student_pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    pupil = scoping.get_in_scope(scoping.staff_students_for(request.user), pk=student_pk)
    record_student_access(user=request.user, student_ids=[pupil.pk], action="meetings.student")
    return render(request, "meetings/student.html", {
        "student": pupil,
        "ppts": selectors.ppts_for(request.user).filter(student=pupil).order_by("-starts_at"),
        "requests": selectors.requests_for(request.user).filter(student=pupil),
        "letters": selectors.letters_for_staff(request.user).filter(student=pupil)[:50],
        "may_manage": selectors.may_manage_ppts(request.user),
    })


@login_required
def ppt_create(request: HttpRequest, student_pk: int) -> HttpResponse:
    _manager(request)
    pupil = scoping.get_in_scope(scoping.staff_students_for(request.user), pk=student_pk)
    record_student_access(user=request.user, student_ids=[pupil.pk], action="meetings.ppt_create")
    parents = selectors.parents_with_rights(pupil)
    staff = selectors.staff_for_school(request.user, pupil.school_id or 0)
    form = forms.PptForm(request.POST or None, parents=parents, staff=staff)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.ppt_schedule(student=pupil, user=request.user, data=form.to_input())
        except services.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The PPT is scheduled. Send the invitation next."))
            return redirect("meetings:ppt_detail", pk=meeting.pk)
    return render(request, "meetings/ppt_form.html", {"student": pupil, "form": form},
                  status=400 if form.errors else 200)


@login_required
def ppt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_staff(request.user)
    meeting = _meeting(request, pk)
    record_student_access(user=request.user, student_ids=[meeting.student_id], action="meetings.ppt")
    parents = selectors.parents_with_rights(meeting.student)
    today = timezone.localdate()
    roles = set(meeting.members.values_list("role", flat=True))
    manage = selectors.may_manage_ppts(request.user)
    return render(request, "meetings/ppt_detail.html", {
        "meeting": meeting,
        "members": meeting.members.select_related("staff"),
        "missing_roles": notice.missing_roles(roles),
        "untranslated": selectors.parents_without_their_language(meeting, parents),
        "latest_send": notice.latest_send_date(meeting),
        "notice_today": notice.notice_check(meeting, today),
        "prep_forms": meeting.prep_forms.select_related("guardian", "entered_by__staff"),
        "reach": selectors.reach_record(meeting),
        "countable": selectors.contacts_to_count(request.user, meeting)[:50] if manage else [],
        "safeguards": selectors.safeguards_status(parents, today),
        "letters": meeting.letters.all(),
        "may_manage": manage,
        "survey_configured": followup.survey_sender_configured(),
        "invitation_form": forms.InvitationForm(),
        "early_form": forms.EarlyNoticeForm(),
        "safeguards_form": forms.SafeguardsForm(parents=parents),
        "held_form": forms.HeldForm(),
        "paper_form": forms.PaperPrepForm(parents=parents),
        "iep_form": forms.IepSentForm(),
        "follow_up_form": forms.FollowUpForm(),
    })


def _after(request: HttpRequest, meeting: Ppt, error: Exception | None, success: str) -> HttpResponse:
    if error is not None:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("meetings:ppt_detail", pk=meeting.pk)


def _invalid(request: HttpRequest, meeting: Ppt, form: object) -> HttpResponse:
    errors = getattr(form, "errors", {})
    messages.error(request, " ".join(str(e) for field_errors in errors.values() for e in field_errors))
    return redirect("meetings:ppt_detail", pk=meeting.pk)


@login_required
@require_POST
def ppt_invite(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    meeting = _meeting(request, pk)
    form = forms.InvitationForm(request.POST)
    form.is_valid()
    try:
        services.ppt_invitation_send(meeting=meeting, user=request.user,
                                     safeguards_enclosed=form.cleaned_data.get("safeguards_enclosed", False))
    except services.MeetingError as exc:
        return _after(request, meeting, exc, "")
    return _after(request, meeting, None, _("The invitation is on its way, and the letter is being prepared."))


@login_required
@require_POST
def ppt_early_notice(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    meeting = _meeting(request, pk)
    form = forms.EarlyNoticeForm(request.POST)
    if not form.is_valid():
        return _invalid(request, meeting, form)
    services.ppt_early_notice_record(meeting=meeting, agreed_on=form.cleaned_data["agreed_on"],
                                     note=form.cleaned_data["note"])
    return _after(request, meeting, None, _("The parent's agreement is recorded."))


@login_required
@require_POST
def ppt_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    meeting = _meeting(request, pk)
    contact = scoping.get_in_scope(selectors.contacts_to_count(request.user, meeting), pk=request.POST.get("contact"))
    services.reach_attempt_add(meeting=meeting, contact=contact, user=request.user)
    return _after(request, meeting, None, _("Counted as an attempt to reach the parent."))


@login_required
@require_POST
def ppt_safeguards(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    meeting = _meeting(request, pk)
    form = forms.SafeguardsForm(request.POST, parents=selectors.parents_with_rights(meeting.student))
    if not form.is_valid():
        return _invalid(request, meeting, form)
    services.safeguards_record(guardian=form.cleaned_data["guardian"], given_on=form.cleaned_data["given_on"],
                               method=form.cleaned_data["method"], user=request.user)
    return _after(request, meeting, None, _("The procedural safeguards notice is recorded."))


@login_required
@require_POST
def ppt_prep_paper(request: HttpRequest, pk: int) -> HttpResponse:
    """Type in the parent's paper "Preparing for the PPT" form."""
    _manager(request)
    meeting = _meeting(request, pk)
    form = forms.PaperPrepForm(request.POST, parents=selectors.parents_with_rights(meeting.student))
    if not form.is_valid():
        return _invalid(request, meeting, form)
    data = {name: form.cleaned_data[name] for name in forms.PrepFormForm.Meta.fields}
    try:
        services.prep_form_enter_from_paper(meeting=meeting, guardian=form.cleaned_data["guardian"],
                                            answers=services.PrepAnswers(**data), user=request.user)
    except services.MeetingError as exc:
        return _after(request, meeting, exc, "")
    return _after(request, meeting, None, _("The paper form is saved with the family's answers."))


@login_required
@require_POST
def ppt_held(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    meeting = _meeting(request, pk)
    form = forms.HeldForm(request.POST)
    if not form.is_valid():
        return _invalid(request, meeting, form)
    try:
        services.ppt_mark_held(meeting=meeting, held_on=form.cleaned_data["held_on"], user=request.user)
    except services.MeetingError as exc:
        return _after(request, meeting, exc, "")
    return _after(request, meeting, None, _("Recorded. The IEP is due to the family within five school days."))


@login_required
@require_POST
def ppt_iep_sent(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    meeting = _meeting(request, pk)
    form = forms.IepSentForm(request.POST)
    if not form.is_valid():
        return _invalid(request, meeting, form)
    try:
        services.ppt_iep_sent(meeting=meeting, sent_on=form.cleaned_data["sent_on"])
    except services.MeetingError as exc:
        return _after(request, meeting, exc, "")
    return _after(request, meeting, None, _("The date the IEP was sent is recorded."))


@login_required
@require_POST
def ppt_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _manager(request)
    meeting = _meeting(request, pk)
    form = forms.FollowUpForm(request.POST)
    if not form.is_valid():
        return _invalid(request, meeting, form)
    staff = Staff.objects.get(pk=scope.staff_id or 0)
    try:
        services.ppt_follow_up_record(meeting=meeting, staff=staff, user=request.user,
                                      occurred_at=form.cleaned_data["occurred_at"],
                                      method=form.cleaned_data["method"], notes=form.cleaned_data["notes"])
    except services.MeetingError as exc:
        return _after(request, meeting, exc, "")
    return _after(request, meeting, None, _("The follow-up is logged in the contact log."))


@login_required
@require_POST
def ppt_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    meeting = _meeting(request, pk)
    try:
        services.ppt_cancel(meeting=meeting, user=request.user)
    except services.MeetingError as exc:
        return _after(request, meeting, exc, "")
    return _after(request, meeting, None, _("The meeting is cancelled."))


@login_required
@require_POST
def packet_send(request: HttpRequest, student_pk: int) -> HttpResponse:
    _manager(request)
    pupil = scoping.get_in_scope(scoping.staff_students_for(request.user), pk=student_pk)
    try:
        services.parent_packet_send(student=pupil, user=request.user)
    except services.MeetingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The Parent Packet is being prepared for the family's documents."))
    return redirect("meetings:student", student_pk=pupil.pk)


@login_required
def requests(request: HttpRequest) -> HttpResponse:
    scoping.require_staff(request.user)
    rows = selectors.requests_for(request.user).prefetch_related("letters")[:200]
    return render(request, "meetings/requests.html", {"requests": rows,
                                                      "may_manage": selectors.may_manage_ppts(request.user)})


@login_required
@require_POST
def request_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    row = scoping.get_in_scope(selectors.requests_for(request.user), pk=pk)
    services.family_request_acknowledge(request=row, user=request.user)
    messages.success(request, _("Marked as acknowledged."))
    return redirect("meetings:requests")


@login_required
def letter_download(request: HttpRequest, pk: int) -> FileResponse:
    scoping.require_staff(request.user)
    letter = scoping.get_in_scope(selectors.letters_for_staff(request.user), pk=pk)
    if letter.document is None:
        raise Http404
    if letter.student_id:
        record_student_access(user=request.user, student_ids=[letter.student_id], action="meetings.letter")
    name = letter.document.file.name.rsplit("/", 1)[-1]
    return FileResponse(letter.document.file.open("rb"), as_attachment=True, filename=name)

