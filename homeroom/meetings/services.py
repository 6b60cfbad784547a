"""Meetings writes: schedule a PPT, send its invitation, record what happens before and after, family requests."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from homeroom.contacts.checklist import checklist_complete_for_event, ppt_date_add, ppt_date_remove
from homeroom.contacts.models import CompletionEvent, ContactLog, Direction, Outcome
from homeroom.contacts.models import Purpose as ContactPurpose
from homeroom.contacts.services import ContactInput, contact_log_create
from homeroom.meetings import followup, letters, notice, selectors, texts
from homeroom.meetings.models import (
    FamilyRequest,
    Letter,
    LetterKind,
    LetterTemplate,
    MemberRole,
    Participation,
    Ppt,
    PptMember,
    PptStatus,
    PrepForm,
    ReachAttempt,
    RequestKind,
    SafeguardsMethod,
    SafeguardsNotice,
)
from homeroom.meetings.tasks import render_letter_task
from homeroom.messaging.models import AudienceKind, Category
from homeroom.messaging.services import ContentInput, MessageError, message_create, message_send
from homeroom.roster.models import District, Guardian, Staff, Student
from homeroom.schoolcalendar.days import add_school_days

IEP_SCHOOL_DAYS = 5  # the IEP reaches the family within five school days of the PPT


class MeetingError(ValueError):
    """The meeting cannot be scheduled or moved on as asked; the text tells staff what to fix."""


@dataclass(frozen=True)
class MemberInput:
    role: str
    name: str
    staff_id: int | None = None
    guardian_id: int | None = None


@dataclass(frozen=True)
class PptInput:
    purpose: str
    starts_at: dt.datetime
    members: list[MemberInput]
    place: str = ""
    video_link: str = ""
    duration_minutes: int = 60
    interpreter_needed: bool = False
    interpreter_language: str = ""
    early_notice_agreed_on: dt.date | None = None
    early_notice_note: str = ""


def _role_labels(roles: list[str]) -> str:
    return ", ".join(str(MemberRole(role).label) for role in roles)


def _check_notice(meeting: Ppt, today: dt.date) -> None:
    check = notice.notice_check(meeting, today)
    if check.allowed:
        return
    earliest = notice.earliest_meeting_day(meeting.school, today)
    raise MeetingError(
        _("An invitation sent today gives %(days)s school days' notice; the family must have at least %(rule)s. "
          "Hold the meeting on %(earliest)s or later, or record the parent's agreement to an earlier date.")
        % {"days": max(check.days, 0), "rule": notice.NOTICE_SCHOOL_DAYS,
           "earliest": date_format(earliest, "DATE_FORMAT")}
    )


@transaction.atomic
def ppt_schedule(*, student: Student, user: Any, data: PptInput, today: dt.date | None = None) -> Ppt:
    """Schedule a PPT with its members; refused without every required role or with too short a notice."""
    today = today or timezone.localdate()
    missing = notice.missing_roles({member.role for member in data.members if member.name.strip()})
    if missing:
        raise MeetingError(_("A PPT must include: %(roles)s.") % {"roles": _role_labels(missing)})
    if not data.place.strip() and not data.video_link.strip():
        raise MeetingError(_("Give a place or a video link."))
    if student.school is None:
        raise MeetingError(_("This student has no school on the roster."))
    meeting = Ppt.objects.create(
        district_id=student.district_id, school=student.school, student=student, purpose=data.purpose,
        starts_at=data.starts_at, duration_minutes=data.duration_minutes, place=data.place.strip(),
        video_link=data.video_link.strip(), interpreter_needed=data.interpreter_needed,
        interpreter_language=data.interpreter_language.strip(),
        early_notice_agreed_on=data.early_notice_agreed_on, early_notice_note=data.early_notice_note.strip(),
        created_by=user,
    )
    PptMember.objects.bulk_create([
        PptMember(meeting=meeting, role=member.role, name=member.name.strip(), staff_id=member.staff_id,
                  guardian_id=member.guardian_id)
        for member in data.members if member.name.strip()
    ])
    _check_notice(meeting, today)
    # The case manager checklist counts its PPT tasks from this date.
    ppt_date_add(student=student, meeting_date=notice.meeting_day(meeting), user=user)
    return meeting


@transaction.atomic
def ppt_early_notice_record(*, meeting: Ppt, agreed_on: dt.date, note: str) -> Ppt:
    meeting.early_notice_agreed_on, meeting.early_notice_note = agreed_on, note.strip()
    meeting.save(update_fields=["early_notice_agreed_on", "early_notice_note"])
    return meeting


def _organizer(user: Any) -> str:
    staff = Staff.objects.filter(user=user).first()
    return str(staff) if staff else ""


def _contents(meeting: Ppt, recipients: list[Guardian], organizer: str) -> list[ContentInput]:
    """The invitation message in each recipient's language that Homeroom speaks (and the district fallback)."""
    available = texts.interface_languages()
    languages = {texts.supported_language(g.language, available) for g in recipients}
    languages.add(texts.supported_language(meeting.district.fallback_language, available) or "en")
    contents = []
    for language in sorted(code for code in languages if code):
        context = texts.invitation_context(meeting, recipients, language, organizer)
        with translation.override(language):
            subject = _("Invitation to a PPT meeting for %(name)s") % {"name": context["student_name"]}
            body = render_to_string("meetings/invitation_message.txt", {"c": context}).strip()
        contents.append(ContentInput(language=language, subject=subject, body=body))
    return contents


@transaction.atomic
def ppt_invitation_send(*, meeting: Ppt, user: Any, safeguards_enclosed: bool = False,
                        today: dt.date | None = None) -> Ppt:
    """Send the invitation through the messaging engine and as a PDF letter, in each parent's language."""
    today = today or timezone.localdate()
    meeting = Ppt.objects.select_for_update().select_related("school", "student", "district").get(pk=meeting.pk)
    if meeting.invitation_sent_at is not None:
        raise MeetingError(_("The invitation has already been sent."))
    if meeting.status != PptStatus.SCHEDULED:
        raise MeetingError(_("This meeting is no longer scheduled."))
    missing = notice.missing_roles(set(meeting.members.values_list("role", flat=True)))
    if missing:
        raise MeetingError(_("A PPT must include: %(roles)s.") % {"roles": _role_labels(missing)})
    _check_notice(meeting, today)
    recipients = selectors.parents_with_rights(meeting.student)
    if not recipients:
        raise MeetingError(_("No parent with educational rights can receive information about this student."))
    organizer = _organizer(user)
    try:
        message = message_create(
            user=user, category=Category.REMINDER,
            audience={"kind": AudienceKind.FAMILY, "students": [meeting.student_id]},
            audience_label=_("PPT invitation: %(name)s") % {"name": meeting.student},
            callback_name=meeting.school.name, callback_phone=meeting.school.phone,
            contents=_contents(meeting, recipients, organizer),
        )
        message_send(message=message, user=user)
    except MessageError as exc:
        raise MeetingError(str(exc)) from exc
    meeting.invitation_sent_at, meeting.invitation_message = timezone.now(), message
    meeting.save(update_fields=["invitation_sent_at", "invitation_message"])
    if safeguards_enclosed:
        for guardian in recipients:
            safeguards_record(guardian=guardian, given_on=today, method=SafeguardsMethod.WITH_INVITATION, user=user)
    checklist_complete_for_event(student=meeting.student, meeting_date=notice.meeting_day(meeting),
                                 event=CompletionEvent.PPT_INVITATION_SENT, user=user)
    letters_request(
        kind=LetterKind.PPT_INVITATION, district=meeting.district, student=meeting.student, guardians=recipients,
        context_for=lambda group, language: texts.invitation_context(meeting, group, language, organizer),
        meeting=meeting, user=user,
    )
    return meeting


@transaction.atomic
def ppt_cancel(*, meeting: Ppt, user: Any) -> Ppt:
    """Cancel a scheduled PPT: its checklist date goes, and a family already invited is told in its language."""
    meeting = Ppt.objects.select_for_update().select_related("school", "student", "district").get(pk=meeting.pk)
    if meeting.status != PptStatus.SCHEDULED:
        raise MeetingError(_("Only a scheduled meeting can be cancelled."))
    meeting.status = PptStatus.CANCELLED
    meeting.save(update_fields=["status"])
    day = notice.meeting_day(meeting)
    others = Ppt.objects.filter(student=meeting.student, status=PptStatus.SCHEDULED).exclude(pk=meeting.pk)
    if not any(notice.meeting_day(other) == day for other in others):
        ppt_date_remove(student=meeting.student, meeting_date=day)
    if meeting.invitation_sent_at is not None:
        recipients = selectors.parents_with_rights(meeting.student)
        contents = []
        for language in sorted({code for code in (texts.supported_language(g.language, texts.interface_languages())
                                                  for g in recipients) if code} | {"en"}):
            context = texts.invitation_context(meeting, recipients, language, _organizer(user))
            with translation.override(language):
                contents.append(ContentInput(
                    language=language,
                    subject=_("The PPT meeting for %(name)s is cancelled") % {"name": context["student_name"]},
                    body=_("The PPT meeting about %(name)s on %(date)s at %(time)s will not take place. The school "
                           "will contact you about a new date.") % {
                        "name": context["student_name"], "date": context["meeting_date"],
                        "time": context["meeting_time"]},
                ))
        try:
            message = message_create(
                user=user, category=Category.REMINDER,
                audience={"kind": AudienceKind.FAMILY, "students": [meeting.student_id]},
                audience_label=_("PPT cancelled: %(name)s") % {"name": meeting.student},
                callback_name=meeting.school.name, callback_phone=meeting.school.phone, contents=contents,
            )
            message_send(message=message, user=user)
        except MessageError as exc:
            raise MeetingError(str(exc)) from exc
    return meeting


def letter_language(district: District, kind: str, guardian_language: str) -> str:
    """The guardian's language when the district has this letter in it, else the district's fallback."""
    available = letters.letter_languages(district.pk, kind)
    return (texts.supported_language(guardian_language, available)
            or texts.supported_language(district.fallback_language, available) or "en")


def letters_request(*, kind: str, district: District, student: Student | None, guardians: list[Guardian],
                    context_for: Callable[[list[Guardian], str], dict[str, str]], user: Any,
                    meeting: Ppt | None = None, request: FamilyRequest | None = None,
                    extra_languages: tuple[str, ...] = ()) -> list[Letter]:
    """One Letter per language among the guardians, each made as a PDF in the background after commit."""
    groups: dict[str, list[Guardian]] = defaultdict(list)
    for guardian in guardians:
        groups[letter_language(district, kind, guardian.language)].append(guardian)
    for language in extra_languages:
        groups.setdefault(letter_language(district, kind, language), [])
    made = []
    for language, group in sorted(groups.items()):
        letter = Letter.objects.create(
            district=district, kind=kind, language=language, student=student, meeting=meeting, request=request,
            context=context_for(group or guardians, language), created_by=user,
        )
        letter.guardians.set(group)
        made.append(letter)
    ids = [letter.pk for letter in made]
    transaction.on_commit(lambda: [render_letter_task.enqueue(letter_id) for letter_id in ids])
    return made


def safeguards_record(*, guardian: Guardian, given_on: dt.date, method: str, user: Any) -> SafeguardsNotice:
    return SafeguardsNotice.objects.create(district_id=guardian.district_id, guardian=guardian, given_on=given_on,
                                           method=method, recorded_by=user)


def reach_attempt_add(*, meeting: Ppt, contact: ContactLog, user: Any) -> ReachAttempt:
    """Count a logged contact about this student as an attempt to reach the parent for this PPT."""
    if not contact.students.filter(pk=meeting.student_id).exists():
        raise MeetingError(_("That contact is not about this student."))
    attempt, _created = ReachAttempt.objects.get_or_create(meeting=meeting, contact=contact,
                                                           defaults={"added_by": user})
    return attempt


@dataclass(frozen=True)
class PrepAnswers:
    strengths: str = ""
    concerns: str = ""
    questions: str = ""
    team_should_know: str = ""
    participation: str = ""
    bringing: str = ""


def prep_form_save(*, meeting: Ppt, guardian: Guardian, answers: PrepAnswers, language: str) -> PrepForm:
    if answers.participation and answers.participation not in Participation.values:
        raise MeetingError(_("Choose how you will take part."))
    form, _created = PrepForm.objects.update_or_create(
        meeting=meeting, guardian=guardian,
        defaults={**{name: getattr(answers, name).strip() for name in PrepAnswers.__dataclass_fields__},
                  "language": language, "from_paper": False, "entered_by": None},
    )
    return form


def prep_form_enter_from_paper(*, meeting: Ppt, guardian: Guardian, answers: PrepAnswers, user: Any) -> PrepForm:
    """Staff type in the parent's paper form: the same answers as the portal's, marked as entered by `user`."""
    if meeting.status == PptStatus.CANCELLED:
        raise MeetingError(_("This meeting was cancelled."))
    if guardian.pk not in {parent.pk for parent in selectors.parents_with_rights(meeting.student)}:
        raise MeetingError(_("Choose a parent with educational rights."))
    form = prep_form_save(meeting=meeting, guardian=guardian, answers=answers, language=guardian.language)
    form.from_paper, form.entered_by = True, user
    form.save(update_fields=["from_paper", "entered_by"])
    return form


@transaction.atomic
def ppt_mark_held(*, meeting: Ppt, held_on: dt.date, user: Any) -> Ppt:
    """The meeting took place: the IEP is due in five school days, and the family survey is asked for."""
    meeting = Ppt.objects.select_for_update().select_related("school").get(pk=meeting.pk)
    if meeting.status == PptStatus.CANCELLED:
        raise MeetingError(_("This meeting was cancelled."))
    meeting.status, meeting.held_on = PptStatus.HELD, held_on
    meeting.iep_due_on = add_school_days(meeting.school, held_on, IEP_SCHOOL_DAYS)
    meeting.save(update_fields=["status", "held_on", "iep_due_on"])
    transaction.on_commit(lambda: followup.post_ppt_survey_request(meeting_id=meeting.pk))
    return meeting


def ppt_iep_sent(*, meeting: Ppt, sent_on: dt.date) -> Ppt:
    meeting.refresh_from_db()
    if meeting.status != PptStatus.HELD:
        raise MeetingError(_("Record that the meeting was held first."))
    meeting.iep_sent_on = sent_on
    meeting.save(update_fields=["iep_sent_on"])
    return meeting


@transaction.atomic
def ppt_follow_up_record(*, meeting: Ppt, staff: Staff, user: Any, occurred_at: dt.datetime, method: str,
                         notes: str) -> ContactLog:
    """Log the follow-up with the family after the PPT as a contact; it completes the checklist's follow-up task."""
    meeting.refresh_from_db()
    if meeting.status != PptStatus.HELD:
        raise MeetingError(_("Record that the meeting was held first."))
    contact = contact_log_create(staff=staff, created_by=user, data=ContactInput(
        occurred_at=occurred_at, method=method, purpose=ContactPurpose.SPECIAL_EDUCATION,
        students=[meeting.student], guardians=selectors.parents_with_rights(meeting.student),
        direction=Direction.SCHOOL, outcome=Outcome.REACHED, notes=notes,
    ))
    meeting.follow_up_contact = contact
    meeting.save(update_fields=["follow_up_contact"])
    checklist_complete_for_event(student=meeting.student, meeting_date=notice.meeting_day(meeting),
                                 event=CompletionEvent.PPT_FOLLOW_UP, user=user)
    return contact


REQUEST_LETTER = {RequestKind.REFERRAL: LetterKind.REFERRAL, RequestKind.INTERIM: LetterKind.INTERIM_REQUEST}


@transaction.atomic
def family_request_submit(*, guardian: Guardian, student: Student, kind: str, reason: str, language: str,
                          user: Any) -> FamilyRequest:
    """The family's request reaches the school now (its date of receipt) with a letter for both sides."""
    if not reason.strip():
        raise MeetingError(_("Tell the school what you are asking for."))
    if student.school is None:
        raise MeetingError(_("This student has no school on the roster."))
    request = FamilyRequest.objects.create(kind=kind, district_id=student.district_id, school=student.school,
                                           student=student, guardian=guardian, reason=reason.strip(),
                                           language=language)
    district = District.objects.get(pk=student.district_id)
    # The family's copy in their language; the school's copy in the district's language when that differs.
    letters_request(
        kind=REQUEST_LETTER[RequestKind(kind)], district=district, student=student, guardians=[guardian],
        context_for=lambda group, code: texts.request_context(request, code), request=request, user=user,
        extra_languages=(district.fallback_language,),
    )
    return request


def family_request_acknowledge(*, request: FamilyRequest, user: Any) -> FamilyRequest:
    if request.acknowledged_at is None:
        request.acknowledged_at, request.acknowledged_by = timezone.now(), user
        request.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return request


@transaction.atomic
def parent_packet_send(*, student: Student, user: Any) -> list[Letter]:
    recipients = selectors.parents_with_rights(student)
    if not recipients:
        raise MeetingError(_("No parent with educational rights can receive information about this student."))
    district = District.objects.get(pk=student.district_id)
    return letters_request(
        kind=LetterKind.PARENT_PACKET, district=district, student=student, guardians=recipients,
        context_for=lambda group, language: texts.common_context(student, group, language), user=user,
    )


def letter_template_save(*, district: District, kind: str, language: str, title: str, body: str,
                         user: Any) -> LetterTemplate:
    """Save the district's own wording of a letter (its copy; the shipped text stays as the default)."""
    problems = letters.template_problems(kind, title, body)
    if problems:
        raise MeetingError(" ".join(problems))
    template, _created = LetterTemplate.objects.update_or_create(
        district=district, kind=kind, language=language,
        defaults={"title": title.strip(), "body": body.strip(), "updated_by": user},
    )
    return template
