"""Users, staff roles, the FERPA access log and the development outbox."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class HomeroomUserManager(UserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **extra):  # type: ignore[override]
        email = self.normalize_email(email)
        extra.setdefault("username", email.lower())
        user = self.model(email=email, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):  # type: ignore[override]
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in: a staff member, a guardian, or both."""

    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(_("language"), max_length=35, blank=True, default="")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[HomeroomUserManager] = HomeroomUserManager()  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("District administrator")
    PRINCIPAL = "principal", _("Principal")
    TEACHER = "teacher", _("Teacher")
    CASE_MANAGER = "case_manager", _("Case manager")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    STAFF = "staff", _("School staff")


class AccessLog(models.Model):
    """FERPA record of access: who looked at which student's record, when, and what."""

    # No user only for a read without an account (a family's signed booking link); `via` then says how.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                             blank=True)
    student = models.ForeignKey("roster.Student", on_delete=models.CASCADE, related_name="access_log")
    action = models.CharField(max_length=64)
    via = models.CharField(max_length=64, blank=True, default="")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["student", "at"])]
        ordering = ["-at"]

    def __str__(self) -> str:
        # Primary keys only: this string can end up in logs, which must not carry student names.
        viewer = f"user {self.user_id}" if self.user_id else f"no account ({self.via})"
        return f"{viewer} {self.action} student {self.student_id} at {self.at:%Y-%m-%d %H:%M}"


class OutboxEntry(models.Model):
    """What the development providers would have sent (email, SMS, voice): the embedded default."""

    channel = models.CharField(max_length=16, db_index=True)
    to = models.CharField(max_length=320)
    subject = models.CharField(max_length=998, blank=True, default="")
    body = models.TextField()
    meta = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} to {self.to}"
