"""How a guardian can be reached, channel by channel, as staff need to see it (consent, opt-outs, bad numbers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from homeroom.roster.models import DEFAULT_CHANNEL_ORDER, Channel, Guardian


@dataclass(frozen=True)
class Mark:
    text: str | Promise
    tone: str = ""  # "ok" or "warn": the badge style
    when: datetime | None = None


@dataclass
class ChannelStatus:
    channel: str
    label: str | Promise
    address: str
    marks: list[Mark] = field(default_factory=list)
    usable: bool = True


def language_name(code: str) -> str:
    """A BCP 47 tag as a name in the reader's language ('es' → 'Spanish'/'Español'), or the tag itself."""
    if not code:
        return gettext("Not recorded")
    lowered = code.lower()
    for candidate in (lowered, lowered.split("-")[0]):
        try:
            info: dict[str, Any] = translation.get_language_info(candidate)
        except KeyError:
            continue
        return str(info["name_translated"])
    return code


def _email(g: Guardian) -> ChannelStatus:
    status = ChannelStatus(Channel.EMAIL, Channel.EMAIL.label, g.email)
    if not g.email:
        status.marks.append(Mark(_("No address"), "warn"))
    if g.email_bad_at:
        status.marks.append(Mark(_("Address not working"), "warn", g.email_bad_at))
    if g.email_opted_out_at:
        status.marks.append(Mark(_("Opted out"), "warn", g.email_opted_out_at))
    status.usable = bool(g.email) and not g.email_bad_at and not g.email_opted_out_at
    return status


def _sms(g: Guardian) -> ChannelStatus:
    status = ChannelStatus(Channel.SMS, Channel.SMS.label, g.mobile_phone)
    if not g.mobile_phone:
        status.marks.append(Mark(_("No mobile number"), "warn"))
    if g.mobile_phone_bad_at:
        status.marks.append(Mark(_("Number not working"), "warn", g.mobile_phone_bad_at))
    if g.sms_opted_out_at:
        status.marks.append(Mark(_("Opted out"), "warn", g.sms_opted_out_at))
    elif g.sms_consent_at:
        status.marks.append(Mark(_("Consent on file"), "ok", g.sms_consent_at))
    else:
        status.marks.append(Mark(_("No consent recorded")))
    status.usable = bool(g.mobile_phone) and not g.mobile_phone_bad_at and not g.sms_opted_out_at
    return status


def _voice(g: Guardian) -> ChannelStatus:
    working = [
        number
        for number, bad in ((g.mobile_phone, g.mobile_phone_bad_at), (g.home_phone, g.home_phone_bad_at))
        if number and not bad
    ]
    status = ChannelStatus(Channel.VOICE, Channel.VOICE.label, working[0] if working else "")
    if not (g.mobile_phone or g.home_phone):
        status.marks.append(Mark(_("No phone number"), "warn"))
    elif not working:
        status.marks.append(Mark(_("Number not working"), "warn"))
    if g.voice_opted_out_at:
        status.marks.append(Mark(_("Opted out"), "warn", g.voice_opted_out_at))
    elif g.voice_consent_at:
        status.marks.append(Mark(_("Consent on file"), "ok", g.voice_consent_at))
    status.usable = bool(working) and not g.voice_opted_out_at
    return status


def _portal(g: Guardian) -> ChannelStatus:
    status = ChannelStatus(Channel.PORTAL, Channel.PORTAL.label, "")
    if g.user_id:
        status.marks.append(Mark(_("Has an account"), "ok"))
    else:
        status.marks.append(Mark(_("No account yet"), "warn"))
    status.usable = bool(g.user_id)
    return status


_BUILDERS = {Channel.EMAIL.value: _email, Channel.SMS.value: _sms, Channel.VOICE.value: _voice,
             Channel.PORTAL.value: _portal}


def channel_statuses(guardian: Guardian) -> list[ChannelStatus]:
    """The guardian's channels in their order of preference; unknown entries are ignored."""
    order = guardian.channel_order if isinstance(guardian.channel_order, list) else []
    seen: list[str] = []
    for code in order or DEFAULT_CHANNEL_ORDER:
        if code in _BUILDERS and code not in seen:
            seen.append(code)
    return [_BUILDERS[code](guardian) for code in seen]


def preferred_channel(channels: list[ChannelStatus]) -> ChannelStatus | None:
    """The first channel that would actually reach the guardian."""
    return next((c for c in channels if c.usable), None)
