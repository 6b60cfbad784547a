"""Partnership programs: teams and their meetings, events and RSVPs, home visits, staff learning, practices.

The team's one-year action plan is surveys' `ActionPlan` (one per school and year) and its activities are
surveys' `ActionItem` rows, so a self-assessment's low items and the activities a team adds directly are one
list; `ActivityDetail` adds what a partnership plan needs beside them (the families meant to be reached).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TeamKind(models.TextChoices):
    SCHOOL = "school", _("School partnership team")
    FAST = "fast", _("FAST team (Families and Schools Together)")
    LEADERSHIP = "leadership", _("Parent Leadership Committee")


class TeamRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    SECRETARY = "secretary", _("Secretary")
    GRADE_REP = "grade_rep", _("Grade representative")
    MEMBER = "member", _("Member")


# A staff member's team title agrees with them where the roster knows their sex (core.words): "presidenta",
# "secretario"; a family member's, and anyone's the roster does not say, is the office ("presidencia").
TEAM_TITLES = {
    TeamRole.CHAIR.value: (
        pgettext_lazy("job title, gender not known", "Chair"),
        pgettext_lazy("job title of a woman", "Chair"),
        pgettext_lazy("job title of a man", "Chair"),
    ),
    TeamRole.CO_CHAIR.value: (
        pgettext_lazy("job title, gender not known", "Co-chair"),
        pgettext_lazy("job title of a woman", "Co-chair"),
        pgettext_lazy("job title of a man", "Co-chair"),
    ),
    TeamRole.SECRETARY.value: (
        pgettext_lazy("job title, gender not known", "Secretary"),
        pgettext_lazy("job title of a woman", "Secretary"),
        pgettext_lazy("job title of a man", "Secretary"),
    ),
}


class PartnershipTeam(models.Model):
    """A school's partnership team (staff and family members), or a district team (FAST, leadership committee)."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=TeamKind.choices, default=TeamKind.SCHOOL)
    name = models.CharField(_("team name"), max_length=120)
    # The same people rate the school's self-assessments: surveys' Team is kept in step with the members.
    assessment_team = models.OneToOneField("surveys.Team", on_delete=models.SET_NULL, null=True, blank=True,
                                           related_name="partnership_team")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(kind="school", school__isnull=False) | ~Q(kind="school"),
                                              name="programs_school_team_has_school")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """One person on a team: a staff member or a family member, with a role and a term."""

    team = models.ForeignKey(PartnershipTeam, on_delete=models.CASCADE, related_name="memberships")
    staff = models.ForeignKey("roster.Staff", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    guardian = models.ForeignKey("roster.Guardian", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=TeamRole.choices, default=TeamRole.MEMBER)
    grade = models.CharField(_("grade represented"), max_length=8, blank=True, default="")
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    class Meta:
        ordering = ["role", "id"]
        constraints = [models.CheckConstraint(
            condition=Q(staff__isnull=False, guardian__isnull=True) | Q(staff__isnull=True, guardian__isnull=False),
            name="programs_member_is_staff_or_family")]

    def __str__(self) -> str:
        return str(self.staff or self.guardian)

    @property
    def person(self) -> object:
        return self.staff or self.guardian


class TeamMeeting(models.Model):
    team = models.ForeignKey(PartnershipTeam, on_delete=models.CASCADE, related_name="meetings")
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place or video link"), max_length=255, blank=True, default="")
    agenda = models.TextField(_("agenda"), blank=True, default="")
    minutes = models.TextField(_("minutes"), blank=True, default="")
    decisions = models.TextField(_("decisions"), blank=True, default="")
    attendees = models.ManyToManyField(Membership, blank=True, related_name="+", verbose_name=_("attendance"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-held_at"]

    def __str__(self) -> str:
        return f"{self.team} {self.held_at:%Y-%m-%d}"


class ActivityDetail(models.Model):
    """What a partnership plan adds to one of the plan's activities (surveys.ActionItem)."""

    item = models.OneToOneField("surveys.ActionItem", on_delete=models.CASCADE, related_name="programs_detail")
    team = models.ForeignKey(PartnershipTeam, on_delete=models.CASCADE, related_name="activities")
    target_families = models.CharField(_("families this activity is meant to reach"), max_length=255)
    done_at = models.DateField(_("done on"), null=True, blank=True)

    def __str__(self) -> str:
        return f"activity {self.item_id}"


# --- events -----------------------------------------------------------------------------------------------

class EventKind(models.TextChoices):
    FAMILY = "family", _("Family event")
    FAMILIES_AS_PARTNERS = "fap", _("Families as Partners training")
    POSITIVE_RELATIONSHIPS = "positive", _("Positive-relationships workshop")
    CONFLICT_TO_COLLABORATION = "conflict", _("From conflict to collaboration (administrators)")
    TRANSITION = "transition", _("Transition orientation")
    CAFE = "cafe", _("CAFÉ networking meeting")


TRAINING_KINDS = (EventKind.FAMILIES_AS_PARTNERS, EventKind.POSITIVE_RELATIONSHIPS,
                  EventKind.CONFLICT_TO_COLLABORATION)


class FapModule(models.TextChoices):
    PREPARING = "ppt", _("Module 1: Preparing for the PPT")
    IEP = "iep", _("Module 2: Developing the IEP")
    DISAGREE = "disagree", _("Module 3: What to do when you disagree")


class Event(models.Model):
    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    team = models.ForeignKey(PartnershipTeam, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices, default=EventKind.FAMILY)
    module = models.CharField(_("module"), max_length=16, choices=FapModule.choices, blank=True, default="")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=255, blank=True, default="")
    video_link = models.URLField(_("video link"), blank=True, default="")
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interpreters = models.BooleanField(_("interpreters available on request"), default=True)
    childcare = models.BooleanField(_("childcare available on request"), default=False)
    capacity = models.PositiveIntegerField(_("seats (empty: no limit)"), null=True, blank=True)
    seats_taken = models.PositiveIntegerField(default=0)
    is_public = models.BooleanField(_("show on the school's public page"), default=True)
    feedback_survey = models.ForeignKey("surveys.Survey", on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+")
    invited_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=500, blank=True, default="")
    sequence = models.PositiveIntegerField(default=0)  # the .ics SEQUENCE: raised when the time or place changes
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(seats_taken__lte=models.F(
            "capacity")), name="programs_event_not_overbooked")]

    def __str__(self) -> str:
        return self.title

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)


class RsvpVia(models.TextChoices):
    PORTAL = "portal", _("Family portal")
    LINK = "link", _("Signed link")
    STAFF = "staff", _("Staff")


class Rsvp(models.Model):
    """A family's answer to an invitation: how many come, and whether they need an interpreter or childcare."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    guardian = models.ForeignKey("roster.Guardian", on_delete=models.CASCADE, related_name="+")
    seats = models.PositiveSmallIntegerField(_("how many people will come"), default=1)
    interpreter_language = models.CharField(_("interpreter needed (language)"), max_length=35, blank=True,
                                            default="")
    childcare_children = models.PositiveSmallIntegerField(_("children needing childcare"), default=0)
    via = models.CharField(max_length=8, choices=RsvpVia.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["event", "guardian"], condition=Q(cancelled_at__isnull=True),
                                               name="programs_one_active_rsvp")]

    def __str__(self) -> str:
        return f"rsvp {self.event_id} {self.guardian_id}"


class AttendanceHow(models.TextChoices):
    SIGN_IN = "sign_in", _("Sign-in sheet")
    TICKED = "ticked", _("Ticked by staff")


class Attendance(models.Model):
    """Someone came: a family member (a contact on the family's timeline) or a staff member (a training)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    guardian = models.ForeignKey("roster.Guardian", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    staff = models.ForeignKey("roster.Staff", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    how = models.CharField(max_length=8, choices=AttendanceHow.choices)
    contact = models.ForeignKey("contacts.ContactLog", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "guardian"], name="programs_attended_once_family"),
            models.UniqueConstraint(fields=["event", "staff"], name="programs_attended_once_staff"),
            models.CheckConstraint(condition=Q(staff__isnull=False) | Q(guardian__isnull=False),
                                   name="programs_attendance_has_person"),
        ]

    def __str__(self) -> str:
        return f"attendance {self.event_id}"


# --- home visits ------------------------------------------------------------------------------------------

class HomeVisitTraining(models.Model):
    staff = models.ForeignKey("roster.Staff", on_delete=models.CASCADE, related_name="+")
    completed_on = models.DateField(_("completed on"))
    provider = models.CharField(_("given by"), max_length=200, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["staff"], name="programs_hv_training_once")]

    def __str__(self) -> str:
        return f"training {self.staff_id}"


class HomeVisit(models.Model):
    """A relational home visit: two trained staff, at the family's invitation, with the family's consent."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey("roster.Guardian", on_delete=models.CASCADE, related_name="+")
    visitor_one = models.ForeignKey("roster.Staff", on_delete=models.PROTECT, related_name="+")
    visitor_two = models.ForeignKey("roster.Staff", on_delete=models.PROTECT, related_name="+")
    invited_on = models.DateField(_("the family invited us on"))
    consent_recorded_at = models.DateTimeField(_("consent recorded"))
    scheduled_for = models.DateTimeField(_("visit date and time"))
    language = models.CharField(_("language of the visit"), max_length=35, blank=True, default="")
    completed_at = models.DateTimeField(null=True, blank=True)
    # Read only by the two visitors and the student's case managers, unless the family agrees to more.
    note = models.TextField(_("visit note"), blank=True, default="")
    note_shared = models.BooleanField(_("the family agrees the school's staff may read the note"), default=False)
    contact = models.ForeignKey("contacts.ContactLog", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_for"]
        constraints = [models.CheckConstraint(condition=~Q(visitor_one=models.F("visitor_two")),
                                              name="programs_visit_in_pairs")]

    def __str__(self) -> str:
        return f"home visit {self.pk}"


# --- staff professional learning -------------------------------------------------------------------------

class GuideTopic(models.TextChoices):
    BELIEFS = "beliefs", _("The four core beliefs")
    PPT = "ppt", _("The parent's experience of a PPT")
    COMMUNICATION = "communication", _("Communication before, during and after")
    LESS_ENGAGED = "less_engaged", _("Reaching less-engaged families")
    OTHER = "other", _("Another topic")


class Discussion(models.Model):
    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(_("topic"), max_length=16, choices=GuideTopic.choices)
    title = models.CharField(_("title"), max_length=200, blank=True, default="")
    held_on = models.DateField(_("held on"))
    facilitators = models.ManyToManyField("roster.Staff", related_name="+", verbose_name=_("facilitators"))
    attendees = models.ManyToManyField("roster.Staff", related_name="+", blank=True, verbose_name=_("attendees"))
    notes = models.TextField(_("notes"), blank=True, default="")
    feedback_survey = models.ForeignKey("surveys.Survey", on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title or self.get_topic_display()


# --- practices library ------------------------------------------------------------------------------------

class Goal(models.TextChoices):
    ATTENDANCE = "attendance", _("Attendance")
    LITERACY = "literacy", _("Reading and writing")
    MATH = "math", _("Math")
    COMMUNICATION = "communication", _("Two-way communication")
    SPECIAL_EDUCATION = "special_education", _("Special education")
    TRANSITIONS = "transitions", _("Transitions")
    LEADERSHIP = "leadership", _("Family leadership")


class GradeBand(models.TextChoices):
    EARLY = "pk2", _("PreK–2")
    ELEMENTARY = "3to5", _("Grades 3–5")
    MIDDLE = "6to8", _("Grades 6–8")
    HIGH = "9to12", _("Grades 9–12")
    ALL = "all", _("All grades")


class Practice(models.Model):
    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    author = models.ForeignKey("roster.Staff", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    practice = models.TextField(_("what we tried"))
    goal = models.CharField(_("goal"), max_length=24, choices=Goal.choices)
    grade_band = models.CharField(_("grade band"), max_length=8, choices=GradeBand.choices)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    families_reached = models.PositiveIntegerField(_("families reached"), default=0)
    outcome = models.TextField(_("outcome"), blank=True, default="")
    replicates = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="replications", verbose_name=_("we tried this too"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class PracticeFile(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="programs/practices/%Y/")
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class SharingTurn(models.Model):
    """Who shares a practice at an administrative council meeting."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    meeting_on = models.DateField(_("council meeting"))
    staff = models.ForeignKey("roster.Staff", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["meeting_on"]
        constraints = [models.UniqueConstraint(fields=["district", "meeting_on"], name="programs_one_sharer")]

    def __str__(self) -> str:
        return f"{self.meeting_on} {self.staff_id}"


class EventInvitation(models.Model):
    """One family invited to one event: the invitation task skips a family already here, so running it twice
    invites nobody twice."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    family_key = models.CharField(max_length=32)  # "h<household id>" or "s<student id>"
    sent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "family_key"], name="programs_one_invitation")]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.family_key}"
