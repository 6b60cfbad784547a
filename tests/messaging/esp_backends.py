"""Email backends that fail the way real providers do, for the pause and bounce tests."""

from __future__ import annotations

import smtplib
from typing import Any

from anymail.backends.test import EmailBackend as AnymailTestBackend
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.core.mail.backends.base import BaseEmailBackend


class RefusedKeyBackend(AnymailTestBackend):
    """An ESP that answers 401: the district's API key is wrong."""

    def post_to_esp(self, payload: Any, message: Any) -> Any:
        error = AnymailAPIError("Unauthorized: the API key is not valid")
        error.status_code = 401  # as anymail's requests-based backends set it from the response
        raise error


class RenamedRecipientsRefused(AnymailRecipientsRefused):
    """A refused recipient under another class name: recognised by its type, not by its name."""


class RejectingBackend(AnymailTestBackend):
    """An ESP that rejects every recipient (a hard bounce at send time)."""

    def post_to_esp(self, payload: Any, message: Any) -> Any:
        raise RenamedRecipientsRefused("All message recipients were rejected")


class LoginRefusedSmtpBackend(BaseEmailBackend):
    """An SMTP server that refuses our login (535): the district's password is wrong."""

    def open(self) -> bool:
        raise smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication credentials invalid")

    def send_messages(self, email_messages: Any) -> int:
        self.open()
        return 0
