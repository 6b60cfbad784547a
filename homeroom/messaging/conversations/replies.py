"""Email replies from families: the per-delivery Reply-To address, and threading replies into their conversation."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from email.message import EmailMessage, Message
from email.utils import getaddresses

from django.utils.crypto import constant_time_compare
from django.utils.html import strip_tags

from homeroom.messaging.channels.email import reply_token
from homeroom.messaging.conversations.threads import conversation_record_inbound
from homeroom.messaging.models import ConversationEntry, Delivery

logger = logging.getLogger(__name__)
# Lower-case hex only: some mail servers lower-case the local part of an address.
TOKEN = re.compile(r"(?<![0-9a-z])d(\d{1,12})-([0-9a-f]{24})@", re.IGNORECASE)
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "X-Forwarded-To")
MAX_BODY = 10_000
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}


def _delivery_from_addresses(addresses: Iterable[str]) -> Delivery | None:
    for address in addresses:
        for match in TOKEN.finditer(address or ""):
            delivery_id, mac = int(match[1]), match[2].lower()
            if constant_time_compare(f"d{delivery_id}-{mac}", reply_token(delivery_id)):
                return Delivery.objects.filter(pk=delivery_id, channel="email").first()
    return None


def _delivery_from_headers(message: Message) -> Delivery | None:
    """Fallback when the token is lost (a fixed Reply-To, a forwarding rule): the Message-ID we sent.

    A Message-ID travels in quoted mail more easily than the reply address, so the reply must also come
    from the address the delivery went to.
    """
    ids = re.findall(r"<[^<>\s]+>", " ".join(str(message.get(h, "")) for h in ("In-Reply-To", "References")))
    if not ids:
        return None
    senders = {address.lower() for _name, address in getaddresses([str(message.get("From", ""))]) if address}
    for delivery in Delivery.objects.filter(channel="email", provider_id__in=ids[-20:]).order_by("-id"):
        if delivery.address.lower() in senders:
            return delivery
    return None


def _header_values(message: Message, names: Iterable[str]) -> list[str]:
    return [str(value) for name in names for value in (message.get_all(name) or [])]


def _is_automatic(message: Message) -> bool:
    """Out-of-office answers and the like must not fill the staff inbox."""
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return auto != "no" or precedence in AUTOMATIC_PRECEDENCE or "X-Autoreply" in message


def _body_text(message: Message) -> str:
    part: Message | None = None
    if isinstance(message, EmailMessage):
        part = message.get_body(preferencelist=("plain", "html"))
    else:  # a message parsed with the legacy policy
        part = next((p for p in message.walk() if p.get_content_type() in {"text/plain", "text/html"}), None)
    if part is None:
        return ""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    text = payload.decode(part.get_content_charset() or "utf-8", errors="replace")
    if part.get_content_type() == "text/html":
        text = strip_tags(re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", text))
    return text


# Where the quoted history or the signature starts (English and Spanish mail programs).
ATTRIBUTION = re.compile(r"^\s*(On|El)\s.*\b(wrote|escribió)\s*:\s*$", re.IGNORECASE)
ATTRIBUTION_START = re.compile(r"^\s*(On|El)\s", re.IGNORECASE)
ATTRIBUTION_END = re.compile(r"\b(wrote|escribió)\s*:\s*$", re.IGNORECASE)
CUT_LINE = re.compile(
    r"^\s*(>"
    r"|-{2,}\s*(Original Message|Mensaje original)\s*-{2,}"
    r"|_{10,}\s*$"
    r"|-- ?$"
    r"|(Sent from my|Enviado desde mi|Get Outlook for|Obtener Outlook para)\b)",
    re.IGNORECASE,
)
OUTLOOK_HEADER = re.compile(r"^\s*(From|De):\s", re.IGNORECASE)
OUTLOOK_NEXT = re.compile(r"^\s*(Sent|Enviado|Date|Fecha|To|Para):\s", re.IGNORECASE)


def strip_quoted(text: str) -> str:
    """The new part of a reply: everything before the quoted history or the signature."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if (
            CUT_LINE.match(line)
            or ATTRIBUTION.match(line)
            # "On Mon, 3 Mar 2025 at 10:00, Main office <x@y>\nwrote:" wrapped over two lines
            or (ATTRIBUTION_START.match(line) and ATTRIBUTION_END.search(following)
                and not ATTRIBUTION_START.match(following))
            or (OUTLOOK_HEADER.match(line) and OUTLOOK_NEXT.match(following))
        ):
            lines = lines[:i]
            break
    return "\n".join(lines).strip()[:MAX_BODY]


def email_reply_receive(*, message: Message, recipients: Iterable[str] = ()) -> ConversationEntry | None:
    """Thread one inbound email into the conversation about the delivery it answers; None when ignored.

    Nothing about the sender goes to the log: only why a reply was ignored.
    """
    if _is_automatic(message):
        logger.info("email reply ignored: automatic reply")
        return None
    addresses = [*recipients, *_header_values(message, RECIPIENT_HEADERS)]
    delivery = _delivery_from_addresses(addresses) or _delivery_from_headers(message)
    if delivery is None:
        logger.info("email reply ignored: no valid reply token or known Message-ID")
        return None
    body = strip_quoted(_body_text(message))
    if not body:
        logger.info("email reply ignored: empty after removing the quoted history (delivery %s)", delivery.pk)
        return None
    return conversation_record_inbound(
        guardian=delivery.guardian, channel="email", body=body, delivery=delivery,
        source_id=str(message.get("Message-ID", "")).strip()[:255],
    )
