"""Texts families send back: STOP/START/HELP keywords (one confirmation each) and replies for the staff inbox."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from homeroom.access.i18n import interface_language
from homeroom.messaging import policy
from homeroom.messaging.conversations.threads import conversation_record_inbound
from homeroom.messaging.models import Delivery, InboundText, Message, SmsOptOut
from homeroom.roster import reachability
from homeroom.roster.models import ConsentState, ConsentVia, Guardian

STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "PARAR", "ALTO"}
START_WORDS = {"START", "UNSTOP", "YES", "SUBSCRIBE", "OPTIN"}
HELP_WORDS = {"HELP", "INFO", "AYUDA"}
# The longest text Twilio delivers (ten segments); anything longer is not a family's message.
MAX_INBOUND_BODY = 1600
# Free text that plainly asks us to stop, e.g. "please stop texting me", "no more texts", "deja de enviarme".
STOP_PHRASES = re.compile(
    r"\b(stop|quit|no more)\s+(texting|text|texts|messaging|messages|sending)\b|\bdeja(r)? de (enviar|mandar)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class InboundResult:
    kind: str  # "stop", "start", "help", "reply", "unknown", "duplicate"
    reply: str  # text to send back ("" for none)


def _language_for(guardians: list[Guardian]) -> str:
    """The interface language of the family's roster language ('pt' → 'pt-br', 'zh-CN' → 'zh-hans'), else English."""
    return (interface_language(guardians[0].language) if guardians else None) or "en"


def classify(body: str) -> str:
    word = re.sub(r"[^A-Z]", "", body.strip().upper())
    if word in STOP_WORDS or STOP_PHRASES.search(body):
        return "stop"
    if word in START_WORDS:
        return "start"
    if word in HELP_WORDS:
        return "help"
    return "reply"


def _help_text(phone: str, guardians: list[Guardian]) -> str:
    last = (
        Delivery.objects.filter(address=phone, channel__in=["sms", "voice"])
        .select_related("message", "message__school", "message__district")
        .order_by("-id")
        .first()
    )
    if last is not None:
        message = last.message
        school = message.school.name if message.school else message.district.name
        return _("%(school)s: for help call %(name)s at %(phone)s. Reply STOP to stop texts.") % {
            "school": school,
            "name": message.callback_name,
            "phone": message.callback_phone,
        }
    district_ids = {g.district_id for g in guardians}
    if not district_ids:
        return _("Homeroom school messages. Reply STOP to stop texts.")
    # A number the school never texted: the district has no phone of its own on record, so the call-back line
    # of its latest message that went out is the number families were last told to call.
    recent = (
        Message.objects.filter(
            district_id__in=district_ids, status__in=[Message.Status.SENDING, Message.Status.SENT]
        )
        .exclude(callback_phone="")
        .select_related("district")
        .order_by("-created_at", "-id")
        .first()
    )
    if recent is not None:
        return _("%(school)s: for help call %(name)s at %(phone)s. Reply STOP to stop texts.") % {
            "school": recent.district.name,
            "name": recent.callback_name,
            "phone": recent.callback_phone,
        }
    return _("%(district)s school messages. Reply STOP to stop texts.") % {"district": guardians[0].district.name}


def _stop_reply(guardians: list[Guardian]) -> str:
    """Exactly what STOP did, in the family's language: texts stop, except what the law still allows; calls and
    email go on as before."""
    sender = guardians[0].district.name
    exceptions = [str(policy.SHORT_NAMES[c]) for c in policy.opt_outs_ignored()]
    if not exceptions:
        return _("You will get no more texts from %(sender)s. Calls and email are not affected. Reply START to get "
                 "texts again.") % {"sender": sender}
    return _("You will get no more texts from %(sender)s, except %(exceptions)s, as the law allows. Calls and email "
             "are not affected. Reply START to get texts again.") % {"sender": sender,
                                                                     "exceptions": ", ".join(exceptions)}


def _first_time(message_sid: str) -> bool:
    """False when this MessageSid was handled already (Twilio retries a webhook it got no answer to)."""
    if not message_sid:
        return True
    try:
        with transaction.atomic():
            InboundText.objects.create(sid=message_sid[:64])
    except IntegrityError:
        return False
    return True


@transaction.atomic
def sms_inbound(*, from_number: str, body: str, message_sid: str = "") -> InboundResult:
    """Handle one text a family sent. An empty sender is refused here too: it would match every guardian
    without a mobile number."""
    from_number = from_number.strip()
    if not from_number:
        raise ValueError("an inbound text needs the number it came from")
    if not _first_time(message_sid):
        return InboundResult("duplicate", "")
    body = body[:MAX_INBOUND_BODY]
    guardians = list(
        Guardian.objects.filter(mobile_phone=from_number, is_active=True).select_related("user", "district")
    )
    kind = classify(body)
    now = timezone.now()
    with translation.override(_language_for(guardians)):
        if kind == "stop":
            changed = [
                guardian for guardian in guardians
                if reachability.consent_record(guardian=guardian, channel="sms", category="",
                                               state=ConsentState.REFUSED, via=ConsentVia.STOP_TEXT,
                                               detail=body[:40], now=now)
            ]
            for district_id in {g.district_id for g in guardians}:
                SmsOptOut.objects.create(district_id=district_id, phone=from_number, keyword=body[:40], opted_out=True)
            # One confirmation: a second STOP from a number already out gets no answer.
            return InboundResult("stop", _stop_reply(guardians) if changed else "")
        if kind == "start":
            changed = [
                guardian for guardian in guardians
                if reachability.consent_record(guardian=guardian, channel="sms", category="",
                                               state=ConsentState.NONE, via=ConsentVia.START_TEXT,
                                               detail=body[:40], now=now)
            ]
            for district_id in {g.district_id for g in guardians}:
                SmsOptOut.objects.create(district_id=district_id, phone=from_number, keyword=body[:40],
                                         opted_out=False)
            return InboundResult("start", _("You will get texts from your school again.") if changed else "")
        if kind == "help":
            return InboundResult("help", _help_text(from_number, guardians))
        if not guardians:
            return InboundResult("unknown", "")
        conversation_record_inbound(guardian=guardians[0], channel="sms", body=body)
        return InboundResult("reply", "")
