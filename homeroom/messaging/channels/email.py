"""Email through Django's backends: SMTP by default, anymail (SES, Postmark, SendGrid, Mailgun) by setting."""

from __future__ import annotations

import contextlib
import copy
import smtplib
from email.message import Message
from email.utils import formatdate
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


def message_id_for(delivery: Delivery) -> str:
    """The Message-ID of a delivery's email, the same on every attempt: a mailbox that already holds a
    resent copy (after a crash) can recognise it, and the id is known again without asking anyone."""
    return f"<{delivery.idempotency_key}@{settings.MESSAGING_EMAIL_DOMAIN}>"


class PreparedEmail(EmailMultiAlternatives):
    """An email whose MIME body and fixed headers were encoded once for every recipient of one rendering.

    Django's `message()` encodes the body and subject again for each family; here it copies the shared MIME
    and adds only the recipient's own headers (still through Django's header checks). Backends that read
    the attributes instead (anymail's ESPs) see an ordinary EmailMultiAlternatives.
    """

    def __init__(self, *, shared: Message, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shared = shared

    def message(self, **_kwargs: Any) -> Any:
        msg = copy.copy(self.shared)
        msg._headers = list(self.shared._headers)  # type: ignore[attr-defined]  # the copy's own header list
        for name, values in (("To", self.to), ("Reply-To", self.reply_to)):
            if values:
                msg[name] = ", ".join(str(v) for v in values)
        msg["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
        for name, value in self.extra_headers.items():
            msg[name] = value
        return msg

    def __deepcopy__(self, memo: dict[int, Any]) -> PreparedEmail:
        memo[id(self.shared)] = self.shared  # never changed after it is built: every copy may share it
        clone = object.__new__(type(self))
        memo[id(self)] = clone
        clone.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return clone


def shared_mime(rendered: Rendered) -> Message:
    """The MIME every recipient of `rendered` gets: body, subject and sender, without per-family headers."""
    msg = EmailMultiAlternatives(subject=rendered.subject, body=rendered.text,
                                 from_email=settings.DEFAULT_FROM_EMAIL).message()
    for name in ("Date", "Message-ID"):
        del msg[name]
    return msg


class EmailTransport(Transport):
    channel = "email"

    def __init__(self) -> None:
        self.connection: Any = None
        self.shared: dict[int, tuple[Rendered, Message]] = {}  # by id(rendered); the pair keeps the id alive

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
        message_id = message_id_for(delivery)
        if id(rendered) not in self.shared:
            self.shared[id(rendered)] = (rendered, shared_mime(rendered))
        email = PreparedEmail(
            shared=self.shared[id(rendered)][1],
            subject=rendered.subject,
            body=rendered.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[delivery.address],
            reply_to=[reply_address(delivery.pk)],  # family replies thread into the conversation
            headers={"Message-ID": message_id, DELIVERY_HEADER: delivery.idempotency_key},
        )
        # anymail passes these to the ESP and returns them in its tracking webhooks.
        email.metadata = {"delivery": delivery.idempotency_key}  # type: ignore[attr-defined]
        email.tags = [f"message-{delivery.message_id}"]  # type: ignore[attr-defined]
        try:
            sent = self.connection.send_messages([email])
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
        # An ESP's own id when it gave one (anymail), else ours; some ESPs' ids are not strings.
        return str(getattr(status, "message_id", None) or message_id)[:120]

    @property
    def recoverable(self) -> bool:
        # Only the dev outbox can be asked afterwards; an SMTP server or ESP cannot, so the batch's mark
        # moves past each email as soon as it is handed over (a crash can then duplicate at most the one
        # in flight).
        return "DevOutbox" in email_backend_path()

    def handed_over_id(self, delivery: Delivery) -> str:
        return message_id_for(delivery)

    def already_sent(self, delivery: Delivery, rendered: Rendered) -> str | None:
        if not self.recoverable:
            return None
        entry = (OutboxEntry.objects.filter(channel="email", meta__delivery=delivery.idempotency_key)
                 .values_list("pk", flat=True).first())
        return None if entry is None else f"outbox-{entry}"
