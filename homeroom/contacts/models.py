"""Contacts with families, their correction history, and the case manager checklist."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("Email")
    VIDEO = "video", _("Video call")
    HOME_VISIT = "home_visit", _("Home visit")
    CONFERENCE = "conference", _("Conference")
    LETTER = "letter", _("Letter")
    INTERPRETER = "interpreter", _("Interpreter-assisted call")
    PORTAL = "portal", _("Family portal message")


class Direction(models.TextChoices):
    SCHOOL = "school", _("School-initiated")
    FAMILY = "family", _("Family-initiated")


class Purpose(models.TextChoices):
    POSITIVE = "positive", _("Positive news")
    ACADEMIC = "academic", _("Academic progress")
    ATTENDANCE = "attendance", _("Attendance")
    BEHAVIOUR = "behaviour", _("Behavior")  # the stored value keeps its original spelling
    HEALTH = "health", _("Health")
    SPECIAL_EDUCATION = "special_education", _("Special education / PPT")
    GENERAL = "general", _("General")
    # The purposes of school messages in the ledger (contacts.ledger), after the message's category.
    URGENT = "urgent", _("Urgent notice")
    REMINDER = "reminder", _("Reminder")
    NEWS = "news", _("School news")


class Outcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    LEFT_MESSAGE = "left_message", _("Left a message")
    NO_ANSWER = "no_answer", _("No answer")
    WRONG_NUMBER = "wrong_number", _("Wrong or disconnected number")
    RETURNED_MAIL = "returned_mail", _("Returned mail or bounced email")


class Source(models.TextChoices):
    """Where a contact in the ledger comes from (see contacts.ledger for the rules)."""

    LOGGED = "logged", _("Logged by staff")
    MESSAGE = "message", _("School message")
    CONVERSATION = "conversation", _("Conversation")


class ContactLog(models.Model):
    """One contact between a staff member and a family, about one or more students.

    The one ledger of contacts: rows staff log, and rows contacts.ledger keeps in step with messaging (a school
    message that reached a family, a two-way exchange, a conversation the family started). Every count, list
    and export reads this table, so a contact is counted once whatever carried it.
    """

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey("roster.Staff", on_delete=models.PROTECT, related_name="contacts",
                              verbose_name=_("staff member"))
    students = models.ManyToManyField("roster.Student", related_name="contacts", verbose_name=_("students"))
    guardians = models.ManyToManyField("roster.Guardian", related_name="contacts", verbose_name=_("guardians"))
    occurred_at = models.DateTimeField(_("date and time"), db_index=True)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices, default=Direction.SCHOOL)
    purpose = models.CharField(_("purpose"), max_length=24, choices=Purpose.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.REACHED)
    language = models.CharField(_("language used"), max_length=35, blank=True, default="")
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    # The number or address actually tried, so a wrong number marks exactly that channel as bad.
    channel_address = models.CharField(_("number or address used"), max_length=320, blank=True, default="")
    notes = models.TextField(_("notes"), blank=True, default="")
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    preferences_recorded = models.BooleanField(default=False)
    # Empty for rows the ledger writes (nobody typed them in).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.LOGGED)
    # The messaging record a ledger row stands for: "m<message>-f<family>" or "c<conversation>"; empty if logged.
    source_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True, default="")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["district", "occurred_at"]),
            models.Index(fields=["staff", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.occurred_at:%Y-%m-%d}"


class ContactRevision(models.Model):
    """A correction made after the edit window: what the contact said before the change."""

    contact = models.ForeignKey(ContactLog, on_delete=models.CASCADE, related_name="revisions")
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(auto_now_add=True)
    previous = models.JSONField(default=dict)
    changed_fields = models.JSONField(default=list)

    class Meta:
        ordering = ["-edited_at", "-id"]

    def __str__(self) -> str:
        return f"{self.contact_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


class Anchor(models.TextChoices):
    JOINED_CASELOAD = "joined_caseload", _("Student joins the caseload")
    MARKING_PERIOD = "marking_period", _("End of each marking period")
    MEETING = "meeting", _("PPT meeting")
    MONTHLY = "monthly", _("Each month")


class CompletionEvent(models.TextChoices):
    NONE = "", _("A contact staff tie to the task")
    PPT_INVITATION_SENT = "ppt_invitation_sent", _("The PPT invitation is sent")
    PPT_FOLLOW_UP = "ppt_follow_up", _("The family is reached after the PPT")
    PROGRESS_REPORT_SENT = "progress_report_sent", _("A progress report is sent to the family")
    PREFERENCES_RECORDED = "preferences_recorded", _("The family's preferences are recorded")


class ChecklistTemplate(models.Model):
    """A district's checklist (district empty: the shipped Connecticut defaults)."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+")
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(max_length=64)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["district", "code"], name="checklisttemplate_unique")]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """One task of a template, with its due rule and the event that completes it.

    A task is completed by the event it names (`completed_by_event`), by a contact staff explicitly tie to it
    on the log-contact form, or by hand; never by a contact that merely has a matching purpose or method.
    """

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(max_length=64)
    title = models.CharField(_("title"), max_length=255)
    # Staff-written text per language, e.g. {"es": "..."}; `title` is the fallback.
    title_translations = models.JSONField(default=dict, blank=True)
    anchor = models.CharField(_("counted from"), max_length=20, choices=Anchor.choices)
    offset_school_days = models.IntegerField(
        _("school days after (negative: before)"), default=0,
        help_text=_("Due this many school days after the anchor date; negative for before it."),
    )
    window_school_days = models.PositiveIntegerField(
        _("counts contacts from this many school days before it is due"), default=0,
        help_text=_("0: from the anchor date."),
    )
    manual_only = models.BooleanField(_("completed by hand only"), default=False)
    # Completed by this event (the meetings app sending a PPT invitation, a progress report filed for the family,
    # preferences recorded on a contact). Empty: only a contact tied to the task, or by hand.
    completed_by_event = models.CharField(_("completed by the event"), max_length=32, blank=True, default="",
                                          choices=CompletionEvent.choices)
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="checklistitem_unique")]

    def __str__(self) -> str:
        return self.title

    def title_for(self, language: str) -> str:
        return self.title_translations.get(language) or self.title_translations.get(language[:2]) or self.title


class PptDate(models.Model):
    """A PPT meeting date entered by hand, until the meetings app supplies them."""

    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="ppt_dates")
    meeting_date = models.DateField(_("PPT date"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting_date"]
        constraints = [models.UniqueConstraint(fields=["student", "meeting_date"], name="pptdate_unique")]

    def __str__(self) -> str:
        return self.meeting_date.isoformat()


class ChecklistTask(models.Model):
    """One checklist item for one student on one staff member's caseload, for one period."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="tasks")
    staff = models.ForeignKey("roster.Staff", on_delete=models.CASCADE, related_name="checklist_tasks")
    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="checklist_tasks")
    period = models.CharField(max_length=32, default="once")  # "once", "2025-10", "mp-<id>", "ppt-<date>"
    window_start = models.DateField()
    window_end = models.DateField(null=True, blank=True)  # empty: a late contact still completes it
    due_on = models.DateField(_("due"), db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    completed_by_contact = models.ForeignKey(ContactLog, on_delete=models.SET_NULL, null=True, blank=True,
                                             related_name="completed_tasks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "staff", "student", "period"], name="checklisttask_unique")
        ]
        indexes = [models.Index(fields=["staff", "completed_at", "due_on"])]

    def __str__(self) -> str:
        return f"{self.item} ({self.period})"


class ChecklistTaskChange(models.Model):
    """The trail of a checklist task marked done by hand or undone: who, when, and what it had been."""

    class Action(models.TextChoices):
        DONE = "done", _("Marked done")
        UNDONE = "undone", _("Undone")

    task = models.ForeignKey(ChecklistTask, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=16, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    # When undone: the completion it took back (a logged contact's, or a person's by hand).
    was_completed_at = models.DateTimeField(null=True, blank=True)
    was_completed_by_contact = models.ForeignKey(ContactLog, on_delete=models.SET_NULL, null=True, blank=True,
                                                 related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"task {self.task_id} {self.action} by {self.by_id}"
