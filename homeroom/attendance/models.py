"""Attendance: one row per student × school day from the SIS, notes that excuse absences, what the rules made of
them (per student, school and year), and the outreach that follows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT_FULL = "absent_full", _("Absent (full day)")
    ABSENT_HALF = "absent_half", _("Absent (half day)")
    TARDY = "tardy", _("Tardy")
    EARLY_DISMISSAL = "early_dismissal", _("Early dismissal")


class DocumentKind(models.TextChoices):
    PARENT = "parent", _("Parent's note")
    MEDICAL = "medical", _("Medical note")


class AttendanceRecord(models.Model):
    """What the SIS says about one student on one day, for the days there is something to say about: an absence,
    a tardy, an early dismissal, a reason, minutes or documentation. A day the student was simply present is a
    character of PresentDays instead (nine days in ten). Written in bulk by the importer only, which keeps each
    (student, day) in one place or the other, never both.

    The foreign keys have no database constraint: PostgreSQL checks one row at a time (three look-ups and row
    locks per row, at commit), which cost a year's import more than everything else together. The importer
    gives each row ids it read from the roster in the same transaction and locks those students and schools
    against deletion until it commits (Staging.merge), which is what the constraint's check did; deleting a
    student, school or district still removes their rows (Django's CASCADE, as for every foreign key here).
    """

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+", db_index=False,
                                 db_constraint=False)
    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="attendance",
                                db_index=False, db_constraint=False)
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, related_name="+", db_index=False,
                               db_constraint=False)
    day = models.DateField(_("date"))
    school_year = models.PositiveSmallIntegerField()  # the calendar year the school year starts in (July 1)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=40, blank=True, default="")
    minutes_present = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes_in_day = models.PositiveSmallIntegerField(null=True, blank=True)
    documentation_received_on = models.DateField(_("documentation received"), null=True, blank=True)
    documentation_kind = models.CharField(max_length=8, choices=DocumentKind.choices, blank=True, default="")
    updated_at = models.DateTimeField()

    class Meta:
        # One index on purpose: a district year is ~20 million rows, written in bulk. (student, day) is the merge's
        # conflict target and the evaluation's read order (a student's rows, by day); nothing reads by district.
        constraints = [models.UniqueConstraint(fields=["student", "day"], name="attendancerecord_unique")]

    def __str__(self) -> str:
        return f"student {self.student_id} {self.day}: {self.status}"


class PresentDays(models.Model):
    """The days one student was simply present at one school in one school year (status "present" and nothing else
    said): `days` has a character per day from July 1, "1" for such a day and "0" for any other.

    A district's year is 20 million rows, nine in ten of them plain presence: stored as rows, they cost an import
    more than everything else together, and the rules count them a month at a time anyway (classify.PlainDays).
    Written in bulk by the importer only (see AttendanceRecord); the foreign keys are unchecked for the same reason.
    """

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+", db_index=False,
                                 db_constraint=False)
    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="+", db_index=False,
                                db_constraint=False)
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, related_name="+", db_index=False,
                               db_constraint=False)
    school_year = models.PositiveSmallIntegerField()
    days = models.CharField(max_length=366)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "school_year", "school"],
                                               name="presentdays_unique")]

    def __str__(self) -> str:
        return f"student {self.student_id} at school {self.school_id} ({self.school_year}): {self.days.count('1')} days"


class AbsenceNote(models.Model):
    """A parent's or a medical note about one absence: recorded by staff, or sent by the family for staff to accept."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for staff")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Not accepted")

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="absence_notes")
    day = models.DateField(_("day of the absence"))
    kind = models.CharField(_("kind of note"), max_length=8, choices=DocumentKind.choices)
    received_on = models.DateField(_("received on"))
    text = models.TextField(_("note"), blank=True, default="")
    state = models.CharField(max_length=8, choices=State.choices, default=State.ACCEPTED)
    guardian = models.ForeignKey("roster.Guardian", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["student", "day"]), models.Index(fields=["district", "state"])]

    def __str__(self) -> str:
        return f"{self.kind} note for student {self.student_id} {self.day}"


class StudentAttendance(models.Model):
    """One student's year at one school as the rules count it; rewritten whenever the student's rows change.

    This, AttendanceMonth and AttendanceCheckpoint are written in bulk by the evaluation (evaluation.Summaries), a
    row per student, school and year or month: their foreign keys are unchecked by the database, as
    AttendanceRecord's are, and Summaries.write holds the students and schools it writes about instead (checked
    row by row at commit, a year's months alone took 3 million look-ups at 111,112 students).
    """

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+", db_index=False,
                                 db_constraint=False)
    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="attendance_years",
                                db_constraint=False)
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    school_year = models.PositiveSmallIntegerField()
    is_current = models.BooleanField(default=True)  # the school the student attended last this year
    days_enrolled = models.PositiveIntegerField(default=0)
    days_present = models.PositiveIntegerField(default=0)
    absences = models.PositiveIntegerField(default=0)
    excused = models.PositiveIntegerField(default=0)
    unexcused = models.PositiveIntegerField(default=0)
    disciplinary = models.PositiveIntegerField(default=0)
    tardies = models.PositiveIntegerField(default=0)
    early_dismissals = models.PositiveIntegerField(default=0)
    missing_documentation = models.PositiveIntegerField(default=0)
    at_risk = models.BooleanField(default=False)
    chronic = models.BooleanField(default=False)
    truant = models.BooleanField(default=False)
    truant_since = models.DateField(null=True, blank=True)
    first_day = models.DateField(null=True, blank=True)
    last_day = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "school", "school_year"],
                                               name="studentattendance_unique")]
        indexes = [models.Index(fields=["district", "school_year", "school"], name="attendance_summary_school")]

    def __str__(self) -> str:
        return f"student {self.student_id} at school {self.school_id} ({self.school_year})"

    @property
    def rate(self) -> float:
        return self.absences / self.days_enrolled if self.days_enrolled else 0.0


class AttendanceCheckpoint(models.Model):
    """Where a student's next evaluation may start: the counts after the last day whose outcome is settled.

    `basis` fingerprints the rules and the school calendars it was computed under; when either changes, the
    checkpoint no longer applies and the student's whole year is classified again. Unchecked foreign keys: see
    StudentAttendance.
    """

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+", db_index=False,
                                 db_constraint=False)
    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="+", db_index=False,
                                db_constraint=False)
    school_year = models.PositiveSmallIntegerField()
    settled_through = models.DateField()
    basis = models.CharField(max_length=64)
    state = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "school_year"], name="attendancecheckpoint_unique")]

    def __str__(self) -> str:
        return f"student {self.student_id} settled through {self.settled_through}"


class AttendanceMonth(models.Model):
    """Days enrolled and absences so far at the end of each month, for the trend on the dashboards. Unchecked
    foreign keys: see StudentAttendance."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+", db_index=False,
                                 db_constraint=False)
    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="+", db_index=False,
                                db_constraint=False)
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, related_name="+", db_index=False,
                               db_constraint=False)
    school_year = models.PositiveSmallIntegerField()
    month = models.DateField()  # the first of the month
    days_enrolled = models.PositiveIntegerField()
    absences = models.PositiveIntegerField()
    chronic = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "school", "month"], name="attendancemonth_unique")]
        indexes = [models.Index(fields=["district", "school_year", "school"], name="attendance_month_school")]

    def __str__(self) -> str:
        return f"student {self.student_id} {self.month:%Y-%m}"


class Threshold(models.TextChoices):
    AT_RISK = "at_risk", _("At risk (5% absent)")
    CHRONIC = "chronic", _("Chronically absent")
    TRUANT = "truant", _("Truant")


class ThresholdCrossing(models.Model):
    """The day a student first crossed a line this school year (kept when they later fall back below it)."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+", db_index=False)
    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, related_name="+")
    school_year = models.PositiveSmallIntegerField()
    threshold = models.CharField(max_length=8, choices=Threshold.choices)
    crossed_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "school_year", "threshold"],
                                               name="thresholdcrossing_unique")]
        # The dashboard's "crossed a threshold this week": a range of days within a district's year.
        indexes = [models.Index(fields=["district", "school_year", "crossed_on"], name="attendance_crossing_week")]

    def __str__(self) -> str:
        return f"student {self.student_id} {self.threshold} on {self.crossed_on}"


class TaskKind(models.TextChoices):
    PERSONAL_CONTACT = "personal_contact", _("Personal contact with the family")
    CASE_CONFERENCE = "case_conference", _("Case conference")
    FAMILY_MEETING = "family_meeting", _("Meeting with the family")
    TRUANCY_MEETING = "truancy_meeting", _("Truancy meeting with the family")
    COMMUNITY_REFERRAL = "community_referral", _("Referral to community resources")


class OutreachTask(models.Model):
    """A step of the school's outreach plan for one student; closed only by logging the contact it asks for."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="attendance_tasks")
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, related_name="+")
    school_year = models.PositiveSmallIntegerField()
    threshold = models.CharField(max_length=8, choices=Threshold.choices)
    kind = models.CharField(_("task"), max_length=24, choices=TaskKind.choices)
    assigned_to = models.ForeignKey("roster.Staff", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="attendance_tasks")
    due_on = models.DateField(_("due"))
    escalate_to_role = models.CharField(max_length=32, blank=True, default="")
    escalated_to = models.ForeignKey("roster.Staff", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="escalated_attendance_tasks")
    escalated_at = models.DateTimeField(null=True, blank=True)
    contact = models.ForeignKey("contacts.ContactLog", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["student", "school_year", "kind"],
                                               name="outreachtask_unique")]
        indexes = [models.Index(fields=["assigned_to", "closed_at"]), models.Index(fields=["escalated_to",
                                                                                          "closed_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for student {self.student_id}"


class AttendanceNotice(models.Model):
    """The day-of notice for one unexcused absence: written with the import, sent after it commits."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+", db_index=False)
    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    message = models.ForeignKey("messaging.Message", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "day"], name="attendancenotice_unique")]
        indexes = [models.Index(fields=["district", "sent_at"], name="attendance_notice_due")]

    def __str__(self) -> str:
        return f"notice for student {self.student_id} {self.day}"


class AttendanceImportRun(models.Model):
    """One attendance file: what changed and every problem found (check-only runs are not recorded)."""

    class Result(models.TextChoices):
        APPLIED = "applied", _("Applied")
        REJECTED = "rejected", _("Rejected")
        UNCHANGED = "unchanged", _("No changes")

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    source_name = models.CharField(max_length=255)
    result = models.CharField(max_length=16, choices=Result.choices)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.result})"


class DistrictRules(models.Model):
    """A district's adjustments to the shipped Connecticut rules (same keys as data/connecticut.json)."""

    district = models.OneToOneField("roster.District", on_delete=models.CASCADE, related_name="+")
    overrides = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"attendance rules of district {self.district_id}"


class OutreachPlan(models.Model):
    """A district's (school empty) or one school's outreach tiers, laid over data/outreach.json."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    tiers = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["district", "school"], name="outreachplan_unique")]

    def __str__(self) -> str:
        return f"outreach plan {self.district_id}/{self.school_id or '-'}"


class AttendanceFigures(models.Model):
    """The dashboards' counts for one school (or the district: school empty) and year, refreshed after each
    import or note, so a dashboard reads one row however large the district."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    school_year = models.PositiveSmallIntegerField()
    figures = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["district", "school_year", "school"], name="attendance_figures_lookup")]

    def __str__(self) -> str:
        return f"figures {self.district_id}/{self.school_id or '-'} {self.school_year}"
