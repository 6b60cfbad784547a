"""Parent-teacher conferences: teachers publish slots, families book, change or cancel; one booking per slot."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from homeroom.contacts.models import ContactLog, Method, Outcome
from homeroom.contacts.models import Purpose as ContactPurpose
from homeroom.contacts.services import ContactInput, contact_log_create
from homeroom.meetings.models import ConferenceBooking, ConferenceFormat, ConferenceSlot
from homeroom.meetings.texts import interface_languages, supported_language
from homeroom.messaging.models import AudienceKind, Category
from homeroom.messaging.services import ContentInput, MessageError, message_create, message_send
from homeroom.roster.models import Guardian, Staff, Student

LINK_SALT = "homeroom.meetings.conference-link"
LINK_MAX_AGE = 60 * 60 * 24 * 45  # a booking link stays good through a conference season
OFFERED_ALTERNATIVES = 3
REMINDER_AHEAD = dt.timedelta(hours=24)
METHOD_FOR_FORMAT = {ConferenceFormat.IN_PERSON: Method.CONFERENCE, ConferenceFormat.PHONE: Method.PHONE,
                     ConferenceFormat.VIDEO: Method.VIDEO}


class ConferenceError(ValueError):
    """The booking cannot be made as asked; the text tells the family or teacher why."""


class SlotTaken(ConferenceError):
    """Another family booked this slot first; `alternatives` are the teacher's next free slots."""

    def __init__(self, alternatives: list[ConferenceSlot]) -> None:
        super().__init__(_("Another family has just booked this time."))
        self.alternatives = alternatives


@dataclass(frozen=True)
class SlotSeries:
    day: dt.date
    first: dt.time
    count: int
    minutes: int
    format: str
    where: str = ""


def slots_publish(*, teacher: Staff, series: SlotSeries) -> list[ConferenceSlot]:
    """Publish `count` back-to-back slots; times the teacher already offers are skipped."""
    start = timezone.make_aware(dt.datetime.combine(series.day, series.first))
    slots = [
        ConferenceSlot(district_id=teacher.district_id, teacher=teacher,
                       starts_at=start + dt.timedelta(minutes=series.minutes * i), duration_minutes=series.minutes,
                       format=series.format, where=series.where.strip())
        for i in range(series.count)
    ]
    with transaction.atomic():
        ConferenceSlot.objects.bulk_create(slots, ignore_conflicts=True)
    return list(ConferenceSlot.objects.filter(teacher=teacher, starts_at__in=[s.starts_at for s in slots],
                                              is_active=True))


def teachers_of(student: Student) -> QuerySet[Staff]:
    """The staff teaching the student's active classes."""
    return Staff.objects.filter(
        is_active=True, enrollments__role="teacher", enrollments__is_active=True,
        enrollments__section__is_active=True,
        enrollments__section__enrollments__student=student, enrollments__section__enrollments__is_active=True,
    ).distinct()


def free_slots(teacher: Staff, *, after: dt.datetime | None = None) -> QuerySet[ConferenceSlot]:
    return ConferenceSlot.objects.filter(
        teacher=teacher, is_active=True, starts_at__gt=after or timezone.now(),
    ).exclude(pk__in=ConferenceBooking.objects.filter(cancelled_at__isnull=True).values("slot_id")).order_by(
        "starts_at")


def booking_create(*, slot: ConferenceSlot, student: Student, guardian: Guardian | None,
                   interpreter_language: str = "") -> ConferenceBooking:
    """Book the slot for this student's family, or raise SlotTaken with the next free slots.

    Two families pressing "book" at once both reach the insert; the partial unique index on active bookings
    lets exactly one commit, and the other is told at once.
    """
    if not slot.is_active or slot.starts_at <= timezone.now():
        raise ConferenceError(_("This time is no longer offered."))
    if not teachers_of(student).filter(pk=slot.teacher_id).exists():
        raise ConferenceError(_("This teacher does not teach your child."))
    try:
        with transaction.atomic():
            return ConferenceBooking.objects.create(slot=slot, student=student, guardian=guardian,
                                                    interpreter_language=interpreter_language.strip())
    except IntegrityError:
        alternatives = list(free_slots(slot.teacher, after=timezone.now())[:OFFERED_ALTERNATIVES])
        raise SlotTaken(alternatives) from None


@transaction.atomic
def booking_change(*, booking: ConferenceBooking, slot: ConferenceSlot) -> ConferenceBooking:
    """Move a booking: the new slot is taken first, so a family never ends up with neither."""
    new = booking_create(slot=slot, student=booking.student, guardian=booking.guardian,
                         interpreter_language=booking.interpreter_language)
    booking_cancel(booking=booking)
    return new


def booking_cancel(*, booking: ConferenceBooking) -> None:
    ConferenceBooking.objects.filter(pk=booking.pk, cancelled_at__isnull=True).update(cancelled_at=timezone.now())


@transaction.atomic
def attendance_record(*, booking: ConferenceBooking, attended: bool, user: Any) -> ContactLog:
    """The teacher records whether the family came; it goes into the contact log like any contact."""
    booking = ConferenceBooking.objects.select_for_update().select_related("slot__teacher", "student").get(
        pk=booking.pk)
    slot = booking.slot
    guardians = [booking.guardian] if booking.guardian else list(Guardian.objects.filter(
        student_links__student=booking.student, student_links__is_active=True,
        student_links__has_educational_rights=True, student_links__may_receive_information=True))
    contact = contact_log_create(staff=slot.teacher, created_by=user, data=ContactInput(
        occurred_at=slot.starts_at, method=METHOD_FOR_FORMAT[ConferenceFormat(slot.format)],
        purpose=ContactPurpose.ACADEMIC, students=[booking.student], guardians=guardians,
        outcome=Outcome.REACHED if attended else Outcome.NO_ANSWER,
        interpreter_used=bool(booking.interpreter_language) and attended,
        notes=_("Parent-teacher conference") if attended else _("Parent-teacher conference: the family did not come"),
    ))
    booking.attended, booking.contact = attended, contact
    booking.save(update_fields=["attended", "contact"])
    return contact


def link_token(student: Student) -> str:
    return signing.dumps({"s": student.pk}, salt=LINK_SALT, compress=True)


def link_url(student: Student) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("meetings:conference_link", args=[link_token(student)])


def student_for_token(token: str) -> int | None:
    """The student a signed booking link is for, or None when it is forged or expired."""
    try:
        return int(signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def booking_ics(booking: ConferenceBooking) -> bytes:
    """An iCalendar invitation for one booking."""
    slot = booking.slot
    calendar = Calendar()
    calendar.add("prodid", "-//Homeroom//Conferences//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"conference-{booking.pk}@homeroom")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.starts_at + dt.timedelta(minutes=slot.duration_minutes))
    event.add("summary", _("Conference with %(teacher)s about %(student)s") % {
        "teacher": slot.teacher, "student": booking.student})
    event.add("location", slot.where or slot.get_format_display())
    description = slot.get_format_display()
    if booking.interpreter_language:
        description += "\n" + _("Interpreter requested: %(language)s") % {"language": booking.interpreter_language}
    event.add("description", description)
    if booking.cancelled_at:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    return calendar.to_ical()


def _slot_context(booking: ConferenceBooking, language: str) -> dict[str, str]:
    local = timezone.localtime(booking.slot.starts_at)
    with translation.override(language):
        return {"teacher": str(booking.slot.teacher), "student": str(booking.student),
                "date": date_format(local.date(), "DATE_FORMAT"), "time": time_format(local.time(), "TIME_FORMAT"),
                "how": booking.slot.get_format_display(), "where": booking.slot.where,
                "link": link_url(booking.student)}


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind each family of a conference in the next 24 hours, once, through the messaging engine."""
    now = now or timezone.now()
    due = ConferenceBooking.objects.filter(
        cancelled_at__isnull=True, reminded_at__isnull=True, slot__starts_at__gt=now,
        slot__starts_at__lte=now + REMINDER_AHEAD,
    ).select_related("slot__teacher__user", "student")
    sent = 0
    for booking in due:
        teacher = booking.slot.teacher
        languages = {supported_language(code, interface_languages()) for code in Guardian.objects.filter(
            student_links__student=booking.student, student_links__is_active=True).values_list("language", flat=True)}
        contents = []
        for language in sorted({code for code in languages if code} | {"en"}):
            context = _slot_context(booking, language)
            with translation.override(language):
                contents.append(ContentInput(
                    language=language,
                    subject=_("Reminder: conference with %(teacher)s") % {"teacher": context["teacher"]},
                    body=render_to_string("meetings/conference_reminder.txt", {"c": context}).strip(),
                ))
        try:
            with transaction.atomic():
                message = message_create(
                    user=teacher.user, category=Category.REMINDER,
                    audience={"kind": AudienceKind.FAMILY, "students": [booking.student_id]},
                    audience_label=_("Conference reminder"), callback_name=str(teacher), callback_phone="",
                    contents=contents,
                )
                message_send(message=message, user=teacher.user)
                ConferenceBooking.objects.filter(pk=booking.pk).update(reminded_at=now)
        except MessageError:
            continue
        sent += 1
    return sent


def invitation_texts(teacher: Staff, student: Student) -> list[tuple[str, str, str]]:
    """(language, subject, body) of the sign-up message for one family, in each language its guardians read."""
    codes = {supported_language(code, interface_languages()) for code in Guardian.objects.filter(
        student_links__student=student, student_links__is_active=True).values_list("language", flat=True)}
    texts = []
    for language in sorted({code for code in codes if code} | {"en"}):
        with translation.override(language):
            context = {"teacher": str(teacher), "student": str(student), "link": link_url(student)}
            texts.append((
                language,
                _("Book a conference with %(teacher)s") % {"teacher": context["teacher"]},
                render_to_string("meetings/conference_invitation.txt", {"c": context}).strip(),
            ))
    return texts
