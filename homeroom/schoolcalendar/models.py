"""School years and closures: the calendar every "school days" rule counts on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolCalendar(models.Model):
    """One school year's first and last day, for the whole district (school empty) or one school."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        "roster.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("school"),
    )
    label = models.CharField(_("school year"), max_length=32)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="calendar_dates"),
        ]

    def __str__(self) -> str:
        return self.label


class Closure(models.Model):
    """Days without school (holidays, breaks, storm days), district-wide (school empty) or for one school."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        "roster.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("school"),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date"]
        indexes = [models.Index(fields=["district", "start_date"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="closure_dates"),
        ]

    def __str__(self) -> str:
        return self.reason or str(self.start_date)
