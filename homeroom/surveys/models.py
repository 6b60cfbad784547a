"""Surveys: instruments (data), surveys sent from them, who was asked, responses, and team self-assessments.

Anonymity is structural. A `Response` to an anonymous survey holds no key to a family, a guardian, a student, an
invitation or a user, and a check constraint makes the database refuse one. Who has answered (so reminders
skip them and a link works once) is `Invitation.responded`, a flag with no timestamp and no key to the
response; a response keeps only its day, not its time, and a random id, so neither order nor time joins them.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeroom.surveys import definition


class Kind(models.TextChoices):
    FAMILY = "family", _("Family survey")
    SELF_ASSESSMENT = "self_assessment", _("School self-assessment")
    STAFF = "staff", _("Staff feedback")


class Instrument(models.Model):
    """One version of an instrument file; shipped ones have no district, a district may add or copy its own."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    key = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=255)  # the English (or first) title, for lists
    data = models.JSONField()  # validated by schema.validate before it is saved
    source = models.TextField()  # the file as written, shown again for editing and copying
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["district", "key", "version"], name="instrument_unique",
                                    nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def definition(self) -> definition.Definition:
        return definition.build(self.data)


class Survey(models.Model):
    """An instrument put to families of a school (or the district), anonymous or identified."""

    class Purpose(models.TextChoices):
        GENERAL = "general", _("Survey")
        POST_MEETING = "post_meeting", _("After a meeting")

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(_("title"), max_length=255)
    anonymous = models.BooleanField(_("anonymous"), default=True)
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.GENERAL)
    is_open = models.BooleanField(default=True)
    public_token = models.CharField(max_length=43, unique=True, default=secrets.token_urlsafe)
    public_link = models.BooleanField(_("public link for the school website"), default=False)
    in_portal = models.BooleanField(_("offered in the family portal"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """One family asked to answer (one signed link); `responded` is all it ever learns about the answer."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    household = models.ForeignKey("roster.Household", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    students = models.ManyToManyField("roster.Student", related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    language = models.CharField(max_length=35, default="en")
    grades = models.JSONField(default=list)
    subgroups = models.JSONField(default=list)
    responded = models.BooleanField(default=False)
    times_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["survey", "responded"])]

    def __str__(self) -> str:
        return f"invitation {self.pk} to survey {self.survey_id}"


class Response(models.Model):
    """One family's (or staff member's) answers. Anonymous: no invitation, guardian or staff (a constraint)."""

    class Source(models.TextChoices):
        LINK = "link", _("Family link")
        PUBLIC = "public", _("Public link")
        PORTAL = "portal", _("Family portal")
        STAFF = "staff", _("Staff page")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    anonymous = models.BooleanField()
    invitation = models.OneToOneField(Invitation, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="identified_response")
    guardian = models.ForeignKey("roster.Guardian", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    staff = models.ForeignKey("roster.Staff", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    source = models.CharField(max_length=8, choices=Source.choices)
    language = models.CharField(max_length=35)  # the language the family answered in
    # The family's home language from the roster, snapshotted like school and grades ("" when not known: a
    # public link knows no family). Results "by language" group on this, not on the answering language.
    home_language = models.CharField(max_length=35, blank=True, default="")
    school = models.ForeignKey("roster.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    grades = models.JSONField(default=list)
    subgroups = models.JSONField(default=list)
    answers = models.JSONField(default=dict)
    submitted_on = models.DateField()  # a day, not a time: a time would match the invitation's update

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymous=False) | models.Q(invitation__isnull=True, guardian__isnull=True,
                                                                staff__isnull=True),
                name="response_anonymous_has_no_family",
            ),
        ]

    def __str__(self) -> str:
        return f"response to survey {self.survey_id}"


class StaffAnswered(models.Model):
    """A staff member has answered a staff card while signed in: one answer each, and no key to the answer."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="staff_answered")
    staff = models.ForeignKey("roster.Staff", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "staff"], name="staff_answered_unique")]

    def __str__(self) -> str:
        return f"staff {self.staff_id} answered survey {self.survey_id}"


class Team(models.Model):
    """A school's self-assessment team: named staff and family members (until a partnership-team app exists)."""

    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("team name"), max_length=120)
    staff = models.ManyToManyField("roster.Staff", blank=True, related_name="+", verbose_name=_("staff members"))
    guardians = models.ManyToManyField("roster.Guardian", blank=True, related_name="+",
                                       verbose_name=_("family members"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def member_user_ids(self) -> set[int]:
        ids = set(self.staff.exclude(user=None).values_list("user_id", flat=True))
        ids |= set(self.guardians.exclude(user=None).values_list("user_id", flat=True))
        return ids


class Assessment(models.Model):
    """One team's self-assessment of its school with one instrument in one school year."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="assessments")
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("school year (starting)"))
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["team", "instrument", "year"], name="assessment_unique")]

    def __str__(self) -> str:
        return f"{self.instrument.title} {self.year}"


class MemberRating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item_key = models.CharField(max_length=60)
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "user", "item_key"], name="rating_unique")]

    def __str__(self) -> str:
        return f"{self.item_key}={self.value}"


class Consensus(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="consensus")
    item_key = models.CharField(max_length=60)
    value = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "item_key"], name="consensus_unique")]

    def __str__(self) -> str:
        return f"{self.item_key}={self.value}"


class ReflectionAnswer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reflections")
    key = models.CharField(max_length=60)
    text = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "key"], name="reflection_unique")]

    def __str__(self) -> str:
        return self.key


class ActionPlan(models.Model):
    """A school's plan for one school year, made from its self-assessments and reviewed at the next one."""

    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="actionplan_unique")]

    def __str__(self) -> str:
        return f"plan {self.school_id} {self.year}"


class ActionItem(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="items")
    assessment = models.ForeignKey(Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    item_key = models.CharField(max_length=60)
    rating = models.PositiveSmallIntegerField()
    action = models.TextField(_("what we will do"), blank=True, default="")
    owner = models.CharField(_("owner"), max_length=120, blank=True, default="")
    due = models.DateField(_("by when"), null=True, blank=True)
    measure = models.TextField(_("how we will know it worked"), blank=True, default="")
    review = models.TextField(_("review at the next assessment"), blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["plan", "assessment", "item_key"], name="actionitem_unique")]

    def __str__(self) -> str:
        return self.item_key

    @property
    def is_complete(self) -> bool:
        return bool(self.action.strip() and self.owner.strip() and self.due and self.measure.strip())

