"""PPT meetings (members, notice, preparation forms, reach attempts, follow-through), family requests and letters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Purpose(models.TextChoices):
    INITIAL_REFERRAL = "initial_referral", _("Initial referral")
    EVALUATION_PLANNING = "evaluation_planning", _("Planning an evaluation")
    ELIGIBILITY = "eligibility", _("Eligibility")
    ANNUAL_REVIEW = "annual_review", _("Annual review")
    REEVALUATION = "reevaluation", _("Three-year reevaluation")
    INTERIM_PARENT = "interim_parent", _("Interim meeting at the parent's request")
    INTERIM_SCHOOL = "interim_school", _("Interim meeting at the school's request")
    TRANSITION = "transition", _("Transition planning")


class MemberRole(models.TextChoices):
    PARENT = "parent", _("Parent or guardian")
    GENERAL_EDUCATION = "general_education", _("General education teacher")
    SPECIAL_EDUCATION = "special_education", _("Special education teacher or provider")
    DISTRICT_REPRESENTATIVE = "district_representative", _("District representative")
    EVALUATION_INTERPRETER = "evaluation_interpreter", _("Someone who can interpret evaluation results")
    STUDENT = "student", _("The student")
    OTHER = "other", _("Other")


# The titles of the members who are staff agree with the person where the roster knows their sex (core.words:
# "maestra de educación general"); the other roles read the same for everyone.
MEMBER_TITLES = {
    MemberRole.GENERAL_EDUCATION.value: (
        pgettext_lazy("job title, gender not known", "General education teacher"),
        pgettext_lazy("job title of a woman", "General education teacher"),
        pgettext_lazy("job title of a man", "General education teacher"),
    ),
    MemberRole.SPECIAL_EDUCATION.value: (
        pgettext_lazy("job title, gender not known", "Special education teacher or provider"),
        pgettext_lazy("job title of a woman", "Special education teacher or provider"),
        pgettext_lazy("job title of a man", "Special education teacher or provider"),
    ),
}

# Connecticut (and IDEA, 34 CFR 300.321): a PPT is not properly constituted without each of these.
REQUIRED_ROLES = (
    MemberRole.PARENT,
    MemberRole.GENERAL_EDUCATION,
    MemberRole.SPECIAL_EDUCATION,
    MemberRole.DISTRICT_REPRESENTATIVE,
    MemberRole.EVALUATION_INTERPRETER,
)


class PptStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Ppt(models.Model):
    """One Planning and Placement Team meeting for one student."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="ppts")
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    starts_at = models.DateTimeField(_("date and time"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=60)
    place = models.CharField(_("place"), max_length=255, blank=True, default="")
    video_link = models.URLField(_("video link"), blank=True, default="")
    interpreter_needed = models.BooleanField(_("an interpreter is needed"), default=False)
    interpreter_language = models.CharField(_("interpreter language"), max_length=35, blank=True, default="")
    status = models.CharField(max_length=16, choices=PptStatus.choices, default=PptStatus.SCHEDULED)
    # The parent's agreement to a notice shorter than five school days (the notice rule's only exception).
    early_notice_agreed_on = models.DateField(_("parent agreed to an earlier date on"), null=True, blank=True)
    early_notice_note = models.CharField(_("how the parent agreed"), max_length=255, blank=True, default="")
    invitation_sent_at = models.DateTimeField(null=True, blank=True)
    invitation_message = models.ForeignKey("messaging.Message", on_delete=models.SET_NULL, null=True, blank=True,
                                           related_name="+")
    held_on = models.DateField(_("held on"), null=True, blank=True)
    iep_due_on = models.DateField(_("IEP due to the family by"), null=True, blank=True)
    iep_sent_on = models.DateField(_("IEP sent on"), null=True, blank=True)
    follow_up_contact = models.ForeignKey("contacts.ContactLog", on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+")
    # When the post-PPT family survey was asked for (see meetings.followup.SURVEY_HOOKS).
    survey_requested_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(place="") | ~Q(video_link=""), name="ppt_has_place_or_link"),
        ]

    def __str__(self) -> str:
        return f"PPT {self.student_id} {self.starts_at:%Y-%m-%d}"


class PptMember(models.Model):
    """One person invited to a PPT, in one role (a person holding two roles is listed twice)."""

    meeting = models.ForeignKey(Ppt, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(_("role"), max_length=32, choices=MemberRole.choices)
    name = models.CharField(_("name"), max_length=200)
    staff = models.ForeignKey("roster.Staff", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    guardian = models.ForeignKey("roster.Guardian", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class Participation(models.TextChoices):
    IN_PERSON = "in_person", _("I will come in person")
    VIDEO = "video", _("I will join by video")
    PHONE = "phone", _("I will join by phone")
    ANOTHER_TIME = "another_time", _("I cannot come at this time: please offer another")


class PrepForm(models.Model):
    """'Preparing for the PPT': what one parent wants the team to know, written before the meeting."""

    meeting = models.ForeignKey(Ppt, on_delete=models.CASCADE, related_name="prep_forms")
    guardian = models.ForeignKey("roster.Guardian", on_delete=models.CASCADE, related_name="+")
    strengths = models.TextField(_("my child's strengths"), blank=True, default="")
    concerns = models.TextField(_("my concerns"), blank=True, default="")
    questions = models.TextField(_("my questions for the team"), blank=True, default="")
    team_should_know = models.TextField(_("what I want the team to know"), blank=True, default="")
    participation = models.CharField(_("how I will take part"), max_length=16, choices=Participation.choices,
                                     blank=True, default="")
    bringing = models.CharField(_("who I will bring (optional)"), max_length=255, blank=True, default="")
    language = models.CharField(max_length=35, default="en")
    submitted_at = models.DateTimeField(auto_now=True)
    # Set when staff typed in the parent's paper form (who, and `submitted_at` says when); empty from the portal.
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    from_paper = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "guardian"], name="prepform_one_per_parent")]

    def __str__(self) -> str:
        return f"Prep form {self.meeting_id} {self.guardian_id}"


class ReachAttempt(models.Model):
    """A logged contact counted as an attempt to reach a parent for this PPT (CT's record before meeting without)."""

    meeting = models.ForeignKey(Ppt, on_delete=models.CASCADE, related_name="reach_attempts")
    contact = models.ForeignKey("contacts.ContactLog", on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "contact"], name="reachattempt_unique")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: contact {self.contact_id}"


class SafeguardsMethod(models.TextChoices):
    WITH_INVITATION = "with_invitation", _("Enclosed with a PPT invitation")
    IN_PERSON = "in_person", _("Handed over in person")
    MAIL = "mail", _("Mailed")
    EMAIL = "email", _("Emailed")


class SafeguardsNotice(models.Model):
    """The annual notice of procedural safeguards, given to one parent on one day."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey("roster.Guardian", on_delete=models.CASCADE, related_name="safeguards_notices")
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("how"), max_length=16, choices=SafeguardsMethod.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.guardian_id} {self.given_on}"


class RequestKind(models.TextChoices):
    REFERRAL = "referral", _("Referral for a special education evaluation")
    INTERIM = "interim", _("Request for an interim PPT")


class FamilyRequest(models.Model):
    """A parent's written request to the school, received the moment the family sends it from the portal."""

    kind = models.CharField(_("request"), max_length=16, choices=RequestKind.choices)
    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="family_requests")
    guardian = models.ForeignKey("roster.Guardian", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("what you are asking for, and why"))
    language = models.CharField(max_length=35, default="en")
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                        blank=True, related_name="+")

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.student_id} {self.received_at:%Y-%m-%d}"


class LetterKind(models.TextChoices):
    PPT_INVITATION = "ppt_invitation", _("PPT invitation")
    REFERRAL = "referral", _("Referral for evaluation")
    INTERIM_REQUEST = "interim_request", _("Request for an interim PPT")
    PARENT_PACKET = "parent_packet", _("Welcome Parent Packet")


class LetterTemplate(models.Model):
    """The words of one letter in one language; shipped rows have no district, a district edits its own copy.

    `body` is text with {{ placeholders }} (listed per kind in meetings.letters.PLACEHOLDERS); blank lines
    separate paragraphs.
    """

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    kind = models.CharField(_("letter"), max_length=24, choices=LetterKind.choices)
    language = models.CharField(_("language"), max_length=35)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["district", "kind", "language"], name="lettertemplate_unique"),
            models.UniqueConstraint(fields=["kind", "language"], condition=Q(district__isnull=True),
                                    name="lettertemplate_shipped_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.language})"


class LetterStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be made")


class Letter(models.Model):
    """One PDF letter in one language, made in the background and stored as the family's document."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=LetterKind.choices)
    language = models.CharField(max_length=35)
    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    guardians = models.ManyToManyField("roster.Guardian", related_name="+")
    meeting = models.ForeignKey(Ppt, on_delete=models.CASCADE, null=True, blank=True, related_name="letters")
    request = models.ForeignKey(FamilyRequest, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="letters")
    # The strings the letter is filled with, frozen when it was asked for.
    context = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=LetterStatus.choices, default=LetterStatus.PENDING)
    error = models.CharField(max_length=255, blank=True, default="")
    document = models.ForeignKey("portal.FamilyDocument", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.language} ({self.status})"


class ConferenceFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")


class ConferenceSlot(models.Model):
    """A time a teacher offers for a parent-teacher conference."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey("roster.Staff", on_delete=models.CASCADE, related_name="conference_slots")
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=15)
    format = models.CharField(_("how"), max_length=16, choices=ConferenceFormat.choices)
    where = models.CharField(_("room, phone number or video link"), max_length=255, blank=True, default="")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["teacher", "starts_at"], condition=Q(is_active=True),
                                    name="conferenceslot_one_per_teacher_time"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher_id} {self.starts_at:%Y-%m-%d %H:%M}"


class ConferenceBooking(models.Model):
    """A family's booking of one slot; the database keeps one active booking per slot."""

    slot = models.ForeignKey(ConferenceSlot, on_delete=models.CASCADE, related_name="bookings")
    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="+")
    # Empty when the family booked through the signed link in a message, without signing in.
    guardian = models.ForeignKey("roster.Guardian", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    interpreter_language = models.CharField(_("interpreter needed for"), max_length=35, blank=True, default="")
    booked_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)
    contact = models.ForeignKey("contacts.ContactLog", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")

    class Meta:
        ordering = ["slot__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["slot"], condition=Q(cancelled_at__isnull=True),
                                    name="conferencebooking_one_active_per_slot"),
        ]

    def __str__(self) -> str:
        return f"slot {self.slot_id}: student {self.student_id}"
