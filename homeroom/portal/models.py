"""Family portal records: child profiles, section notes, documents, feedback and shipped guidance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChildProfile(models.Model):
    """'Getting to Know My Child': written by the family, belongs to the student (carried to next year)."""

    student = models.OneToOneField("roster.Student", on_delete=models.CASCADE, related_name="family_profile")
    strengths = models.TextField(_("strengths"), blank=True, default="")
    interests = models.TextField(_("interests"), blank=True, default="")
    what_helps = models.TextField(_("what helps"), blank=True, default="")
    worries = models.TextField(_("what worries them"), blank=True, default="")
    health_routines = models.TextField(_("health and routines to share"), blank=True, default="")
    contact_wishes = models.TextField(_("how our family wants to be contacted"), blank=True, default="")
    shared_with_teachers = models.BooleanField(_("share with my child's teachers"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    TEXT_FIELDS = ("strengths", "interests", "what_helps", "worries", "health_routines", "contact_wishes")

    def __str__(self) -> str:
        return f"Profile of student {self.student_id}"

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in self.TEXT_FIELDS)


class SectionNote(models.Model):
    """A teacher's 'what we're working on this week' note for one class."""

    section = models.ForeignKey("roster.Section", on_delete=models.CASCADE, related_name="family_notes")
    author = models.ForeignKey("roster.Staff", on_delete=models.SET_NULL, null=True, related_name="+")
    week_of = models.DateField(_("week of"))
    body = models.TextField(_("what we're working on"))
    public = models.BooleanField(default=False)  # also shown on the school's public page (website)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week_of", "-created_at"]
        indexes = [models.Index(fields=["section", "-week_of"])]

    def __str__(self) -> str:
        return f"{self.section_id} {self.week_of}"


class DocumentKind(models.TextChoices):
    LETTER = "letter", _("Letter")
    INVITATION = "invitation", _("Meeting invitation")
    PACKET = "packet", _("Packet")
    PROGRESS_REPORT = "progress_report", _("Progress report")
    OTHER = "other", _("Document")


class FamilyDocument(models.Model):
    """A file addressed to a family; served only through a scope-checking view, never a public URL."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices, default=DocumentKind.LETTER)
    language = models.CharField(_("language"), max_length=35, default="en")
    file = models.FileField(upload_to="family-documents/%Y/%m/")
    student = models.ForeignKey(
        "roster.Student", on_delete=models.CASCADE, null=True, blank=True, related_name="family_documents"
    )
    guardians = models.ManyToManyField("roster.Guardian", related_name="family_documents")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Feedback(models.Model):
    """'Tell the school how we're doing': read by the school's partnership team (principal, district)."""

    class Rating(models.IntegerChoices):
        VERY_WELL = 4, _("Very well")
        WELL = 3, _("Well")
        NOT_SO_WELL = 2, _("Not so well")
        POORLY = 1, _("Poorly")

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("roster.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    guardian = models.ForeignKey(
        "roster.Guardian", on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(_("how are we doing?"), choices=Rating.choices, null=True, blank=True)
    body = models.TextField(_("your message"))
    language = models.CharField(max_length=35, default="en")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Feedback {self.pk}"


class GuideKind(models.TextChoices):
    EXPECTATION = "expectation", _("Expectations")
    RESOURCE = "resource", _("Resources")


class GuideEntry(models.Model):
    """Expectations and resources in one language; shipped rows have no district, a district may add its own."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=16, choices=GuideKind.choices)
    key = models.SlugField(max_length=80)
    topic = models.CharField(max_length=32, blank=True, default="")  # attendance, learning, support
    language = models.CharField(max_length=35, default="en")
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True, default="")
    url = models.URLField(blank=True, default="")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]
        verbose_name_plural = "guide entries"
        constraints = [
            models.UniqueConstraint(fields=["district", "kind", "key", "language"], name="guideentry_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class GlossaryTerm(models.Model):
    """A school or special-education term in one language; shipped rows have no district."""

    district = models.ForeignKey("roster.District", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    key = models.SlugField(max_length=80)
    language = models.CharField(max_length=35, default="en")
    term = models.CharField(_("term"), max_length=255)
    definition = models.TextField(_("definition"))

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["district", "key", "language"], name="glossaryterm_unique"),
        ]

    def __str__(self) -> str:
        return self.term
