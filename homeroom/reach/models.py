"""Summary tables for the reach page, kept up to date incrementally by `homeroom.reach.refresh`.

Nothing here is a source of truth: every row can be recomputed from messaging's deliveries and conversations,
the contact log and the roster (`refresh.recompute`). The page reads only these tables.
"""

from __future__ import annotations

from django.db import models


class FamilyReach(models.Model):
    """One student's family: who they are (copied from the roster for grouping) and when they were last reached.

    Timestamps cover the last 13 months of contacts; empty means none in that time.
    """

    student = models.OneToOneField("roster.Student", on_delete=models.CASCADE, primary_key=True, related_name="+")
    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    is_active = models.BooleanField(default=True)
    grade = models.CharField(max_length=8, blank=True, default="")
    language = models.CharField(max_length=35, blank=True, default="")  # the family's language (BCP 47)
    english_learner = models.BooleanField(default=False)
    special_education = models.BooleanField(default=False)  # an IEP
    free_reduced_meals = models.BooleanField(default=False)
    race = models.CharField(max_length=40, blank=True, default="")  # one reporting group (see refresh.race_group)
    last_reached_at = models.DateTimeField(null=True, blank=True)
    last_two_way_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # The last attempt in the family's own language (for an English-speaking family: any attempt).
    last_in_language_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField()
    # The not-reached list's indexes ((district or school, last contact NULLS FIRST, student), for either view) are
    # created by the migration per database: SQLite has no NULLS FIRST in an index (its NULLs sort first anyway).

    def __str__(self) -> str:
        return f"family of student {self.student_id}"


class FamilyReachMonth(models.Model):
    """A calendar month in which a student's family was reached (two_way: by a two-way contact)."""

    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    month = models.DateField()  # the first day of the month
    two_way = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "month"], name="reach_month_unique")]
        indexes = [models.Index(fields=["school", "month"], name="reach_month_school")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.month:%Y-%m}"


class ReachMonthCount(models.Model):
    """Per school and month: families reached (any way / two-way). Rebuilt for the (school, month) pairs a
    refresh touched, from FamilyReachMonth."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    month = models.DateField()
    reached = models.PositiveIntegerField(default=0)
    two_way = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["district", "school", "month"], name="reach_count_unique")]

    def __str__(self) -> str:
        return f"{self.school_id} {self.month:%Y-%m}: {self.reached}"


class ReachWatermark(models.Model):
    """How far the incremental refresh has read the base tables (one row, name "events")."""

    name = models.CharField(max_length=32, unique=True)
    at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.at}"
