"""Email through Django's backends: SMTP by default, anymail (SES, Postmark, SendGrid, Mailgun) by setting."""

from __future__ import annotations

import contextlib
import smtplib
from typing import TYPE_CHECKING, Any

from anymail.exceptions import (
    AnymailAPIError,
    AnymailConfigurationError,
    AnymailInvalidAddress,
    AnymailRecipientsRefused,
    AnymailSerializationError,
    AnymailUnsupportedFeature,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import BadHeaderError, EmailMultiAlternatives, get_connection
from django.utils.crypto import salted_hmac

from homeroom.core.models import OutboxEntry
from homeroom.messaging.channels.base import Fault, Outgoing, Transport, TransportError

if TYPE_CHECKING:
    from homeroom.messaging.rendering import Rendered

DELIVERY_HEADER = "X-Homeroom-Delivery"
HMAC_SALT = "homeroom.messaging.email-reply"


def reply_token(delivery_id: int) -> str:
    mac = salted_hmac(HMAC_SALT, str(delivery_id), algorithm="sha256").hexdigest()[:24]
    return f"d{delivery_id}-{mac}"


def reply_address(delivery_id: int) -> str:
    """The Reply-To of one delivery's email: `reply+<token>@MESSAGING_EMAIL_DOMAIN`.

    MESSAGING_REPLY_TO may give another shape with a `{token}` placeholder (e.g. `answers+{token}@school.org`);
    a fixed address there (no placeholder) is used as it is, and replies are then matched by their headers.
    """
    template = settings.MESSAGING_REPLY_TO or "reply+{token}@" + settings.MESSAGING_EMAIL_DOMAIN
    return template.replace("{token}", reply_token(delivery_id))


def email_backend_path() -> str:
    return settings.MESSAGING_EMAIL_BACKEND or settings.EMAIL_BACKEND


def message_id_for(delivery: Outgoing) -> str:
    """The Message-ID of a delivery's email, the same on every attempt: a mailbox that already holds a
    resent copy (after a crash) can recognise it, and the id is known again without asking anyone."""
    return f"<{delivery.idempotency_key}@{settings.MESSAGING_EMAIL_DOMAIN}>"


# SMTP replies about the recipient's mailbox (RFC 3463 X.1.x address status, X.2.1 mailbox disabled).
SMTP_ADDRESS_STATUS = (b"5.1.", b"5.2.1")
SMTP_AUTH_CODES = {530, 534, 535, 538}


def _smtp_reply_fault(code: int, text: bytes) -> str:
    if 400 <= code < 500:
        return Fault.TRANSIENT
    if code in SMTP_AUTH_CODES or (b"5.7." in text and b"relay" in text.lower()):
        return Fault.PROVIDER  # our server wants a login, or will not relay for us: the district's setup
    if any(status in text for status in SMTP_ADDRESS_STATUS) or code in (550, 551, 553):
        return Fault.RECIPIENT
    return Fault.MESSAGE


def _describe(exc: BaseException) -> str:
    try:
        return str(exc)[:250] or type(exc).__name__
    except Exception:  # some providers' errors cannot describe themselves without their HTTP response
        return type(exc).__name__


def email_fault(exc: BaseException) -> str:
    """Whose fault a failed hand-over is: an ESP's or SMTP server's auth/config error is the district's,
    a refused recipient counts against the address, a message that cannot be built fails only itself."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        faults = {_smtp_reply_fault(code, text) for code, text in exc.recipients.values()} or {Fault.TRANSIENT}
        for fault in (Fault.PROVIDER, Fault.TRANSIENT, Fault.MESSAGE):
            if fault in faults:
                return fault
        return Fault.RECIPIENT
    if isinstance(exc, smtplib.SMTPAuthenticationError | smtplib.SMTPSenderRefused | smtplib.SMTPNotSupportedError):
        return Fault.PROVIDER
    if isinstance(exc, smtplib.SMTPResponseException):
        return _smtp_reply_fault(exc.smtp_code, exc.smtp_error if isinstance(exc.smtp_error, bytes) else b"")
    if isinstance(exc, AnymailRecipientsRefused | AnymailInvalidAddress):
        return Fault.RECIPIENT
    if isinstance(exc, AnymailConfigurationError | ImproperlyConfigured):
        return Fault.PROVIDER
    if isinstance(exc, AnymailAPIError):
        status = exc.status_code or 0
        if status in (401, 403):
            return Fault.PROVIDER
        if status == 429:
            return Fault.THROTTLED
        return Fault.MESSAGE if 400 <= status < 500 else Fault.TRANSIENT
    if isinstance(exc, AnymailUnsupportedFeature | AnymailSerializationError | BadHeaderError | UnicodeError):
        return Fault.MESSAGE
    return Fault.TRANSIENT


class EmailTransport(Transport):
    channel = "email"

    def __init__(self) -> None:
        self.connection: Any = None
        self.open_error: Exception | None = None

    def provider_key(self) -> str:
        return "email"

    def open(self) -> None:
        self.connection = get_connection(email_backend_path(), fail_silently=False)
        try:
            self.connection.open()  # an SMTP server's login happens here
        except Exception as exc:
            # Raised on the first send instead, where each delivery's failure is recorded.
            self.open_error = exc
            self.connection = None

    def close(self) -> None:
        if self.connection is not None:
            # Closing a broken connection must not lose the batch's recorded results.
            with contextlib.suppress(Exception):
                self.connection.close()

    def send(self, delivery: Outgoing, rendered: Rendered) -> str:
        if self.connection is None and self.open_error is None:
            self.open()
        if self.open_error is not None:
            error, self.open_error = self.open_error, None  # the next send tries to connect again
            raise TransportError(_describe(error), fault=email_fault(error)) from error
        message_id = message_id_for(delivery)
        # Django refuses these when it builds the MIME; an ESP backend builds none, so every backend is held to it.
        values = [rendered.subject, delivery.address, *(value for _name, value in rendered.headers)]
        if any("\n" in value or "\r" in value for value in values):
            raise TransportError("the email could not be built: a header value contains a newline",
                                 fault=Fault.MESSAGE)
        # Django's own message; anymail's ESP backends read the same attributes.
        email = EmailMultiAlternatives(
            subject=rendered.subject,
            body=rendered.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[delivery.address],
            reply_to=[reply_address(delivery.pk)],  # family replies thread into the conversation
            headers={"Message-ID": message_id, DELIVERY_HEADER: delivery.idempotency_key, **dict(rendered.headers)},
        )
        # anymail passes these to the ESP and returns them in its tracking webhooks.
        email.metadata = {"delivery": delivery.idempotency_key}  # type: ignore[attr-defined]
        email.tags = [f"message-{delivery.message_id}"]  # type: ignore[attr-defined]
        try:
            sent = self.connection.send_messages([email])
        except Exception as exc:
            raise TransportError(_describe(exc), fault=email_fault(exc)) from exc
        if not sent:
            raise TransportError("the email backend sent nothing")
        status = getattr(email, "anymail_status", None)
        # An ESP's own id when it gave one (anymail), else ours; some ESPs' ids are not strings.
        return str(getattr(status, "message_id", None) or message_id)[:120]

    def probe(self) -> None:
        """Log in to the email server (SMTP); an ESP's API has no such call, so its next send tells."""
        connection = get_connection(email_backend_path(), fail_silently=False)
        try:
            connection.open()
        except Exception as exc:
            raise TransportError(_describe(exc), fault=email_fault(exc)) from exc
        with contextlib.suppress(Exception):
            connection.close()

    @property
    def recoverable(self) -> bool:
        # Only the dev outbox can be asked afterwards; an SMTP server or ESP cannot, so each email's attempt
        # row is written as soon as it is handed over (a crash can then duplicate at most the one in flight).
        return "DevOutbox" in email_backend_path()

    def already_sent(self, delivery: Outgoing, rendered: Rendered) -> str | None:
        if not self.recoverable:
            return None
        entry = (OutboxEntry.objects.filter(channel="email", meta__delivery=delivery.idempotency_key)
                 .values_list("pk", flat=True).first())
        return None if entry is None else f"outbox-{entry}"
