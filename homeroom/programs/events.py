"""Events, trainings and orientations: invitations through messaging, RSVPs (portal or signed link, no account),
the last seat going to exactly one family, .ics files, reminders, attendance as contacts, feedback cards."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as IcsEvent

from homeroom.access import scoping
from homeroom.contacts.models import ContactLog, Method, Purpose
from homeroom.contacts.services import ContactInput, contact_log_create
from homeroom.meetings.texts import interface_languages, supported_language
from homeroom.messaging.compose.audiences import AudienceError, audience_students
from homeroom.messaging.models import AudienceKind, Category
from homeroom.messaging.services import ContentInput, MessageError, message_create, message_send
from homeroom.programs.models import Attendance, AttendanceHow, Event, EventInvitation, Rsvp
from homeroom.roster.models import Guardian, Staff, Student, StudentGuardian
from homeroom.surveys.models import Instrument, Kind
from homeroom.surveys.services import Callback, survey_create, survey_send_to_students

LINK_SALT = "homeroom.programs.event-rsvp"
LINK_MAX_AGE = 60 * 60 * 24 * 120  # an invitation stays good until well after the event
REMINDER_AHEAD = dt.timedelta(hours=24)
MAX_SEATS = 10


class EventError(ValueError):
    """The RSVP or change cannot be made as asked; the text tells the family or staff why."""


class EventFull(EventError):
    def __init__(self) -> None:
        super().__init__(_("Sorry, this event is full."))


@dataclass(frozen=True)
class EventInput:
    kind: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    module: str = ""
    description: str = ""
    place: str = ""
    video_link: str = ""
    languages: tuple[str, ...] = ()
    interpreters: bool = True
    childcare: bool = False
    capacity: int | None = None
    is_public: bool = True


WHEN_WHERE = ("starts_at", "ends_at", "place", "video_link")


def event_save(*, district_id: int, school_id: int | None, data: EventInput, user: Any,
               event: Event | None = None, team_id: int | None = None) -> Event:
    """Create or change an event. Changing the time or place of an event raises its .ics SEQUENCE and tells each
    family that answered yes the new details (one message each)."""
    if data.ends_at <= data.starts_at:
        raise EventError(_("The event must end after it starts."))
    if not data.place.strip() and not data.video_link.strip():
        raise EventError(_("Give a place or a video link."))
    if event is not None and event.cancelled_at:
        raise EventError(_("This event is cancelled."))
    event = event or Event(district_id=district_id, school_id=school_id, created_by=user, team_id=team_id)
    if data.capacity is not None and data.capacity < event.seats_taken:
        raise EventError(_("More seats are already taken than that."))
    moved = event.pk is not None and any(_minute(getattr(event, name)) != _minute(getattr(data, name))
                                         for name in WHEN_WHERE)
    for name in ("kind", "title", "starts_at", "ends_at", "module", "description", "place", "video_link",
                 "interpreters", "childcare", "capacity", "is_public"):
        setattr(event, name, getattr(data, name))
    event.languages = list(data.languages)
    if moved:
        event.sequence += 1
    event.save()
    if moved:
        notify_yes(event=event, user=user, notice="changed")
    return event


def _minute(value: Any) -> Any:
    """Times as the form gives them (to the minute), so saving an unchanged form moves nothing."""
    return value.replace(second=0, microsecond=0) if isinstance(value, dt.datetime) else value


@transaction.atomic
def event_cancel(*, event: Event, user: Any, reason: str) -> int:
    """Cancel an event and tell each family that answered yes, in its language. RSVPs and seats stay as they
    were (the record of who meant to come); returns how many families were told."""
    if not reason.strip():
        raise EventError(_("Give a reason."))
    if not Event.objects.filter(pk=event.pk, cancelled_at__isnull=True).update(
            cancelled_at=timezone.now(), cancel_reason=reason.strip()[:500], sequence=F("sequence") + 1):
        raise EventError(_("This event is cancelled."))
    event.refresh_from_db()
    return notify_yes(event=event, user=user, notice="cancelled")


def notify_yes(*, event: Event, user: Any, notice: str) -> int:
    """One message to each family with an active "yes", about a cancellation or a new time or place."""
    sent = 0
    for rsvp in event.rsvps.filter(cancelled_at__isnull=True).select_related("guardian"):
        ids = family_student_ids(rsvp.guardian, event)
        if ids:
            sent += _send(event, user=user, student_ids=ids, guardian=rsvp.guardian, notice=notice)
    return sent


# --- signed links -----------------------------------------------------------------------------------------

def link_token(event: Event, guardian: Guardian) -> str:
    return signing.dumps({"e": event.pk, "g": guardian.pk}, salt=LINK_SALT, compress=True)


def link_url(event: Event, guardian: Guardian) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("programs:rsvp_link", args=[link_token(event, guardian)])


def read_token(token: str) -> tuple[int, int] | None:
    """(event id, guardian id) of a signed RSVP link, or None when it is forged or expired."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
        return int(data["e"]), int(data["g"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


# --- RSVP -------------------------------------------------------------------------------------------------

def active_rsvp(event: Event, guardian: Guardian) -> Rsvp | None:
    return Rsvp.objects.filter(event=event, guardian=guardian, cancelled_at__isnull=True).first()


@dataclass(frozen=True)
class RsvpInput:
    seats: int = 1
    interpreter_language: str = ""
    childcare_children: int = 0


def rsvp_create(*, event: Event, guardian: Guardian, data: RsvpInput, via: str) -> Rsvp:
    """Save a family's RSVP, taking its seats first.

    The seats are taken by one conditional UPDATE (`seats_taken + n <= capacity`) after the event row is
    locked: two families asking for the last seat at once both reach it, exactly one row changes, and the
    other family is told the event is full. A family answering again replaces its answer.
    """
    if event.cancelled_at or event.ends_at <= timezone.now():
        raise EventError(_("This event is no longer taking answers."))
    if not 1 <= data.seats <= MAX_SEATS:
        raise EventError(_("Choose between 1 and %(max)d people.") % {"max": MAX_SEATS})
    if data.childcare_children and not event.childcare:
        raise EventError(_("Childcare is not offered at this event."))
    return _rsvp_write(event=event, guardian=guardian, data=data, via=via)


def _rsvp_write(*, event: Event, guardian: Guardian, data: RsvpInput, via: str) -> Rsvp:
    with transaction.atomic():
        # Lock the event before reading anything: a no-op write that every RSVP to it makes first, so answers
        # to one event queue one behind the other (PostgreSQL's row lock; SQLite's write lock).
        Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken"))
        previous = Rsvp.objects.filter(event=event, guardian=guardian, cancelled_at__isnull=True).first()
        freed = previous.seats if previous else 0
        if previous is not None:
            previous.cancelled_at = timezone.now()
            previous.save(update_fields=["cancelled_at"])
        change = data.seats - freed
        seats = Event.objects.filter(pk=event.pk)
        if event.capacity is not None and change > 0:
            seats = seats.filter(seats_taken__lte=F("capacity") - change)
        if not seats.update(seats_taken=F("seats_taken") + change):
            raise EventFull
        try:
            return Rsvp.objects.create(event=event, guardian=guardian, seats=data.seats, via=via,
                                       interpreter_language=data.interpreter_language.strip(),
                                       childcare_children=data.childcare_children)
        except IntegrityError:  # the same family answering twice at once: the other answer stands
            raise EventError(_("Your answer was just saved from another page.")) from None


@transaction.atomic
def rsvp_cancel(*, rsvp: Rsvp) -> None:
    if Rsvp.objects.filter(pk=rsvp.pk, cancelled_at__isnull=True).update(cancelled_at=timezone.now()):
        Event.objects.filter(pk=rsvp.event_id).update(seats_taken=F("seats_taken") - rsvp.seats)


# --- .ics -------------------------------------------------------------------------------------------------

def event_ics(event: Event, rsvp: Rsvp | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Homeroom//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    item = IcsEvent()
    item.add("uid", f"event-{event.pk}@homeroom")
    item.add("sequence", event.sequence)
    item.add("dtstamp", timezone.now())
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.title)
    item.add("location", event.place or event.video_link)
    lines = [event.description] if event.description else []
    if event.video_link:
        lines.append(_("Video link: %(link)s") % {"link": event.video_link})
    if rsvp is not None:
        lines.append(_("People coming: %(count)d") % {"count": rsvp.seats})
        if rsvp.interpreter_language:
            lines.append(_("Interpreter requested: %(language)s") % {"language": rsvp.interpreter_language})
        if rsvp.childcare_children:
            lines.append(_("Childcare requested for %(count)d children") % {"count": rsvp.childcare_children})
    item.add("description", "\n".join(lines))
    if event.cancelled_at or (rsvp is not None and rsvp.cancelled_at):
        item.add("status", "CANCELLED")
    calendar.add_component(item)
    return calendar.to_ical()


# --- invitations and reminders ----------------------------------------------------------------------------

def _when(event: Event, language: str) -> dict[str, str]:
    local = timezone.localtime(event.starts_at)
    with translation.override(language):
        return {"date": date_format(local.date(), "DATE_FORMAT"), "time": time_format(local.time(), "TIME_FORMAT")}


def _family_guardian(student_ids: list[int]) -> Guardian | None:
    """The guardian an invitation's link answers for: the primary guardian with rights, else the first."""
    link = (StudentGuardian.objects.filter(scoping.family_access(), student_id__in=student_ids,
                                           guardian__is_active=True)
            .order_by("-is_primary", "guardian_id").select_related("guardian").first())
    return link.guardian if link else None


NOTICES = {
    "invite": "programs/family/event_invitation.txt",
    "reminder": "programs/family/event_invitation.txt",
    "changed": "programs/family/event_changed.txt",
    "cancelled": "programs/family/event_cancelled.txt",
}


def _subject(notice: str, title: str) -> str:
    subjects = {"invite": _("You are invited: %(title)s"), "reminder": _("Reminder: %(title)s"),
                "changed": _("New time or place: %(title)s"), "cancelled": _("Cancelled: %(title)s")}
    return subjects[notice] % {"title": title}


def _texts(event: Event, guardian: Guardian, student_ids: list[int], *, notice: str) -> list[ContentInput]:
    """The message in English and in each language the family's guardians read."""
    codes = Guardian.objects.filter(student_links__student_id__in=student_ids,
                                    student_links__is_active=True).values_list("language", flat=True)
    found = {supported_language(code, interface_languages()) for code in codes if code}
    languages = sorted({code for code in found if code} | {"en"})
    contents = []
    for language in languages:
        with translation.override(language):
            context = {"event": event, "link": link_url(event, guardian), **_when(event, language),
                       "reminder": notice == "reminder"}
            subject = _subject(notice, event.title)
            body = render_to_string(NOTICES[notice], context)
        contents.append(ContentInput(language=language, subject=subject[:200], body=body.strip()))
    return contents


def _send(event: Event, *, user: Any, student_ids: list[int], guardian: Guardian, notice: str) -> bool:
    reminder = notice == "reminder"
    try:
        message = message_create(
            user=user, category=Category.NEWS if notice == "invite" else Category.REMINDER,
            audience={"kind": AudienceKind.FAMILY, "students": student_ids},
            audience_label=(_("Event reminder: %(title)s") if reminder else _("Event: %(title)s")) % {
                "title": event.title},
            callback_name=str(event.school or ""), callback_phone="", contents=_texts(event, guardian, student_ids,
                                                                                     notice=notice))
        message_send(message=message, user=user)
    except (MessageError, AudienceError):
        return False
    return True


def event_invite(*, event: Event, user: Any, grades: list[str] | None = None) -> int:
    """Invite each family of the event's school (or the district), optionally some grades, with its own link.

    One message per family, as for surveys: messaging renders a message once per language × channel, so a
    personal link needs a message of its own. Planning applies consent, custody and quiet hours as always.
    Each family is first written to EventInvitation (unique per event), so a second run (a retried task, a
    second click) skips every family already invited. Called by `tasks.event_invite_task`, never in a request.
    """
    if event.cancelled_at:
        raise EventError(_("This event is cancelled."))
    if event.school_id:
        audience: dict[str, Any] = {"kind": AudienceKind.GRADES if grades else AudienceKind.SCHOOLS,
                                    "schools": [event.school_id], "grades": grades or []}
    else:
        audience = {"kind": AudienceKind.DISTRICT}
    try:
        students = list(audience_students(user, audience).only("pk", "household_id"))
    except AudienceError as exc:
        raise EventError(str(exc)) from exc
    families: dict[str, list[int]] = defaultdict(list)
    for student in students:
        key = f"h{student.household_id}" if student.household_id else f"s{student.pk}"
        families[key].append(student.pk)
    done = set(EventInvitation.objects.filter(event=event).values_list("family_key", flat=True))
    sent = 0
    for key, ids in families.items():
        if key in done:
            continue
        guardian = _family_guardian(ids)
        if guardian is None:
            continue
        try:
            with transaction.atomic():
                invitation = EventInvitation.objects.create(event=event, family_key=key)
        except IntegrityError:  # another run invited this family meanwhile
            continue
        if _send(event, user=user, student_ids=ids, guardian=guardian, notice="invite"):
            EventInvitation.objects.filter(pk=invitation.pk).update(sent=True)
            sent += 1
        else:  # messaging refused it (no channel, no consent): a later run may try this family again
            invitation.delete()
    Event.objects.filter(pk=event.pk).update(invited_at=timezone.now())
    return sent


def family_student_ids(guardian: Guardian, event: Event) -> list[int]:
    links = StudentGuardian.objects.filter(scoping.family_access(), guardian=guardian, student__is_active=True)
    if event.school_id:
        links = links.filter(student__school_id=event.school_id)
    return list(links.values_list("student_id", flat=True))


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind each family that answered yes, once, in the 24 hours before the event (`homeroom programs-remind`)."""
    now = now or timezone.now()
    due = Rsvp.objects.filter(cancelled_at__isnull=True, reminded_at__isnull=True, event__cancelled_at__isnull=True,
                              event__starts_at__gt=now, event__starts_at__lte=now + REMINDER_AHEAD,
                              ).select_related("event__school", "event__created_by", "guardian")
    sent = 0
    for rsvp in due:
        user = rsvp.event.created_by
        ids = family_student_ids(rsvp.guardian, rsvp.event)
        if user is None or not ids:
            continue
        if _send(rsvp.event, user=user, student_ids=ids, guardian=rsvp.guardian, notice="reminder"):
            Rsvp.objects.filter(pk=rsvp.pk).update(reminded_at=now)
            sent += 1
    return sent


# --- attendance -------------------------------------------------------------------------------------------

@transaction.atomic
def attendance_record(*, event: Event, guardian: Guardian, how: str, user: Any) -> Attendance:
    """A family member came: one Attendance, and one contact on the family's timeline (once, however often
    the name is ticked)."""
    staff = Staff.objects.get(pk=scoping.require_staff(user).staff_id or 0)
    attendance, created = Attendance.objects.get_or_create(event=event, guardian=guardian,
                                                           defaults={"how": how, "recorded_by": user})
    if not created:
        return attendance
    students = list(Student.objects.filter(pk__in=family_student_ids(guardian, event)))
    contact = contact_log_create(staff=staff, created_by=user, data=ContactInput(
        occurred_at=event.starts_at, method=Method.VIDEO if event.video_link and not event.place else
        Method.IN_PERSON, purpose=Purpose.GENERAL, students=students, guardians=[guardian],
        language=guardian.language,
        notes=_("Came to “%(title)s”") % {"title": event.title}))
    ContactLog.objects.filter(pk=contact.pk).update(source_key=f"programs-attendance-{attendance.pk}")
    attendance.contact = contact
    attendance.save(update_fields=["contact"])
    return attendance


def attendance_record_staff(*, event: Event, staff: Staff, user: Any) -> Attendance:
    attendance, _created = Attendance.objects.get_or_create(event=event, staff=staff, defaults={
        "how": AttendanceHow.TICKED, "recorded_by": user})
    return attendance


def sign_in_names(event: Event) -> list[Guardian]:
    """Who the sign-in sheet lists: the families who answered yes."""
    return list(Guardian.objects.filter(pk__in=event.rsvps.filter(cancelled_at__isnull=True).values(
        "guardian_id")).order_by("family_name", "given_name"))


# --- feedback card ----------------------------------------------------------------------------------------

FEEDBACK_INSTRUMENT = "family-partnership"


def feedback_send(*, event: Event, user: Any) -> int:
    """After the event: a short feedback card (surveys) to each family that came, through messaging.

    The card is a surveys `Survey` of the district's (else the shipped) family-partnership instrument, so its
    results, anonymity and suppression are surveys' own; the event keeps it in `feedback_survey`.
    """
    students = list(Student.objects.filter(pk__in=StudentGuardian.objects.filter(
        scoping.family_access(), guardian_id__in=event.attendances.exclude(guardian=None).values("guardian_id"),
        **({"student__school_id": event.school_id} if event.school_id else {})).values("student_id")))
    if not students:
        raise EventError(_("Record who came first."))
    survey = event.feedback_survey
    if survey is None:
        newest = Instrument.objects.filter(key=FEEDBACK_INSTRUMENT, kind=Kind.FAMILY).order_by("-version")
        instrument = newest.filter(district_id=event.district_id).first() or newest.filter(district=None).first()
        if instrument is None:
            raise EventError(_("The feedback card is missing."))
        survey = survey_create(user=user, instrument=instrument, school=event.school, anonymous=True,
                               title=_("Feedback: %(title)s") % {"title": event.title})
        Event.objects.filter(pk=event.pk).update(feedback_survey=survey)
    return survey_send_to_students(survey=survey, students=students, user=user,
                                   callback=Callback(name=str(event.school or ""), phone=""))
