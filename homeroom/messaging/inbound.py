"""Texts families send back: STOP/START/HELP keywords (one confirmation each) and replies for the staff inbox."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from homeroom.messaging.conversations import conversation_record_inbound
from homeroom.messaging.models import Delivery, Message, SmsOptOut
from homeroom.roster.models import Guardian

STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "PARAR", "ALTO"}
START_WORDS = {"START", "UNSTOP", "YES", "SUBSCRIBE", "OPTIN"}
HELP_WORDS = {"HELP", "INFO", "AYUDA"}
# Free text that plainly asks us to stop, e.g. "please stop texting me", "no more texts", "deja de enviarme".
STOP_PHRASES = re.compile(
    r"\b(stop|quit|no more)\s+(texting|text|texts|messaging|messages|sending)\b|\bdeja(r)? de (enviar|mandar)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class InboundResult:
    kind: str  # "stop", "start", "help", "reply", "unknown"
    reply: str  # text to send back ("" for none)


def _language_for(guardians: list[Guardian]) -> str:
    return guardians[0].language.split("-")[0] if guardians else "en"


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


@transaction.atomic
def sms_inbound(*, from_number: str, body: str) -> InboundResult:
    guardians = list(
        Guardian.objects.filter(mobile_phone=from_number, is_active=True).select_related("user", "district")
    )
    kind = classify(body)
    now = timezone.now()
    with translation.override(_language_for(guardians)):
        if kind == "stop":
            changed = Guardian.objects.filter(mobile_phone=from_number, sms_opted_out_at=None).update(
                sms_opted_out_at=now
            )
            for district_id in {g.district_id for g in guardians}:
                SmsOptOut.objects.create(district_id=district_id, phone=from_number, keyword=body[:40], opted_out=True)
            # One confirmation: a second STOP from a number already out gets no answer.
            reply = _("You will no longer get texts from your school, except emergencies. Reply START to resume.")
            return InboundResult("stop", reply if changed else "")
        if kind == "start":
            changed = Guardian.objects.filter(mobile_phone=from_number).exclude(sms_opted_out_at=None).update(
                sms_opted_out_at=None
            )
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
