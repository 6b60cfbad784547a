"""The roster: districts, schools, staff, students, guardians, households, classes and caseloads.

Rows imported from the student information system are keyed by (district, sourced_id) and are
never hard-deleted: a record absent from a full snapshot becomes inactive.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeroom.core.models import Role
from homeroom.roster.search_keys import (
    GUARDIAN_FIELDS,
    STUDENT_FIELDS,
    guardian_search_key,
    student_search_key,
)


class District(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    sourced_id = models.CharField(max_length=255, blank=True, default="")
    time_zone = models.CharField(max_length=64, default="America/New_York")
    fallback_language = models.CharField(max_length=35, default="en")
    # Interface languages families of this district may choose (codes of settings.LANGUAGES); empty: every
    # shipped language, so a language shipped later is offered without a change here.
    family_languages = models.JSONField(_("languages offered to families"), default=list, blank=True)
    quiet_hours_start = models.TimeField(null=True, blank=True)
    quiet_hours_end = models.TimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class SourcedModel(models.Model):
    """Common columns of everything the SIS sends us."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    sourced_id = models.CharField(max_length=255, blank=True, default="")
    is_active = models.BooleanField(default=True, db_index=True)
    source_modified_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"],
                condition=~models.Q(sourced_id=""),
                name="%(class)s_unique_sourced_id",
            )
        ]


class School(SourcedModel):
    name = models.CharField(_("name"), max_length=255)
    identifier = models.CharField(max_length=255, blank=True, default="")
    org_type = models.CharField(max_length=32, default="school")
    parent_sourced_id = models.CharField(max_length=255, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=32, blank=True, default="")
    handbook_url = models.URLField(blank=True, default="")

    class Meta(SourcedModel.Meta):
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AcademicSession(SourcedModel):
    title = models.CharField(max_length=255)
    session_type = models.CharField(max_length=32)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    parent_sourced_id = models.CharField(max_length=255, blank=True, default="")
    school_year = models.CharField(max_length=16, blank=True, default="")

    class Meta(SourcedModel.Meta):
        ordering = ["start_date", "title"]

    def __str__(self) -> str:
        return self.title


class Household(SourcedModel):
    """People who live together; the unit for de-duplicating school-wide messages."""

    name = models.CharField(_("name"), max_length=255, blank=True, default="")
    address_line = models.CharField(_("address"), max_length=255, blank=True, default="")
    city = models.CharField(_("city"), max_length=120, blank=True, default="")
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True, default="")

    def __str__(self) -> str:
        return self.name or f"Household {self.pk}"


class Staff(SourcedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff"
    )
    given_name = models.CharField(_("given name"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120)
    email = models.EmailField(_("email"), blank=True, default="")
    phone = models.CharField(_("phone"), max_length=32, blank=True, default="")
    identifier = models.CharField(max_length=255, blank=True, default="")
    # OneRoster demographics.csv's `sex` for a staff member ("female", "male", "other", "unspecified"); blank when
    # the roster does not say. Only used so job titles agree with the person where a language's titles have
    # grammatical gender (core.words.job_title): maestra, maestro, or the inclusive "docente" when unknown.
    sex = models.CharField(_("sex"), max_length=16, blank=True, default="")

    class Meta(SourcedModel.Meta):
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class StaffRole(models.Model):
    """A role a staff member holds, at one school or (school empty) across the district."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="roles")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="staff_roles")
    role = models.CharField(max_length=32, choices=Role.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "school", "role"], name="staffrole_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.school_id or 'district'})"


def _save_search_key(kwargs: dict[str, Any], searched: tuple[str, ...]) -> None:
    """A save limited to some fields writes the search key too when one of them feeds it."""
    fields = kwargs.get("update_fields")
    if fields is not None and set(fields) & set(searched):
        kwargs["update_fields"] = {*fields, "search_key"}


class Student(SourcedModel):
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="students")
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="students"
    )
    identifier = models.CharField(_("student number"), max_length=255, blank=True, default="")
    given_name = models.CharField(_("given name"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120)
    preferred_name = models.CharField(_("preferred name"), max_length=120, blank=True, default="")
    grade = models.CharField(_("grade"), max_length=8, blank=True, default="", db_index=True)
    email = models.EmailField(blank=True, default="")
    # Restricted fields: visible only to roles scoping allows (see access.scoping.may_see_restricted).
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=16, blank=True, default="")
    home_language = models.CharField(_("home language"), max_length=35, blank=True, default="")
    english_learner = models.BooleanField(_("English learner"), default=False)
    has_iep = models.BooleanField(_("IEP"), default=False)
    has_504 = models.BooleanField(_("504 plan"), default=False)
    race_ethnicity = models.JSONField(_("race/ethnicity"), default=list, blank=True)
    free_reduced_meals = models.BooleanField(_("free/reduced meals"), default=False)
    # Names, student number and email folded for staff search (roster.search_keys); kept by save and the importer.
    search_key = models.TextField(blank=True, default="", editable=False)

    class Meta(SourcedModel.Meta):
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["district", "family_name", "given_name"])]

    def __str__(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_key = student_search_key(self.__dict__)
        _save_search_key(kwargs, STUDENT_FIELDS)
        super().save(*args, **kwargs)


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    VOICE = "voice", _("Phone call")
    PORTAL = "portal", _("Family portal")


class Category(models.TextChoices):
    """What a message is about; consent is given per channel × category (messaging.policy holds the law)."""

    URGENT = "urgent", _("Urgent (closure, early release, safety, health)")
    ATTENDANCE = "attendance", _("Attendance (unexcused absence)")
    REMINDER = "reminder", _("Reminder (days off, report cards, conferences, events)")
    NEWS = "news", _("News (announcements, achievements, opportunities)")
    OTHER = "other", _("Other (only families who gave consent)")
    REPLY = "reply", _("Answer to a family who wrote to the school")


# Families choose per category; an answer to a family who wrote follows the channel as a whole.
CHOOSABLE_CATEGORIES: list[tuple[str, Any]] = [(v, label) for v, label in Category.choices if v != Category.REPLY]


class UpdateFrequency(models.TextChoices):
    AS_NEEDED = "as_needed", _("Only when needed")
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")


DEFAULT_CHANNEL_ORDER = [Channel.SMS.value, Channel.EMAIL.value, Channel.VOICE.value, Channel.PORTAL.value]


def default_channel_order() -> list[str]:
    return list(DEFAULT_CHANNEL_ORDER)


class Guardian(SourcedModel):
    """A parent, guardian or relative, with how they want to hear from the school."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="guardian"
    )
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="guardians"
    )
    given_name = models.CharField(_("given name"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120)
    language = models.CharField(_("language"), max_length=35, default="en", help_text=_("BCP 47 tag"))
    email = models.EmailField(_("email"), blank=True, default="")
    mobile_phone = models.CharField(_("mobile phone"), max_length=20, blank=True, default="", help_text="E.164")
    home_phone = models.CharField(_("home phone"), max_length=20, blank=True, default="", help_text="E.164")
    work_phone = models.CharField(_("work phone"), max_length=20, blank=True, default="", help_text="E.164")
    channel_order = models.JSONField(_("channels in order"), default=default_channel_order, blank=True)
    update_frequency = models.CharField(
        _("how often"), max_length=16, choices=UpdateFrequency.choices, default=UpdateFrequency.AS_NEEDED
    )
    best_time = models.CharField(_("best time to reach"), max_length=120, blank=True, default="")
    sms_consent_at = models.DateTimeField(null=True, blank=True)
    sms_consent_source = models.CharField(max_length=120, blank=True, default="")
    voice_consent_at = models.DateTimeField(null=True, blank=True)
    voice_consent_source = models.CharField(max_length=120, blank=True, default="")
    sms_opted_out_at = models.DateTimeField(null=True, blank=True)
    voice_opted_out_at = models.DateTimeField(null=True, blank=True)
    email_opted_out_at = models.DateTimeField(null=True, blank=True)
    # A bad mark belongs to the address it was recorded for (`*_bad_value`): a new address starts clean, and
    # the mark applies again only if that same address comes back. Read and write them through
    # roster.reachability, never directly.
    email_bad_at = models.DateTimeField(null=True, blank=True)
    email_bad_value = models.CharField(max_length=254, blank=True, default="")
    mobile_phone_bad_at = models.DateTimeField(null=True, blank=True)
    mobile_phone_bad_value = models.CharField(max_length=20, blank=True, default="")
    home_phone_bad_at = models.DateTimeField(null=True, blank=True)
    home_phone_bad_value = models.CharField(max_length=20, blank=True, default="")
    # Names, email and phone digits folded for staff search (roster.search_keys); kept by save and the importer.
    search_key = models.TextField(blank=True, default="", editable=False)

    class Meta(SourcedModel.Meta):
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["district", "family_name", "given_name"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_key = guardian_search_key(self.__dict__)
        _save_search_key(kwargs, GUARDIAN_FIELDS)
        super().save(*args, **kwargs)


class Relationship(models.TextChoices):
    PARENT = "parent", _("Parent")
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    GUARDIAN = "guardian", _("Guardian")
    STEPPARENT = "stepparent", _("Stepparent")
    GRANDPARENT = "grandparent", _("Grandparent")
    FOSTER_PARENT = "foster_parent", _("Foster parent")
    RELATIVE = "relative", _("Relative")
    OTHER = "other", _("Other")


class StudentGuardian(models.Model):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardian_links")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="student_links")
    relationship = models.CharField(
        _("relationship"), max_length=32, choices=Relationship.choices, default=Relationship.PARENT
    )
    has_educational_rights = models.BooleanField(_("educational rights"), default=True)
    lives_with = models.BooleanField(_("lives with student"), default=True)
    may_receive_information = models.BooleanField(_("may receive information"), default=True)
    is_emergency_contact = models.BooleanField(_("emergency contact"), default=False)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    custody_notes = models.TextField(_("custody notes"), blank=True, default="")  # restricted
    is_active = models.BooleanField(default=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "guardian"], name="studentguardian_unique"),
        ]

    def __str__(self) -> str:
        # Ids, not names: this string can end up in logs.
        return f"student {self.student_id} ↔ guardian {self.guardian_id}"

    # The custody rule: a guardian hears about a child, and may see its records, only through a link whose
    # fields here are all true. access.scoping.family_access builds every query that brings a family in from them.
    FAMILY_ACCESS_FIELDS = ("is_active", "has_educational_rights", "may_receive_information")

    @property
    def grants_family_access(self) -> bool:
        """The custody rule (above) for one link already in memory."""
        return all(getattr(self, name) for name in self.FAMILY_ACCESS_FIELDS)


class Suppression(models.Model):
    """An email address the provider says not to mail again (hard bounce, complaint, unsubscribe).

    Kept beside the guardians (its table is still `messaging_suppression`) so that roster.reachability, which
    every part of the app asks whether a guardian can be reached, can read it.
    """

    address = models.EmailField(unique=True)
    reason = models.CharField(max_length=32)
    detail = models.CharField(max_length=255, blank=True, default="")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "messaging_suppression"

    def __str__(self) -> str:
        return self.address


class ConsentState(models.TextChoices):
    """Consent, its absence and an opt-out are three different states."""

    GIVEN = "given", _("Yes")
    REFUSED = "refused", _("No")
    NONE = "", _("No answer yet")


class ConsentVia(models.TextChoices):
    STOP_TEXT = "stop_text", _("Text message (STOP)")
    START_TEXT = "start_text", _("Text message (START)")
    PORTAL = "portal", _("Family portal")
    STAFF = "staff", _("School staff, during a contact")
    SIS_IMPORT = "sis_import", _("Student information system import")
    EMAIL_UNSUBSCRIBE = "email_unsubscribe", _("Unsubscribe link in an email")


class ConsentChoice(models.Model):
    """What the family chose for one channel and one category of message (the current state)."""

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="consent_choices")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    category = models.CharField(max_length=16, choices=Category.choices)
    given = models.BooleanField()
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["guardian", "channel", "category"], name="consentchoice_unique"),
        ]

    def __str__(self) -> str:
        return f"guardian {self.guardian_id} {self.channel}/{self.category}: {self.given}"


class ConsentChange(models.Model):
    """The consent ledger: one row per change, never edited. `category` empty means every category."""

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="consent_changes")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    category = models.CharField(max_length=16, choices=Category.choices, blank=True, default="")
    # After the change; for a START text, NONE means "the opt-out was lifted".
    state = models.CharField(max_length=16, choices=ConsentState.choices, blank=True)
    previous = models.CharField(max_length=16, choices=ConsentState.choices, blank=True)
    via = models.CharField(max_length=24, choices=ConsentVia.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+")
    detail = models.CharField(max_length=120, blank=True, default="")  # the keyword texted, the import file
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"guardian {self.guardian_id} {self.channel}/{self.category or '*'} → {self.state or 'none'}"


class Section(SourcedModel):
    """A class (OneRoster `classes.csv`)."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="sections")
    title = models.CharField(_("title"), max_length=255)
    class_code = models.CharField(max_length=255, blank=True, default="")
    class_type = models.CharField(max_length=32, blank=True, default="scheduled")
    course_sourced_id = models.CharField(max_length=255, blank=True, default="")
    course_title = models.CharField(max_length=255, blank=True, default="")
    grades = models.JSONField(default=list, blank=True)
    subjects = models.JSONField(default=list, blank=True)
    periods = models.JSONField(default=list, blank=True)
    location = models.CharField(max_length=255, blank=True, default="")
    term_sourced_ids = models.JSONField(default=list, blank=True)

    class Meta(SourcedModel.Meta):
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class EnrollmentRole(models.TextChoices):
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")
    AIDE = "aide", _("Aide")
    ADMINISTRATOR = "administrator", _("Administrator")


class Enrollment(SourcedModel):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="enrollments")
    role = models.CharField(max_length=16, choices=EnrollmentRole.choices)
    student = models.ForeignKey(Student, on_delete=models.CASCADE, null=True, blank=True, related_name="enrollments")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, null=True, blank=True, related_name="enrollments")
    primary = models.BooleanField(default=False)
    begin_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta(SourcedModel.Meta):
        indexes = [
            models.Index(fields=["staff", "section"]),
            models.Index(fields=["section", "student"]),
        ]

    def __str__(self) -> str:
        return f"{self.role} in section {self.section_id}"


class Caseload(models.Model):
    """A case manager's (or social worker's) students."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="caseload")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="case_managers")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["staff", "student"], name="caseload_unique")]

    def __str__(self) -> str:
        return f"staff {self.staff_id} → student {self.student_id}"


class ImportRun(models.Model):
    """One OneRoster import: what came in, what changed, and every problem found."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        APPLIED = "applied", _("Applied")
        CHECKED = "checked", _("Checked, nothing saved")
        REJECTED = "rejected", _("Rejected")
        UNCHANGED = "unchanged", _("No changes")
        FAILED = "failed", _("Failed")

    class Stage(models.TextChoices):
        READING = "reading", _("Reading the files")
        CHECKING = "checking", _("Checking references")
        WRITING = "writing", _("Saving")

    class Failure(models.TextChoices):
        ERROR = "error", _("An unexpected error stopped the import; nothing was saved. Try again, or ask for help "
                           "if it happens again.")
        WORKER_LOST = "worker_lost", _("The worker running this import stopped before it finished; nothing was "
                                       "saved. Try again.")

    PENDING = frozenset({Status.QUEUED, Status.RUNNING})

    # Empty only for a rejected import into a district that does not exist yet (nothing was written).
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True, related_name="imports")
    source_name = models.CharField(max_length=255)
    version = models.CharField(max_length=8, blank=True, default="")
    status = models.CharField(max_length=16, choices=Status.choices)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    # Problems found past the listed ones (settings.IMPORT_MAX_PROBLEMS): counted, not kept.
    more_errors = models.PositiveIntegerField(default=0)
    more_warnings = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A background import (web upload): the stored file until it has been imported, and signs of life.
    dry_run = models.BooleanField(default=False)
    upload = models.CharField(max_length=255, blank=True, default="")  # name in default storage
    stage = models.CharField(max_length=16, choices=Stage.choices, blank=True, default="")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure = models.CharField(max_length=16, choices=Failure.choices, blank=True, default="")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.status})"

    @property
    def pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def retryable(self) -> bool:
        return self.status == self.Status.FAILED and bool(self.upload)

    @property
    def problem_count(self) -> int:
        return len(self.errors) + self.more_errors


class GradeCategory(SourcedModel):
    """A gradebook category (OneRoster `categories.csv`), e.g. Homework or Tests."""

    title = models.CharField(_("title"), max_length=255)
    weight = models.DecimalField(_("weight"), max_digits=12, decimal_places=4, null=True, blank=True)

    class Meta(SourcedModel.Meta):
        ordering = ["title"]
        verbose_name_plural = "grade categories"

    def __str__(self) -> str:
        return self.title


class LineItem(SourcedModel):
    """An assignment or assessment in a class's gradebook (OneRoster `lineItems.csv`)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="line_items")
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True, default="")
    assign_date = models.DateTimeField(_("assigned"), null=True, blank=True)
    due_date = models.DateTimeField(_("due"), null=True, blank=True)
    category = models.ForeignKey(
        GradeCategory, on_delete=models.SET_NULL, null=True, blank=True, related_name="line_items"
    )
    grading_period_sourced_id = models.CharField(max_length=255, blank=True, default="")
    result_value_min = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    result_value_max = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)

    class Meta(SourcedModel.Meta):
        ordering = ["due_date", "title"]

    def __str__(self) -> str:
        return self.title


class ScoreStatus(models.TextChoices):
    EXEMPT = "exempt", _("Exempt")
    FULLY_GRADED = "fully graded", _("Graded")
    NOT_SUBMITTED = "not submitted", _("Not submitted")
    PARTIALLY_GRADED = "partially graded", _("Partly graded")
    SUBMITTED = "submitted", _("Submitted")


class Result(SourcedModel):
    """One student's score on one line item (OneRoster `results.csv`)."""

    line_item = models.ForeignKey(LineItem, on_delete=models.CASCADE, related_name="results")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="results")
    score = models.DecimalField(_("score"), max_digits=12, decimal_places=4, null=True, blank=True)
    score_status = models.CharField(_("status"), max_length=32, choices=ScoreStatus.choices, blank=True, default="")
    text_score = models.CharField(_("score (text)"), max_length=255, blank=True, default="")
    comment = models.TextField(_("comment"), blank=True, default="")
    score_date = models.DateField(_("scored on"), null=True, blank=True)

    class Meta(SourcedModel.Meta):
        indexes = [models.Index(fields=["student", "line_item"])]

    def __str__(self) -> str:
        return f"result {self.sourced_id or self.pk}"
