"""Survey writes: instruments, surveys, invitations sent through messaging, responses, post-meeting surveys.

Distribution goes through `messaging` like every outbound word: one message per family (the students of one
household, or one student without a household), so each family's message carries its own signed link, in each
language the instrument has; messaging's planning picks each guardian's language and applies consent, custody
and quiet hours. Reminders go only to invitations not yet marked `responded`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from homeroom.access import scoping
from homeroom.messaging.compose.audiences import AudienceError, audience_students
from homeroom.messaging.models import AudienceKind, Category
from homeroom.messaging.services import ContentInput, MessageError, message_create, message_send
from homeroom.roster.models import District, School, Staff, Student, StudentGuardian
from homeroom.surveys import links, schema
from homeroom.surveys.answers import check
from homeroom.surveys.definition import pick
from homeroom.surveys.models import Instrument, Invitation, Kind, Response, StaffAnswered, Survey

SUBGROUP_FIELDS = {"english_learner": "english_learner", "iep": "has_iep", "plan_504": "has_504"}
POST_MEETING_INSTRUMENT = "post-ppt-feedback"


class SurveyError(ValueError):
    """The survey cannot do this as asked; the text is for the person who asked."""


class AlreadyAnswered(SurveyError):
    """This family's link has been used."""


@dataclass(frozen=True)
class Callback:
    name: str
    phone: str


# --- instruments -------------------------------------------------------------------------------------------

@transaction.atomic
def instrument_save(*, district: District, source: str, user: Any, copied_from: Instrument | None = None
                    ) -> Instrument:
    """Validate an instrument file and keep it as the district's; raises schema.InstrumentInvalid."""
    data = schema.parse(source)
    if Instrument.objects.filter(district=district, key=data["key"], version=data["version"]).exists():
        raise schema.InstrumentInvalid([schema.Problem(
            "version", _("version %(version)d of “%(key)s” already exists; raise the version to save a new one")
            % {"version": data["version"], "key": data["key"]})])
    title = data["title"].get("en") or next(iter(data["title"].values()))
    return Instrument.objects.create(district=district, key=data["key"], version=data["version"],
                                     kind=data["kind"], title=title[:255], data=data, source=source,
                                     copied_from=copied_from, created_by=user)


# --- surveys and distribution ------------------------------------------------------------------------------

def survey_create(*, user: Any, instrument: Instrument, school: School | None, title: str, anonymous: bool,
                  public_link: bool = False, in_portal: bool = False, purpose: str = Survey.Purpose.GENERAL
                  ) -> Survey:
    scope = scoping.require_staff(user)
    if instrument.kind == Kind.SELF_ASSESSMENT:
        raise SurveyError(_("A self-assessment is done by a school team, not sent as a survey."))
    if instrument.kind == Kind.STAFF:
        public_link, in_portal = True, False  # a staff card is answered by its link after the discussion
    if school is None and not scope.district_ids:
        raise SurveyError(_("Choose a school."))
    district_id = school.district_id if school else scoping.administered_district(user).pk
    return Survey.objects.create(district_id=district_id, school=school, instrument=instrument,
                                 title=title.strip() or instrument.title, anonymous=anonymous,
                                 public_link=public_link, in_portal=in_portal, purpose=purpose, created_by=user)


def _families(students: list[Student]) -> list[list[Student]]:
    """Students grouped by household; a student without one is a family alone."""
    groups: dict[tuple[str, int], list[Student]] = defaultdict(list)
    for student in students:
        key = ("h", student.household_id) if student.household_id else ("s", student.pk)
        groups[key].append(student)
    return [sorted(group, key=lambda s: s.pk) for _key, group in sorted(groups.items())]


def _family_language(student_ids: list[int], fallback: str) -> str:
    link = (StudentGuardian.objects.filter(student_id__in=student_ids, is_active=True, has_educational_rights=True,
                                           may_receive_information=True, guardian__is_active=True)
            .order_by("-is_primary", "guardian_id").values_list("guardian__language", flat=True).first())
    return link or fallback


@transaction.atomic
def survey_invite(*, survey: Survey, students: list[Student]) -> list[Invitation]:
    """One invitation per family not yet invited; returns the new ones."""
    invited = set(Student.objects.filter(pk__in=[s.pk for s in students]).filter(
        pk__in=Invitation.students.through.objects.filter(invitation__survey=survey).values("student_id")
    ).values_list("pk", flat=True))
    fallback = survey.district.fallback_language
    created = []
    for family in _families([s for s in students if s.pk not in invited]):
        ids = [s.pk for s in family]
        subgroups = sorted({name for name, column in SUBGROUP_FIELDS.items()
                            if any(getattr(s, column) for s in family)})
        invitation = Invitation.objects.create(
            survey=survey, household_id=family[0].household_id, school_id=survey.school_id or family[0].school_id,
            language=_family_language(ids, fallback), grades=sorted({s.grade for s in family if s.grade}),
            subgroups=subgroups)
        invitation.students.set(ids)
        created.append(invitation)
    return created


def _contents(survey: Survey, invitation: Invitation, *, reminder: bool) -> list[ContentInput]:
    definition = survey.instrument.definition
    url = links.invitation_url(invitation.pk)
    contents = []
    for language in definition.languages:
        with translation.override(language):
            title = pick(definition.title, language)
            if reminder:
                subject = _("Reminder: %(title)s") % {"title": title}
                lead = _("We have not heard from your family yet, and your view matters to us.")
            else:
                subject = title
                lead = _("Please tell us what you think. Your answers help the school work better with families.")
            privacy = (_("Your answers are anonymous: the school cannot see who gave them.") if survey.anonymous
                       else _("The school will see that these answers come from your family."))
            body = "\n\n".join([lead, privacy, _("Answer here (no password needed): %(url)s") % {"url": url}])
        contents.append(ContentInput(language=language, subject=subject[:200], body=body))
    return contents


def _send_to(invitation: Invitation, *, survey: Survey, user: Any, callback: Callback, reminder: bool) -> bool:
    student_ids = list(invitation.students.values_list("pk", flat=True))
    try:
        message = message_create(
            user=user, category=Category.REMINDER if reminder else Category.NEWS,
            audience={"kind": AudienceKind.FAMILY, "students": student_ids},
            audience_label=_("Survey: %(title)s") % {"title": survey.title},
            callback_name=callback.name, callback_phone=callback.phone,
            contents=_contents(survey, invitation, reminder=reminder))
        message_send(message=message, user=user)
    except (MessageError, AudienceError):
        return False
    Invitation.objects.filter(pk=invitation.pk).update(times_sent=invitation.times_sent + 1)
    return True


def survey_send(*, survey: Survey, user: Any, callback: Callback, grades: list[str] | None = None) -> int:
    """Invite every family of the survey's school (optionally some grades) and send each its link.

    Returns how many families were sent a message. Families invited before are not sent again (use reminders).
    """
    if not survey.is_open:
        raise SurveyError(_("This survey is closed."))
    if survey.instrument.kind != Kind.FAMILY:
        raise SurveyError(_("Only family instruments can be sent to families."))
    if survey.school_id:
        audience: dict[str, Any] = {"kind": AudienceKind.GRADES if grades else AudienceKind.SCHOOLS,
                                    "schools": [survey.school_id], "grades": grades or []}
    else:
        audience = {"kind": AudienceKind.DISTRICT}
    try:
        students = list(audience_students(user, audience).select_related("household"))
    except AudienceError as exc:
        raise SurveyError(str(exc)) from exc
    sent = 0
    for invitation in survey_invite(survey=survey, students=students):
        sent += _send_to(invitation, survey=survey, user=user, callback=callback, reminder=False)
    return sent


def survey_send_to_students(*, survey: Survey, students: list[Student], user: Any, callback: Callback) -> int:
    """Invite the families of these students only (e.g. those who came to an event) and send each its link."""
    if not survey.is_open:
        raise SurveyError(_("This survey is closed."))
    sent = 0
    for invitation in survey_invite(survey=survey, students=students):
        sent += _send_to(invitation, survey=survey, user=user, callback=callback, reminder=False)
    return sent


def survey_remind(*, survey: Survey, user: Any, callback: Callback) -> int:
    """Send the link again, only to families who were sent it and have not answered."""
    if not survey.is_open:
        raise SurveyError(_("This survey is closed."))
    scoping.require_staff(user)
    sent = 0
    for invitation in survey.invitations.filter(responded=False, times_sent__gt=0).order_by("pk"):
        sent += _send_to(invitation, survey=survey, user=user, callback=callback, reminder=True)
    return sent


def portal_invitation(*, survey: Survey, children: list[Student]) -> Invitation | None:
    """The invitation a signed-in family answers through: the one it was sent, else a new one for its children.

    Answers from the portal then count once per family exactly like answers by link (same `responded` mark).
    """
    ids = [child.pk for child in children]
    existing = survey.invitations.filter(students__in=ids).order_by("pk").first()
    if existing is not None:
        return existing
    at_school = [c for c in children if survey.school_id is None or c.school_id == survey.school_id]
    created = survey_invite(survey=survey, students=at_school)
    return created[0] if created else None


def survey_close(*, survey: Survey) -> None:
    Survey.objects.filter(pk=survey.pk).update(is_open=False)


def send_post_meeting_survey(*, user: Any, students: list[Student], callback: Callback, anonymous: bool = False
                             ) -> Survey:
    """For the meetings app: ask the family of `students` about a meeting (PPT) they just had.

    Creates an identified (default) or anonymous post-meeting survey from the newest shipped or district
    "post-ppt-feedback" instrument, invites that one family and sends them their link. Raises SurveyError.
    """
    if not students:
        raise SurveyError(_("Choose the student the meeting was about."))
    school = students[0].school
    newest = Instrument.objects.filter(key=POST_MEETING_INSTRUMENT, kind=Kind.FAMILY).order_by("-version")
    instrument = newest.filter(district_id=students[0].district_id).first() or newest.filter(district=None).first()
    if instrument is None:
        raise SurveyError(_("The post-meeting instrument is missing."))
    with transaction.atomic():
        survey = survey_create(user=user, instrument=instrument, school=school,
                               title=pick(instrument.definition.title, "en"), anonymous=anonymous,
                               purpose=Survey.Purpose.POST_MEETING)
        invitations = survey_invite(survey=survey, students=students)
    for invitation in invitations:
        _send_to(invitation, survey=survey, user=user, callback=callback, reminder=False)
    return survey


# --- answers -----------------------------------------------------------------------------------------------

def response_submit(*, survey: Survey, data: Any, language: str, source: str, invitation: Invitation | None = None,
                    guardian: Any = None, staff: Staff | None = None, today: dt.date | None = None
                    ) -> Response | dict[str, str]:
    """Save one family's (or one signed-in staff member's) answers; returns the response, or the problems per item.

    For an invitation link the `responded` mark and the response are written in one transaction with the
    invitation row locked, so a link answers once even when submitted twice at the same moment; a staff member's
    `StaffAnswered` mark works the same way. An anonymous response stores none of the invitation or staff member:
    only the school, grades, subgroups, answering language and the family's home language it summarises.
    """
    checked = check(survey.instrument.definition, data)
    if checked.errors:
        return checked.errors
    if not survey.is_open:
        raise SurveyError(_("This survey is closed."))
    today = today or timezone.localdate()
    with transaction.atomic():
        school_id, grades, subgroups, home_language = survey.school_id, [], [], ""
        if invitation is not None:
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.responded or locked.survey_id != survey.pk:
                raise AlreadyAnswered(_("Your family has already answered this survey. Thank you!"))
            Invitation.objects.filter(pk=locked.pk).update(responded=True)
            school_id, grades, subgroups = locked.school_id, locked.grades, locked.subgroups
            home_language = locked.language  # the roster's language for this family, set when it was invited
        if staff is not None:
            try:
                with transaction.atomic():
                    StaffAnswered.objects.create(survey=survey, staff=staff)
            except IntegrityError as exc:
                raise AlreadyAnswered(_("You have already answered this card. Thank you!")) from exc
        identified = not survey.anonymous
        try:
            return Response.objects.create(
                survey=survey, anonymous=survey.anonymous,
                invitation=invitation if identified else None, guardian=guardian if identified else None,
                staff=staff if identified else None, source=source, language=language,
                home_language=home_language, school_id=school_id, grades=grades, subgroups=subgroups,
                answers=checked.answers, submitted_on=today)
        except IntegrityError as exc:  # the identified invitation already holds a response
            raise AlreadyAnswered(_("Your family has already answered this survey. Thank you!")) from exc
