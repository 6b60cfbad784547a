"""Shared steps of the account tests in tests/security (a helper module, not a conftest: others share the folder)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory
ROOT = Path(__file__).resolve().parents[2]
HOMEROOM = [sys.executable, "-m", "homeroom.cli"]


def client_from(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def password_login(client: Client, email: str, password: str = PASSWORD, **extra: Any):
    return client.post(reverse("account_login"), {"login": email, "password": password, **extra})


def signed_in_user(client: Client):
    return client.get(reverse("home")).wsgi_request.user  # not /healthz: it never loads the user


def enrol_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def sign_in_code(body: str) -> str | None:
    match = re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", body)
    return match.group(1) if match else None


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a production process: debug off, a secret key, HTTPS, real email and SMS providers."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HOMEROOM_", "TWILIO_", "EMAIL_", "REDIS_URL", "DATABASE_URL", "DJANGO_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "homeroom.settings",
        "HOMEROOM_SECRET_KEY": "x7Gq2-production-like-secret-key-for-tests-only-9fK3LmN0pQrS4tUvW8yZ",
        "HOMEROOM_ALLOWED_HOSTS": "homeroom.example.org",
        "HOMEROOM_SITE_URL": "https://homeroom.example.org",
        "HOMEROOM_CSRF_TRUSTED_ORIGINS": "https://homeroom.example.org",
        "HOMEROOM_SECURE_COOKIES": "1",
        "HOMEROOM_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
        "TWILIO_AUTH_TOKEN": "not-a-real-token",
        "TWILIO_FROM_NUMBER": "+12035550100",
    })
    env.update(overrides)
    return {k: v for k, v in env.items() if v != ""}
