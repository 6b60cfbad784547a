"""Conference pages: teachers publish slots and record attendance; families book, move or cancel, signed in or
through the signed link in a message (no account needed)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from homeroom.access import scoping
from homeroom.access.access_log import record_student_access
from homeroom.meetings import conferences
from homeroom.meetings.forms import BookingForm, SlotSeriesForm
from homeroom.meetings.models import ConferenceBooking, ConferenceSlot
from homeroom.messaging.models import AudienceKind, Category
from homeroom.messaging.services import ContentInput, MessageError, message_create, message_send
from homeroom.roster.models import Guardian, Staff, Student


def _teacher(request: HttpRequest) -> Staff:
    scope = scoping.require_staff(request.user)
    return Staff.objects.get(pk=scope.staff_id or 0)


@login_required
def conference_slots(request: HttpRequest) -> HttpResponse:
    teacher = _teacher(request)
    form = SlotSeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = conferences.slots_publish(teacher=teacher, series=form.series())
        messages.success(request, _("%(count)s times are published.") % {"count": len(made)})
        return redirect("meetings:conference_slots")
    active = ConferenceBooking.objects.filter(cancelled_at__isnull=True).select_related("student", "guardian")
    slots = ConferenceSlot.objects.filter(teacher=teacher, is_active=True,
                                          starts_at__gte=timezone.now() - dt.timedelta(days=14)).prefetch_related(
        Prefetch("bookings", queryset=active, to_attr="active_bookings"))
    sections = scoping.sections_for(request.user).filter(enrollments__staff=teacher,
                                                         enrollments__is_active=True).distinct()
    return render(request, "meetings/conference_slots.html", {"form": form, "slots": slots, "sections": sections},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def conference_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    teacher = _teacher(request)
    booking = scoping.get_in_scope(ConferenceBooking.objects.filter(slot__teacher=teacher, cancelled_at__isnull=True),
                                   pk=pk)
    conferences.attendance_record(booking=booking, attended=request.POST.get("attended") == "yes",
                                  user=request.user)
    messages.success(request, _("Recorded in the contact log."))
    return redirect("meetings:conference_slots")


@login_required
@require_POST
def conference_invite_section(request: HttpRequest, pk: int) -> HttpResponse:
    """Send each family of one of the teacher's classes its own signed booking link."""
    teacher = _teacher(request)
    section = scoping.get_in_scope(scoping.sections_for(request.user).filter(
        enrollments__staff=teacher, enrollments__is_active=True).distinct(), pk=pk)
    students = scoping.staff_students_for(request.user).filter(
        enrollments__section=section, enrollments__is_active=True, enrollments__role="student").distinct()
    sent = 0
    for student in students:
        contents = [
            ContentInput(language=code, subject=subject, body=body)
            for code, subject, body in conferences.invitation_texts(teacher, student)
        ]
        try:
            message = message_create(
                user=request.user, category=Category.REMINDER,
                audience={"kind": AudienceKind.FAMILY, "students": [student.pk]},
                audience_label=_("Conference sign-up"), callback_name=str(teacher), callback_phone="",
                contents=contents,
            )
            message_send(message=message, user=request.user)
        except MessageError:
            continue
        sent += 1
    messages.success(request, _("Booking links sent to %(count)s families.") % {"count": sent})
    return redirect("meetings:conference_slots")


# How a read through the signed booking link reached the page, for the access log (there may be no account).
VIA_LINK = "booking link"


def _page(request: HttpRequest, *, students: list[Student], guardian: Guardian | None, action: str,
          token: str = "") -> HttpResponse:
    """The booking page for these children: bookings with move/cancel, each teacher's free times, book."""
    bookings = list(ConferenceBooking.objects.filter(student__in=students, cancelled_at__isnull=True,
                                                     slot__starts_at__gt=timezone.now()).select_related(
        "slot__teacher", "student"))
    if request.method == "POST":
        response = _handle(request, students=students, guardian=guardian, bookings=bookings)
        if response is not None:
            return response
    offers = []
    for student in students:
        for teacher in conferences.teachers_of(student):
            offers.append({"student": student, "teacher": teacher,
                           "slots": list(conferences.free_slots(teacher)[:12])})
    record_student_access(user=request.user, student_ids=[s.pk for s in students], action=action,
                          via=VIA_LINK if token else "")
    taken, taken_student = getattr(request, "_taken", (None, None))
    return render(request, "meetings/conferences.html", {
        "bookings": bookings, "offers": offers, "token": token, "taken": taken, "taken_student": taken_student,
    }, status=409 if taken is not None else 200)


def _handle(request: HttpRequest, *, students: list[Student], guardian: Guardian | None,
            bookings: list[ConferenceBooking]) -> HttpResponse | None:
    form = BookingForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    own = {b.pk: b for b in bookings}
    if data["action"] == "cancel":
        booking = own.get(data.get("booking") or 0)
        if booking is None:
            raise Http404
        conferences.booking_cancel(booking=booking)
        messages.success(request, _("Your conference is cancelled."))
        return redirect(request.path)
    student = next((s for s in students if s.pk == data.get("student")), None)
    slot = ConferenceSlot.objects.filter(pk=data.get("slot") or 0).select_related("teacher").first()
    if student is None or slot is None:
        raise Http404
    try:
        if data["action"] == "move" and data.get("booking") in own:
            conferences.booking_change(booking=own[data["booking"]], slot=slot)
        else:
            conferences.booking_create(slot=slot, student=student, guardian=guardian,
                                       interpreter_language=data.get("interpreter_language", ""))
    except conferences.SlotTaken as taken:
        request._taken = (taken, student)  # type: ignore[attr-defined]
        return None
    except conferences.ConferenceError as exc:
        messages.error(request, str(exc))
        return redirect(request.path)
    messages.success(request, _("Your conference is booked."))
    return redirect(request.path)


@login_required
def family_conferences(request: HttpRequest) -> HttpResponse:
    scope = scoping.require_guardian(request.user)
    guardian = scoping.get_in_scope(scoping.guardians_for(request.user), pk=scope.guardian_id)
    return _page(request, students=list(scoping.students_for(request.user)), guardian=guardian,
                 action="meetings.conferences")


def conference_link(request: HttpRequest, token: str) -> HttpResponse:
    """The same page from the signed link in a message, for a family without an account."""
    student_id = conferences.student_for_token(token)
    student = Student.objects.filter(pk=student_id or 0, is_active=True).first()
    if student is None:
        raise Http404
    return _page(request, students=[student], guardian=None, action="meetings.conference_link", token=token)


def _ics_response(booking: ConferenceBooking) -> HttpResponse:
    response = HttpResponse(conferences.booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="conference-{booking.pk}.ics"'
    return response


@login_required
def conference_ics(request: HttpRequest, pk: int) -> HttpResponse:
    scoping.require_guardian(request.user)
    booking = scoping.get_in_scope(ConferenceBooking.objects.filter(
        student__in=scoping.students_for(request.user)).select_related("slot__teacher", "student"), pk=pk)
    record_student_access(user=request.user, student_ids=[booking.student_id], action="meetings.conference_ics")
    return _ics_response(booking)


def conference_link_ics(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    student_id = conferences.student_for_token(token)
    booking = scoping.get_in_scope(ConferenceBooking.objects.filter(student_id=student_id or 0).select_related(
        "slot__teacher", "student"), pk=pk)
    record_student_access(user=request.user, student_ids=[booking.student_id], action="meetings.conference_link_ics",
                          via=VIA_LINK)
    return _ics_response(booking)

