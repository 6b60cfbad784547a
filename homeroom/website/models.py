"""The district's public content: files families download, community places, announcements, what to publish."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceCategory(models.TextChoices):
    CHILD_GUIDANCE = "child_guidance", _("Child guidance clinics")
    PARENTING = "parenting", _("Parenting programs")
    RECREATION = "recreation", _("Recreation")
    HOMEWORK_HELP = "homework_help", _("Homework help")
    SPECIAL_EDUCATION = "special_education", _("Special education support")
    HEALTH = "health", _("Health")
    FOOD_HOUSING = "food_housing", _("Food and housing")
    COMPUTER_ACCESS = "computer_access", _("Computers and internet")
    OTHER = "other", _("Other")


class CommunityResource(models.Model):
    """A place or program near the district families can use; the description is kept per language."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("category"), max_length=24, choices=ResourceCategory.choices)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=255, blank=True, default="")
    hours = models.CharField(_("hours"), max_length=255, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    url = models.URLField(_("website"), blank=True, default="")
    languages = models.JSONField(_("languages served"), default=list, blank=True)  # interface codes
    descriptions = models.JSONField(default=dict, blank=True)  # {language: text}
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "name"]
        indexes = [models.Index(fields=["district", "category"])]

    def __str__(self) -> str:
        return self.name

    def description(self, language: str, fallback: str = "en") -> str:
        text: Any = self.descriptions.get(language) or self.descriptions.get(fallback) or ""
        return str(text)


class FileKind(models.TextChoices):
    HANDBOOK = "handbook", _("Handbook")
    POLICY = "policy", _("District policy")


class PublicFile(models.Model):
    """A handbook or policy the district uploads, one file per language (rows share a `key`)."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=FileKind.choices)
    key = models.SlugField(_("short name"), max_length=80)
    language = models.CharField(_("language"), max_length=35)
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(upload_to="public-files/%Y/")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "title"]
        constraints = [
            models.UniqueConstraint(fields=["district", "key", "language"], name="publicfile_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Announcement(models.Model):
    """A public event or notice the district or a school posts (until a partnership-programs app lists events)."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    starts_on = models.DateField(_("date"))
    time = models.CharField(_("time"), max_length=60, blank=True, default="")
    place = models.CharField(_("place"), max_length=255, blank=True, default="")
    titles = models.JSONField(default=dict, blank=True)  # {language: text}
    bodies = models.JSONField(default=dict, blank=True)  # {language: text}
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on"]
        indexes = [models.Index(fields=["district", "starts_on"])]

    def __str__(self) -> str:
        return str(self.titles.get("en") or next(iter(self.titles.values()), ""))

    def title(self, language: str, fallback: str = "en") -> str:
        return str(self.titles.get(language) or self.titles.get(fallback) or next(iter(self.titles.values()), ""))

    def body(self, language: str, fallback: str = "en") -> str:
        return str(self.bodies.get(language) or self.bodies.get(fallback) or "")


class ReachFigure(models.TextChoices):
    OVERALL = "overall", _("All families")
    LANGUAGE = "language", _("By home language")
    GRADE = "grade", _("By grade")
    ENGLISH_LEARNER = "english_learner", _("English learners")
    SPECIAL_EDUCATION = "special_education", _("Special education")


class PublicationSettings(models.Model):
    """What the district's public pages say beyond the roster: the central office and the figures it publishes."""

    district = models.OneToOneField("roster.District", on_delete=models.CASCADE, related_name="+")
    office_address = models.CharField(_("central office address"), max_length=255, blank=True, default="")
    office_phone = models.CharField(_("central office phone"), max_length=40, blank=True, default="")
    office_email = models.EmailField(_("central office email"), blank=True, default="")
    office_hours = models.CharField(_("central office hours"), max_length=255, blank=True, default="")
    reach_figures = models.JSONField(_("reach figures to publish"), default=list, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Publication settings of district {self.district_id}"
