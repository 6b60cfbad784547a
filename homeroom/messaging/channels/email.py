"""Email through Django's backends: SMTP by default, anymail (SES, Postmark, SendGrid, Mailgun) by setting."""

from __future__ import annotations

import contextlib
import smtplib
from email.utils import make_msgid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from homeroom.core.models import OutboxEntry
from homeroom.messaging.channels.base import Transport, TransportError
from homeroom.messaging.email_replies import reply_address

if TYPE_CHECKING:
    from homeroom.messaging.models import Delivery
    from homeroom.messaging.rendering import Rendered

DELIVERY_HEADER = "X-Homeroom-Delivery"


def email_backend_path() -> str:
    return settings.MESSAGING_EMAIL_BACKEND or settings.EMAIL_BACKEND


class EmailTransport(Transport):
    channel = "email"

    def __init__(self) -> None:
        self.connection: Any = None

    def open(self) -> None:
        self.connection = get_connection(email_backend_path(), fail_silently=False)
        self.connection.open()

    def close(self) -> None:
        if self.connection is not None:
            # Closing a broken connection must not lose the batch's recorded results.
            with contextlib.suppress(Exception):
                self.connection.close()

    def send(self, delivery: Delivery, rendered: Rendered) -> str:
        if self.connection is None:
            self.open()
        message_id = make_msgid(idstring=delivery.idempotency_key, domain=settings.MESSAGING_EMAIL_DOMAIN)
        email = EmailMultiAlternatives(
            subject=rendered.subject,
            body=rendered.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[delivery.address],
            reply_to=[reply_address(delivery.pk)],  # family replies thread into the conversation
            headers={"Message-ID": message_id, DELIVERY_HEADER: delivery.idempotency_key},
            connection=self.connection,
        )
        # anymail passes these to the ESP and returns them in its tracking webhooks.
        email.metadata = {"delivery": delivery.idempotency_key}  # type: ignore[attr-defined]
        email.tags = [f"message-{delivery.message_id}"]  # type: ignore[attr-defined]
        try:
            sent = email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise TransportError(str(exc)[:250], permanent=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransportError(str(exc)[:250]) from exc
        except Exception as exc:
            # anymail raises its own errors; a rejected recipient is permanent, the rest may pass.
            permanent = type(exc).__name__ == "AnymailRecipientsRefused"
            raise TransportError(str(exc)[:250], permanent=permanent) from exc
        if not sent:
            raise TransportError("the email backend sent nothing")
        status = getattr(email, "anymail_status", None)
        return (getattr(status, "message_id", None) or message_id)[:120]

    @property
    def recoverable(self) -> bool:
        # Only the dev outbox can be asked afterwards; an SMTP server or ESP cannot, so each email is
        # recorded as soon as it is handed over (a crash can then duplicate at most the one in flight).
        return "DevOutbox" in email_backend_path()

    def already_sent(self, delivery: Delivery, rendered: Rendered) -> str | None:
        if not self.recoverable:
            return None
        entry = (OutboxEntry.objects.filter(channel="email", meta__delivery=delivery.idempotency_key)
                 .values_list("pk", flat=True).first())
        return None if entry is None else f"outbox-{entry}"
